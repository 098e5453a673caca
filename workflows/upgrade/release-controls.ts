import { defineUpdate, log, setHandler } from '@temporalio/workflow';
import { UpdateNames } from '../../common/names';
import type { MonitoringProgress } from '../../common/steps';
import type { Approval, ApproveInput, PromoteInput, ReleaseState } from '../../common/upgrade-input';
import type { SagaRun } from './run';

/** Approves the switch to green while the saga waits at the approval gate; answers with the record. */
export const approveUpdate = defineUpdate<Approval, [ApproveInput]>(UpdateNames.approve);
/** Ends post-switch monitoring early; the saga then finalizes. Answers with the counts so far. */
export const promoteUpdate = defineUpdate<MonitoringProgress | undefined, [PromoteInput?]>(UpdateNames.promote);

export function releaseState(run: SagaRun): ReleaseState {
  run.state.release ??= {};
  return run.state.release;
}

/**
 * Updates, not signals: the operator learns at once whether the saga took the command (a validator
 * refuses an approval when nothing waits for one), and an update is recorded with its caller.
 */
export function installReleaseControls(run: SagaRun): void {
  const p = run.state.progress;
  setHandler(
    approveUpdate,
    (input: ApproveInput) => {
      const approval: Approval = { by: input.by.trim(), at: new Date().toISOString(), ...(input.comment ? { comment: input.comment } : {}) };
      releaseState(run).approval = approval;
      p.approval = approval;
      log.info('switch to green approved', { ...approval });
      return approval;
    },
    {
      validator: (input: ApproveInput) => {
        if (typeof input?.by !== 'string' || input.by.trim() === '') throw new Error('an approval names who approves: {"by": "NAME"}');
        if (p.phase !== 'awaiting_approval') {
          throw new Error(`run ${run.runId} is not waiting for approval (phase ${p.phase}${p.step ? `, step ${p.step}` : ''})`);
        }
      },
    },
  );
  setHandler(
    promoteUpdate,
    async (input?: PromoteInput) => {
      log.info('promote requested: monitoring ends, then finalize', { reason: input?.reason });
      await run.forward?.('promote', input?.reason ?? 'promoted by operator');
      return p.monitoring;
    },
    {
      validator: (_input?: PromoteInput) => {
        if (p.phase !== 'monitoring' || !run.forward) {
          throw new Error(`run ${run.runId} is not monitoring green (phase ${p.phase}${p.step ? `, step ${p.step}` : ''}); promote ends monitoring early`);
        }
      },
    },
  );
}

/** Moved to common/plan-validation.ts (plan check and the workflow share it). */
export { releasePlanProblems } from '../../common/plan-validation';
