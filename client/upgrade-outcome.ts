import { WorkflowFailedError, type Client, type WorkflowExecutionDescription, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure, TerminatedFailure } from '@temporalio/common';
import { ExitCodes, QueryNames } from '../common/names';
import type { Progress, VerifyReport } from '../common/steps';
import { SagaFailureTypes, type UpgradeResult } from '../common/upgrade-input';
import { CliError } from './command';
import type { RolledBack } from './rolled-back';
import { rootFailure } from './workflow-errors';

/** How an upgrade run ended, as the CLI reports it. */
export interface Outcome {
  workflowId: string;
  status: string; // RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, ...
  phase: string;
  exitCode: number;
  error?: string;
  errorType?: string;
  progress?: Progress;
  report?: VerifyReport;
  /** Set once the run was rolled back, by itself or by `stp-upgrade rollback` (client/rolled-back.ts). */
  rolledBack?: RolledBack;
}

const NOTHING_CHANGED = new Set<string>([SagaFailureTypes.badInput, SagaFailureTypes.defects, 'PreconditionError', 'UnknownDatabaseError']);

/**
 * Exit codes: 3 when the rollback failed; 2 when the run stopped before changing anything (bad
 * plan, defects under policy block, a failed precondition); 1 when it failed and was rolled back.
 */
export function failureOutcome(workflowId: string, err: unknown): Outcome {
  const root = rootFailure(err);
  const top = err instanceof WorkflowFailedError ? err.cause : undefined;
  const details = top instanceof ApplicationFailure ? top.details ?? [] : [];
  const progress = isProgress(details[0]) ? details[0] : undefined;
  if (top instanceof CancelledFailure) return { workflowId, status: 'CANCELLED', phase: 'rolled_back', exitCode: ExitCodes.failed, error: 'cancelled' };
  if (top instanceof TerminatedFailure) return { workflowId, status: 'TERMINATED', phase: 'terminated', exitCode: ExitCodes.rollbackFailed, error: `terminated without rollback: ${top.message}` };
  const type = top instanceof ApplicationFailure ? top.type ?? root.type : root.type;
  const phase = progress?.phase ?? (type === SagaFailureTypes.badInput ? 'blocked' : 'failed');
  const exitCode =
    type === SagaFailureTypes.rollbackFailed || phase === 'rollback_failed'
      ? ExitCodes.rollbackFailed
      : phase === 'blocked' || (phase !== 'rolled_back' && type && NOTHING_CHANGED.has(type))
        ? ExitCodes.badInput
        : ExitCodes.failed;
  return { workflowId, status: 'FAILED', phase, exitCode, error: top instanceof Error ? top.message : root.message, errorType: type, progress, report: progress?.report };
}

export function resultOutcome(workflowId: string, result: UpgradeResult): Outcome {
  return { workflowId, status: 'COMPLETED', phase: result.phase, exitCode: ExitCodes.ok, progress: result.progress, report: result.report };
}

/** Waits for the run to close and describes how it ended. */
export async function awaitOutcome(handle: WorkflowHandle): Promise<Outcome> {
  try {
    return resultOutcome(handle.workflowId, (await handle.result()) as UpgradeResult);
  } catch (err) {
    const outcome = failureOutcome(handle.workflowId, err);
    // A cancelled run carries no details: ask the (replaying) worker for its last progress.
    if (!outcome.progress) outcome.progress = await handle.query<Progress>(QueryNames.progress).catch(() => undefined);
    if (outcome.progress && outcome.status === 'CANCELLED') outcome.phase = outcome.progress.phase;
    outcome.report ??= outcome.progress?.report;
    return outcome;
  }
}

/** A handle on an existing run, or exit 2 naming the id that is unknown. */
export async function existingRun(client: Client, workflowId: string): Promise<{ handle: WorkflowHandle; status: string; description: WorkflowExecutionDescription }> {
  const handle = client.workflow.getHandle(workflowId);
  try {
    const d = await handle.describe();
    return { handle, status: d.status.name, description: d };
  } catch (err) {
    if ((err as Error).name === 'WorkflowNotFoundError') {
      throw new CliError(`no upgrade run with id "${workflowId}" (\`stp-upgrade list\` shows the runs; start one with \`stp-upgrade start --plan FILE\`)`, ExitCodes.badInput);
    }
    throw err;
  }
}

function isProgress(v: unknown): v is Progress {
  return typeof v === 'object' && v !== null && 'phase' in v && 'steps' in v;
}
