"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.otherWorkflow = otherWorkflow;
const client_1 = require("@temporalio/client");
const names_1 = require("../common/names");
const run_details_1 = require("./run-details");
const workflow_errors_1 = require("./workflow-errors");
/**
 * `status ID` of a workflow that is not an upgrade run. A rollback workflow (`<run>-rollback`)
 * says what it undid and what is left; any other says what it is and where the run is.
 */
async function otherWorkflow(client, d, json, ctx) {
    const handle = client.workflow.getHandle(d.workflowId);
    const details = (0, run_details_1.runDetails)(d);
    if (d.type !== names_1.WorkflowTypes.rollback) {
        const parent = d.parentExecution?.workflowId;
        const message = `${d.workflowId} is a ${d.type} workflow (${d.status.name.toLowerCase()}), not an upgrade run` +
            `${parent ? `; its upgrade run is ${parent}: stp-upgrade status ${parent}` : '; `stp-upgrade list` shows the upgrade runs'}`;
        ctx.out(json ? JSON.stringify({ workflowId: d.workflowId, type: d.type, status: d.status.name, parent: parent ?? null, ...details }, null, 2) : [message, ...(0, run_details_1.detailLines)(details)].join('\n'));
        return names_1.ExitCodes.ok;
    }
    let progress;
    let result;
    let error;
    if (d.status.name === 'RUNNING')
        progress = await handle.query(names_1.QueryNames.progress).catch(() => undefined);
    else {
        try {
            result = (await handle.result());
        }
        catch (err) {
            error = err instanceof client_1.WorkflowFailedError ? (0, workflow_errors_1.rootFailure)(err) : { message: err.message };
        }
    }
    const code = error ? (error.type === 'RollbackFailed' ? names_1.ExitCodes.rollbackFailed : error.type === 'BadInputError' ? names_1.ExitCodes.badInput : names_1.ExitCodes.failed) : names_1.ExitCodes.ok;
    if (json) {
        ctx.out(JSON.stringify({ workflowId: d.workflowId, type: d.type, status: d.status.name, ...details, progress: progress ?? null, result: result ?? null, error: error ?? null, exitCode: code }, null, 2));
        return code;
    }
    const lines = [`Rollback workflow ${d.workflowId}: ${d.status.name.toLowerCase()}`];
    if (progress) {
        lines.push(`  phase ${progress.phase}; undone: ${progress.done.join(', ') || 'nothing yet'}; left: ${progress.left.join(', ') || 'nothing'}`);
        if (progress.error)
            lines.push(`  error: ${progress.error}`);
    }
    if (result)
        lines.push(`  ${result.message}`, `  at ${result.at}: ${result.reason}`, `  the run: stp-upgrade status ${result.runId}`);
    if (error)
        lines.push(`  failed${error.type ? ` (${error.type})` : ''}: ${error.message}`);
    lines.push(...(0, run_details_1.detailLines)(details));
    ctx.out(lines.join('\n'));
    return code;
}
//# sourceMappingURL=other-workflow.js.map