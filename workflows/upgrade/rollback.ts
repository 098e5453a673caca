import { ApplicationFailure, CancellationScope, isCancellation, log } from '@temporalio/workflow';
import { SagaFailureTypes } from '../../common/upgrade-input';
import { notify } from '../alerts';
import { acts, undo } from './proxies';
import type { SagaRun } from './run';
import { recordClosed, recordPhase } from '../metrics';

/** The innermost ApplicationFailure of an error chain (an activity's own error), or the error itself. */
export function rootCause(err: unknown): { type: string; message: string } {
  let found: { type: string; message: string } | undefined;
  for (let e: unknown = err; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    if (e instanceof ApplicationFailure) found = { type: e.type ?? 'Error', message: e.message };
  }
  const fallback = err instanceof Error ? { type: err.name, message: err.message } : { type: 'Error', message: String(err) };
  return found ?? fallback;
}

/**
 * Runs the registered compensations in reverse inside a non-cancellable scope, then rethrows: the
 * original failure (type preserved), the cancellation, or a RollbackFailed naming what is left.
 */
export async function rollback(run: SagaRun, err: unknown): Promise<never> {
  const p = run.progress;
  const cancelled = isCancellation(err);
  const aborted = run.abortReason !== undefined;
  const step = p.step;
  if (step && p.steps[step] === 'running') p.steps[step] = 'failed';
  const cause = aborted
    ? { type: SagaFailureTypes.aborted, message: `aborted by the operator${run.abortReason ? `: ${run.abortReason}` : ''}` }
    : rootCause(err);
  p.error = cancelled && !aborted ? 'workflow cancelled' : `${step ?? 'start'}: ${cause.message}`;
  const stack = [...run.state.compensations].reverse();

  if (stack.length > 0) {
    p.phase = 'rolling_back';
    recordPhase(run.runId, p.phase);
    p.paused = false;
    p.compensations = stack.map((c) => ({ step: c.key, status: 'pending' as const }));
    run.search.publish(p);
    log.warn('rolling back', { cause: p.error, compensations: stack.map((c) => c.key) });
    const failed = await CancellationScope.nonCancellable(async () => {
      for (const [i, c] of stack.entries()) {
        try {
          log.info('compensating', { compensation: c.key });
          const result = await undo[c.activity]({ runId: run.runId, plan: run.plan, ...(c.input as object) });
          const carried = (result as { carriedBack?: unknown } | undefined)?.carriedBack;
          if (typeof carried === 'number') {
            p.sync ??= { liveDefects: 0 };
            p.sync.carriedBack = (p.sync.carriedBack ?? 0) + carried;
          }
          p.compensations[i].status = 'done';
          run.state.compensations = run.state.compensations.filter((x) => x.key !== c.key);
          if (p.steps[c.step] === 'done' || p.steps[c.step] === 'failed') p.steps[c.step] = 'compensated';
        } catch (e) {
          p.compensations[i].status = 'failed';
          p.compensations[i].error = rootCause(e).message;
          log.error('compensation failed: rollback stops', { compensation: c.key, error: p.compensations[i].error });
          return stack.slice(i).map((x) => x.key);
        }
      }
      return undefined;
    });
    if (failed) return rollbackFailed(run, failed, cause.message);
  }

  p.phase = p.phase === 'blocked' || (stack.length === 0 && step === 'preflight') ? 'blocked' : 'rolled_back';
  log.warn('saga ended', { phase: p.phase, error: p.error });
  recordClosed(run.runId, p.phase);
  run.search.publish(p);
  const blocked = p.phase === 'blocked' && cause.type === SagaFailureTypes.defects;
  await notify(run, blocked ? 'blocked_by_defects' : 'rolled_back', p.phase === 'blocked' ? `refused, nothing was changed: ${p.error}` : `rolled back: ${p.error}`, { phase: p.phase, step });
  if (cancelled && !aborted) throw err;
  throw ApplicationFailure.create({
    type: cause.type,
    nonRetryable: true,
    message: p.phase === 'rolled_back' ? `${p.error} (rolled back)` : p.error,
    details: [p],
    cause: err instanceof Error ? err : undefined,
  });
}

async function rollbackFailed(run: SagaRun, left: string[], cause: string): Promise<never> {
  const p = run.progress;
  p.phase = 'rollback_failed';
  recordClosed(run.runId, p.phase);
  if (run.state.acquired) {
    await CancellationScope.nonCancellable(() =>
      acts.releaseRun({ runId: run.runId, plan: run.plan, status: 'rollback_failed', report: { left, cause, compensations: p.compensations } }),
    ).catch((e: unknown) => log.error('releaseRun failed after a failed rollback', { error: rootCause(e).message }));
  }
  run.search.publish(p);
  const failure = p.compensations.find((c) => c.status === 'failed');
  await notify(run, 'rollback_failed', `rollback failed at ${failure?.step}: ${failure?.error}. Left to undo by hand: ${left.join(', ')}. Original failure: ${cause}`, { phase: p.phase });
  throw ApplicationFailure.create({
    type: SagaFailureTypes.rollbackFailed,
    nonRetryable: true,
    message: `rollback failed at ${failure?.step}: ${failure?.error}. Left to undo by hand: ${left.join(', ')}. Original failure: ${cause}`,
    details: [p, left],
  });
}
