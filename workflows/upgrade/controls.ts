import { defineQuery, defineSignal, log, setHandler } from '@temporalio/workflow';
import { QueryNames, SignalNames } from '../../common/names';
import type { Progress, VerifyReport } from '../../common/steps';
import type { AbortInput, ThrottleInput } from '../../common/upgrade-input';
import type { SagaRun } from './run';

export const pauseSignal = defineSignal(SignalNames.pause);
export const resumeSignal = defineSignal(SignalNames.resume);
export const abortSignal = defineSignal<[AbortInput?]>(SignalNames.abort);
export const throttleSignal = defineSignal<[ThrottleInput]>(SignalNames.throttle);
export const progressQuery = defineQuery<Progress>(QueryNames.progress);
export const reportQuery = defineQuery<VerifyReport | undefined>(QueryNames.report);

const FINAL = new Set(['rolling_back', 'rolled_back', 'rollback_failed', 'completed', 'blocked']);

/** Signals only set state; the saga acts on pause and throttle between slices and steps. */
export function installControls(run: SagaRun): void {
  const progress = run.state.progress;
  setHandler(progressQuery, () => progress);
  setHandler(reportQuery, () => progress.report);
  setHandler(pauseSignal, () => {
    if (FINAL.has(progress.phase)) return;
    progress.paused = true;
    log.info('pause requested: takes effect after the current slice');
    void run.forward?.('pause');
  });
  setHandler(resumeSignal, () => {
    progress.paused = false;
    log.info('resume requested');
    void run.forward?.('resume');
  });
  setHandler(abortSignal, (input?: AbortInput) => {
    if (FINAL.has(progress.phase) || run.abortReason !== undefined) return;
    run.abortReason = input?.reason ?? '';
    log.warn('abort requested: rolling back', { reason: run.abortReason });
    // Cancelling the saga's scope interrupts a pause or an in-flight slice at once.
    run.scope.cancel();
  });
  setHandler(throttleSignal, (input: ThrottleInput) => {
    const t = run.state.throttle;
    if (isPositiveInt(input?.batchSize) && input.batchSize <= 1_000_000) t.batchSize = input.batchSize;
    if (Number.isInteger(input?.throttleMs) && (input.throttleMs as number) >= 0) t.throttleMs = input.throttleMs;
    progress.batchSize = t.batchSize ?? run.plan.copy.batchSize;
    log.info('throttle changed', { ...t });
  });
}

function isPositiveInt(n: unknown): n is number {
  return Number.isInteger(n) && (n as number) > 0;
}
