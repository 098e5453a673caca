import type { Client, WorkflowHandle } from '@temporalio/client';
import { ExitCodes, QueryNames, WorkflowTypes } from '../../common/names';
import type { Progress } from '../../common/steps';
import { CliError, type Command } from '../command';
import { connectClient } from '../connection';
import { withLiveMonitoring } from '../monitor-live';
import { withRollback } from '../rolled-back';
import { awaitOutcome, existingRun } from '../upgrade-outcome';
import { otherWorkflow } from '../other-workflow';
import { detailLines, runDetails } from '../run-details';
import { formatOutcome, formatProgress, outcomeJson } from '../upgrade-view';
import { isDeadline, missingWorker, QUERY_TIMEOUT_MS, withQueryDeadline } from '../worker-check';

export const statusCommand: Command = {
  name: 'status',
  summary: 'show the progress of an upgrade run, or how it ended',
  usage: 'stp-upgrade status ID [--json]',
  help: [
    'For a running upgrade: phase, step, per-rule progress, rate and ETA of the whole copy (the',
    '`progress` query), the backup\'s location, when it started and for how long it runs, and a',
    'RETRYING line with the last error of a step whose activity fails and is being retried.',
    'The id of a rollback workflow (ID-rollback) shows that rollback: what is undone and what is left.',
    'For a closed one: the final phase, the verify report, the error and the rollback; a run that',
    'was rolled back (by itself, by abort, or later by `stp-upgrade rollback ID`) shows phase',
    'rolled_back with when and why (rolledBack in --json). Exit 0 when the run is running or',
    'completed, else the run\'s own exit code (1 rolled back, 2 refused, 3 rollback failed); 4 with',
    'a plain message when no worker polls the run\'s task queue to answer for a running run.',
    'Example: stp-upgrade status stp-upgrade-primary-20250102T030405Z --json',
  ].join('\n'),
  options: { json: { type: 'boolean' } },
  async run(args, ctx) {
    const [id, ...extra] = args.positionals;
    if (!id || extra.length > 0) throw new CliError(`expected one run id. Usage: ${this.usage}`);
    const { client, close } = await connectClient(ctx.env);
    try {
      const { handle, status, description } = await existingRun(client, id);
      if (description.type !== WorkflowTypes.upgrade) return await otherWorkflow(client, description, Boolean(args.values.json), ctx);
      const details = runDetails(description);
      if (status === 'RUNNING') {
        const progress = await withLiveMonitoring(client, await runningProgress(client, handle));
        ctx.out(args.values.json
          ? JSON.stringify({ workflowId: id, status, phase: progress.phase, ...details, progress }, null, 2)
          : [...formatProgress(progress, { now: Date.now() }), ...detailLines(details)].join('\n'));
        return ExitCodes.ok;
      }
      // A closed run's result is in its history; only a cancelled run's progress needs a worker (bounded).
      const outcome = await withRollback(client, handle, await withQueryDeadline(client, () => awaitOutcome(handle)));
      ctx.out(args.values.json ? outcomeJson(outcome, details) : [...formatOutcome(outcome), ...detailLines(details)].join('\n'));
      return outcome.exitCode;
    } finally {
      await close();
    }
  },
};

/** The progress query, or a plain CliError when no worker is there to answer it (or it does not answer). */
async function runningProgress(client: Client, handle: WorkflowHandle): Promise<Progress> {
  const queue = (await handle.describe()).taskQueue;
  const noWorker = await missingWorker(client, queue);
  if (noWorker) throw new CliError(`run ${handle.workflowId} is open but cannot report its progress: ${noWorker}`, ExitCodes.unreachable);
  try {
    return await withQueryDeadline(client, () => handle.query<Progress>(QueryNames.progress));
  } catch (err) {
    const fix = 'check the worker\'s log, or start one with `STP_DATABASE_URL=... stp-upgrade worker`.';
    if (isDeadline(err)) {
      throw new CliError(
        `run ${handle.workflowId} is open, but no worker on task queue "${queue}" answered its progress query within ${QUERY_TIMEOUT_MS / 1000} s ` +
          `(a worker that is overloaded, stuck, or was just stopped): ${fix}`,
        ExitCodes.unreachable,
      );
    }
    // A worker killed while it ran a workflow task leaves that task failed (timed out) until another
    // worker takes it: the server refuses queries until then (FAILED_PRECONDITION).
    const failedTask = failedWorkflowTask(err);
    if (failedTask) {
      throw new CliError(
        `run ${handle.workflowId} is open, but no worker on task queue "${queue}" answered its progress query: its last workflow task ` +
          `failed or timed out (the server: "${failedTask}"; a worker that was just stopped or crashed): ${fix}`,
        ExitCodes.unreachable,
      );
    }
    throw err;
  }
}

/** The server's words when it refuses a query because the run's workflow task failed (gRPC FAILED_PRECONDITION), else undefined. */
function failedWorkflowTask(err: unknown): string | undefined {
  const e = err as { cause?: { code?: number; details?: string; message?: string } };
  const cause = e?.cause;
  if (cause?.code !== 9) return undefined;
  return (cause.details ?? cause.message ?? '').replace(/^9 FAILED_PRECONDITION: /, '') || 'workflow task in failed state';
}
