"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.runPlanInput = runPlanInput;
const common_1 = require("@temporalio/common");
/** The plan an upgrade run was started with (its first history event's input), when readable. */
async function runPlanInput(handle) {
    try {
        const history = await handle.fetchHistory();
        const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
        const plan = payload ? common_1.defaultPayloadConverter.fromPayload(payload) : undefined;
        return plan && typeof plan === 'object' && !Array.isArray(plan) ? plan : undefined;
    }
    catch {
        return undefined;
    }
}
//# sourceMappingURL=run-plan.js.map