"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.rootCause = rootCause;
exports.rollback = rollback;
const workflow_1 = require("@temporalio/workflow");
const upgrade_input_1 = require("../../common/upgrade-input");
const alerts_1 = require("../alerts");
const proxies_1 = require("./proxies");
const metrics_1 = require("../metrics");
/** The innermost ApplicationFailure of an error chain (an activity's own error), or the error itself. */
function rootCause(err) {
    let found;
    for (let e = err; e instanceof Error; e = e.cause) {
        if (e instanceof workflow_1.ApplicationFailure)
            found = { type: e.type ?? 'Error', message: e.message };
    }
    const fallback = err instanceof Error ? { type: err.name, message: err.message } : { type: 'Error', message: String(err) };
    return found ?? fallback;
}
/**
 * Runs the registered compensations in reverse inside a non-cancellable scope, then rethrows: the
 * original failure (type preserved), the cancellation, or a RollbackFailed naming what is left.
 */
async function rollback(run, err) {
    const p = run.progress;
    const cancelled = (0, workflow_1.isCancellation)(err);
    const aborted = run.abortReason !== undefined;
    const step = p.step;
    if (step && p.steps[step] === 'running')
        p.steps[step] = 'failed';
    const cause = aborted
        ? { type: upgrade_input_1.SagaFailureTypes.aborted, message: `aborted by the operator${run.abortReason ? `: ${run.abortReason}` : ''}` }
        : rootCause(err);
    p.error = cancelled && !aborted ? 'workflow cancelled' : `${step ?? 'start'}: ${cause.message}`;
    const stack = [...run.state.compensations].reverse();
    if (stack.length > 0) {
        p.phase = 'rolling_back';
        (0, metrics_1.recordPhase)(run.runId, p.phase);
        p.paused = false;
        p.compensations = stack.map((c) => ({ step: c.key, status: 'pending' }));
        run.search.publish(p);
        workflow_1.log.warn('rolling back', { cause: p.error, compensations: stack.map((c) => c.key) });
        const failed = await workflow_1.CancellationScope.nonCancellable(async () => {
            for (const [i, c] of stack.entries()) {
                try {
                    workflow_1.log.info('compensating', { compensation: c.key });
                    const result = await proxies_1.undo[c.activity]({ runId: run.runId, plan: run.plan, ...c.input });
                    const carried = result?.carriedBack;
                    if (typeof carried === 'number') {
                        p.sync ??= { liveDefects: 0 };
                        p.sync.carriedBack = (p.sync.carriedBack ?? 0) + carried;
                    }
                    p.compensations[i].status = 'done';
                    run.state.compensations = run.state.compensations.filter((x) => x.key !== c.key);
                    if (p.steps[c.step] === 'done' || p.steps[c.step] === 'failed')
                        p.steps[c.step] = 'compensated';
                }
                catch (e) {
                    p.compensations[i].status = 'failed';
                    p.compensations[i].error = rootCause(e).message;
                    workflow_1.log.error('compensation failed: rollback stops', { compensation: c.key, error: p.compensations[i].error });
                    return stack.slice(i).map((x) => x.key);
                }
            }
            return undefined;
        });
        if (failed)
            return rollbackFailed(run, failed, cause.message);
    }
    p.phase = p.phase === 'blocked' || (stack.length === 0 && step === 'preflight') ? 'blocked' : 'rolled_back';
    workflow_1.log.warn('saga ended', { phase: p.phase, error: p.error });
    (0, metrics_1.recordClosed)(run.runId, p.phase);
    run.search.publish(p);
    const blocked = p.phase === 'blocked' && cause.type === upgrade_input_1.SagaFailureTypes.defects;
    await (0, alerts_1.notify)(run, blocked ? 'blocked_by_defects' : 'rolled_back', p.phase === 'blocked' ? `refused, nothing was changed: ${p.error}` : `rolled back: ${p.error}`, { phase: p.phase, step });
    if (cancelled && !aborted)
        throw err;
    throw workflow_1.ApplicationFailure.create({
        type: cause.type,
        nonRetryable: true,
        message: p.phase === 'rolled_back' ? `${p.error} (rolled back)` : p.error,
        details: [p],
        cause: err instanceof Error ? err : undefined,
    });
}
async function rollbackFailed(run, left, cause) {
    const p = run.progress;
    p.phase = 'rollback_failed';
    (0, metrics_1.recordClosed)(run.runId, p.phase);
    if (run.state.acquired) {
        await workflow_1.CancellationScope.nonCancellable(() => proxies_1.acts.releaseRun({ runId: run.runId, plan: run.plan, status: 'rollback_failed', report: { left, cause, compensations: p.compensations } })).catch((e) => workflow_1.log.error('releaseRun failed after a failed rollback', { error: rootCause(e).message }));
    }
    run.search.publish(p);
    const failure = p.compensations.find((c) => c.status === 'failed');
    await (0, alerts_1.notify)(run, 'rollback_failed', `rollback failed at ${failure?.step}: ${failure?.error}. Left to undo by hand: ${left.join(', ')}. Original failure: ${cause}`, { phase: p.phase });
    throw workflow_1.ApplicationFailure.create({
        type: upgrade_input_1.SagaFailureTypes.rollbackFailed,
        nonRetryable: true,
        message: `rollback failed at ${failure?.step}: ${failure?.error}. Left to undo by hand: ${left.join(', ')}. Original failure: ${cause}`,
        details: [p, left],
    });
}
//# sourceMappingURL=rollback.js.map