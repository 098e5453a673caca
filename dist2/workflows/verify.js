"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.verifyWorkflow = verifyWorkflow;
const workflow_1 = require("@temporalio/workflow");
const plan_1 = require("../common/plan");
const upgrade_input_1 = require("../common/upgrade-input");
const profiles_1 = require("./profiles");
const { verify } = (0, workflow_1.proxyActivities)({ ...profiles_1.quickSql, startToCloseTimeout: '2 hours' });
/** Runs the checks of MIGRATION-CONTRACT section 5 alone. Read-only; returns the report even when not ok. */
async function verifyWorkflow(input) {
    const parsed = (0, plan_1.parsePlan)(input?.plan);
    if (!parsed.ok) {
        throw workflow_1.ApplicationFailure.create({
            type: upgrade_input_1.SagaFailureTypes.badInput,
            nonRetryable: true,
            message: `invalid plan:\n  ${parsed.errors.join('\n  ')}`,
            details: [parsed.errors],
        });
    }
    return verify({ runId: input.runId ?? (0, workflow_1.workflowInfo)().workflowId, plan: parsed.plan });
}
//# sourceMappingURL=verify.js.map