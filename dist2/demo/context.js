"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DemoFailure = void 0;
exports.workflowUrl = workflowUrl;
class DemoFailure extends Error {
    exitCode;
    constructor(message, exitCode) {
        super(message);
        this.exitCode = exitCode;
    }
}
exports.DemoFailure = DemoFailure;
function workflowUrl(ctx, workflowId) {
    return ctx.temporal.uiUrl ? `${ctx.temporal.uiUrl}/namespaces/default/workflows/${encodeURIComponent(workflowId)}` : '(Web UI disabled)';
}
//# sourceMappingURL=context.js.map