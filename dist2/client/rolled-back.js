"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.rollbackOf = rollbackOf;
exports.withRollback = withRollback;
const client_1 = require("@temporalio/client");
const names_1 = require("../common/names");
const rollback_1 = require("../common/rollback");
const upgrade_input_1 = require("../common/upgrade-input");
const workflow_errors_1 = require("./workflow-errors");
/** The run's `stp-upgrade rollback` workflow as it stands: running, its result, or how it failed. */
async function rollbackOf(client, runId) {
    const workflowId = (0, rollback_1.rollbackWorkflowId)(runId);
    const handle = client.workflow.getHandle(workflowId);
    let d;
    try {
        d = await handle.describe();
    }
    catch (err) {
        if (err.name === 'WorkflowNotFoundError')
            return undefined;
        throw err;
    }
    if (d.status.name === 'RUNNING')
        return { status: 'RUNNING', workflowId };
    try {
        return { status: 'COMPLETED', workflowId, result: (await handle.result()), closedAt: d.closeTime };
    }
    catch (err) {
        if (!(err instanceof client_1.WorkflowFailedError))
            throw err;
        return { status: 'FAILED', workflowId, ...(0, workflow_errors_1.rootFailure)(err) };
    }
}
/**
 * The outcome as the operator must see it once a rollback happened: a completed run reverted by
 * `stp-upgrade rollback ID` is rolled_back (exit 1), one being reverted is rolling_back, one whose
 * revert failed is rollback_failed (exit 3); a run that rolled itself back says when and why.
 */
async function withRollback(client, handle, outcome) {
    const rb = await rollbackOf(client, outcome.workflowId).catch(() => undefined);
    const reverted = rb?.status === 'COMPLETED' && rb.result.mode === 'reverted';
    if (outcome.phase !== 'rolled_back' && !reverted) {
        if (rb?.status === 'RUNNING' && outcome.phase !== 'rollback_failed')
            return shown(outcome, 'rolling_back', outcome.exitCode);
        if (rb?.status === 'FAILED' && rb.type === upgrade_input_1.SagaFailureTypes.rollbackFailed) {
            return { ...shown(outcome, 'rollback_failed', names_1.ExitCodes.rollbackFailed), error: rb.message, errorType: rb.type };
        }
        return outcome;
    }
    if (reverted) {
        const rolledBack = { at: rb.result.at ?? rb.closedAt?.toISOString() ?? '', reason: rb.result.reason ?? '', by: rb.workflowId, trigger: 'rollback' };
        return { ...shown(outcome, 'rolled_back', names_1.ExitCodes.failed), rolledBack };
    }
    const closed = (await handle.describe().catch(() => undefined))?.closeTime;
    const byCommand = rb?.status === 'COMPLETED' && rb.result.mode === 'aborted';
    const trigger = byCommand ? 'rollback' : outcome.errorType === upgrade_input_1.SagaFailureTypes.aborted ? 'abort' : outcome.status === 'CANCELLED' ? 'cancellation' : 'failure';
    const reason = outcome.progress?.error ?? outcome.error ?? '';
    return { ...outcome, rolledBack: { at: closed?.toISOString() ?? '', reason, by: byCommand ? rb.workflowId : outcome.workflowId, trigger } };
}
/** The outcome with another phase, also in the progress it prints. */
function shown(o, phase, exitCode) {
    return { ...o, phase, exitCode, ...(o.progress ? { progress: { ...o.progress, phase } } : {}) };
}
//# sourceMappingURL=rolled-back.js.map