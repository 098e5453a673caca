import { WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ExitCodes } from '../common/names';
import type { Phase } from '../common/steps';
import { rollbackWorkflowId, type RollbackResult } from '../common/rollback';
import { SagaFailureTypes } from '../common/upgrade-input';
import type { Outcome } from './upgrade-outcome';
import { rootFailure } from './workflow-errors';

/** When, why and by what a run was rolled back; shown by status, watch and start --wait. */
export interface RolledBack {
  at: string;
  reason: string;
  /** The workflow that ran the compensations: the run itself, or its `stp-upgrade rollback` workflow. */
  by: string;
  /** failure: a step failed; abort: the abort signal; cancellation: a workflow cancel; rollback: `stp-upgrade rollback ID`. */
  trigger: 'failure' | 'abort' | 'cancellation' | 'rollback';
}

/** The run's `stp-upgrade rollback` workflow as it stands: running, its result, or how it failed. */
export async function rollbackOf(client: Client, runId: string): Promise<
  | { status: 'RUNNING'; workflowId: string }
  | { status: 'COMPLETED'; workflowId: string; result: RollbackResult; closedAt?: Date }
  | { status: 'FAILED'; workflowId: string; type?: string; message: string }
  | undefined
> {
  const workflowId = rollbackWorkflowId(runId);
  const handle = client.workflow.getHandle(workflowId);
  let d;
  try {
    d = await handle.describe();
  } catch (err) {
    if ((err as Error).name === 'WorkflowNotFoundError') return undefined;
    throw err;
  }
  if (d.status.name === 'RUNNING') return { status: 'RUNNING', workflowId };
  try {
    return { status: 'COMPLETED', workflowId, result: (await handle.result()) as RollbackResult, closedAt: d.closeTime };
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    return { status: 'FAILED', workflowId, ...rootFailure(err) };
  }
}

/**
 * The outcome as the operator must see it once a rollback happened: a completed run reverted by
 * `stp-upgrade rollback ID` is rolled_back (exit 1), one being reverted is rolling_back, one whose
 * revert failed is rollback_failed (exit 3); a run that rolled itself back says when and why.
 */
export async function withRollback(client: Client, handle: WorkflowHandle, outcome: Outcome): Promise<Outcome> {
  const rb = await rollbackOf(client, outcome.workflowId).catch(() => undefined);
  const reverted = rb?.status === 'COMPLETED' && rb.result.mode === 'reverted';
  if (outcome.phase !== 'rolled_back' && !reverted) {
    if (rb?.status === 'RUNNING' && outcome.phase !== 'rollback_failed') return shown(outcome, 'rolling_back', outcome.exitCode);
    if (rb?.status === 'FAILED' && rb.type === SagaFailureTypes.rollbackFailed) {
      return { ...shown(outcome, 'rollback_failed', ExitCodes.rollbackFailed), error: rb.message, errorType: rb.type };
    }
    return outcome;
  }
  if (reverted) {
    const rolledBack: RolledBack = { at: rb.result.at ?? rb.closedAt?.toISOString() ?? '', reason: rb.result.reason ?? '', by: rb.workflowId, trigger: 'rollback' };
    return { ...shown(outcome, 'rolled_back', ExitCodes.failed), rolledBack };
  }
  const closed = (await handle.describe().catch(() => undefined))?.closeTime;
  const byCommand = rb?.status === 'COMPLETED' && rb.result.mode === 'aborted';
  const trigger = byCommand ? 'rollback' : outcome.errorType === SagaFailureTypes.aborted ? 'abort' : outcome.status === 'CANCELLED' ? 'cancellation' : 'failure';
  const reason = outcome.progress?.error ?? outcome.error ?? '';
  return { ...outcome, rolledBack: { at: closed?.toISOString() ?? '', reason, by: byCommand ? rb.workflowId : outcome.workflowId, trigger } };
}

/** The outcome with another phase, also in the progress it prints. */
function shown(o: Outcome, phase: Phase, exitCode: number): Outcome {
  return { ...o, phase, exitCode, ...(o.progress ? { progress: { ...o.progress, phase } } : {}) };
}
