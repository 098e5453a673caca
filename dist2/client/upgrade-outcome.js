"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.failureOutcome = failureOutcome;
exports.resultOutcome = resultOutcome;
exports.awaitOutcome = awaitOutcome;
exports.existingRun = existingRun;
const client_1 = require("@temporalio/client");
const common_1 = require("@temporalio/common");
const names_1 = require("../common/names");
const upgrade_input_1 = require("../common/upgrade-input");
const command_1 = require("./command");
const workflow_errors_1 = require("./workflow-errors");
const NOTHING_CHANGED = new Set([upgrade_input_1.SagaFailureTypes.badInput, upgrade_input_1.SagaFailureTypes.defects, 'PreconditionError', 'UnknownDatabaseError']);
/**
 * Exit codes: 3 when the rollback failed; 2 when the run stopped before changing anything (bad
 * plan, defects under policy block, a failed precondition); 1 when it failed and was rolled back.
 */
function failureOutcome(workflowId, err) {
    const root = (0, workflow_errors_1.rootFailure)(err);
    const top = err instanceof client_1.WorkflowFailedError ? err.cause : undefined;
    const details = top instanceof common_1.ApplicationFailure ? top.details ?? [] : [];
    const progress = isProgress(details[0]) ? details[0] : undefined;
    if (top instanceof common_1.CancelledFailure)
        return { workflowId, status: 'CANCELLED', phase: 'rolled_back', exitCode: names_1.ExitCodes.failed, error: 'cancelled' };
    if (top instanceof common_1.TerminatedFailure)
        return { workflowId, status: 'TERMINATED', phase: 'terminated', exitCode: names_1.ExitCodes.rollbackFailed, error: `terminated without rollback: ${top.message}` };
    const type = top instanceof common_1.ApplicationFailure ? top.type ?? root.type : root.type;
    const phase = progress?.phase ?? (type === upgrade_input_1.SagaFailureTypes.badInput ? 'blocked' : 'failed');
    const exitCode = type === upgrade_input_1.SagaFailureTypes.rollbackFailed || phase === 'rollback_failed'
        ? names_1.ExitCodes.rollbackFailed
        : phase === 'blocked' || (phase !== 'rolled_back' && type && NOTHING_CHANGED.has(type))
            ? names_1.ExitCodes.badInput
            : names_1.ExitCodes.failed;
    return { workflowId, status: 'FAILED', phase, exitCode, error: top instanceof Error ? top.message : root.message, errorType: type, progress, report: progress?.report };
}
function resultOutcome(workflowId, result) {
    return { workflowId, status: 'COMPLETED', phase: result.phase, exitCode: names_1.ExitCodes.ok, progress: result.progress, report: result.report };
}
/** Waits for the run to close and describes how it ended. */
async function awaitOutcome(handle) {
    try {
        return resultOutcome(handle.workflowId, (await handle.result()));
    }
    catch (err) {
        const outcome = failureOutcome(handle.workflowId, err);
        // A cancelled run carries no details: ask the (replaying) worker for its last progress.
        if (!outcome.progress)
            outcome.progress = await handle.query(names_1.QueryNames.progress).catch(() => undefined);
        if (outcome.progress && outcome.status === 'CANCELLED')
            outcome.phase = outcome.progress.phase;
        outcome.report ??= outcome.progress?.report;
        return outcome;
    }
}
/** A handle on an existing run, or exit 2 naming the id that is unknown. */
async function existingRun(client, workflowId) {
    const handle = client.workflow.getHandle(workflowId);
    try {
        const d = await handle.describe();
        return { handle, status: d.status.name, description: d };
    }
    catch (err) {
        if (err.name === 'WorkflowNotFoundError') {
            throw new command_1.CliError(`no upgrade run with id "${workflowId}" (\`stp-upgrade list\` shows the runs; start one with \`stp-upgrade start --plan FILE\`)`, names_1.ExitCodes.badInput);
        }
        throw err;
    }
}
function isProgress(v) {
    return typeof v === 'object' && v !== null && 'phase' in v && 'steps' in v;
}
//# sourceMappingURL=upgrade-outcome.js.map