import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { ExitCodes, WorkflowTypes } from '../../common/names';
import { CliError, type Command, requireOpt, stringOpt } from '../command';
import { connectClient } from '../connection';
import { loadPlan } from '../plan-file';
import { withRollback } from '../rolled-back';
import { awaitOutcome } from '../upgrade-outcome';
import { formatOutcome, outcomeJson } from '../upgrade-view';
import { startDecorations } from '../search-attributes';
import { missingWorker, reportWorkers } from '../worker-check';

/** stp-upgrade-primary-20250102T030405Z: sortable, names the database, unique per second. */
export function defaultWorkflowId(database: string, now = new Date()): string {
  return `stp-upgrade-${database}-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}

export const startCommand: Command = {
  name: 'start',
  summary: 'start an upgrade run from a plan file (validated here first)',
  usage: 'stp-upgrade start --plan FILE [--workflow-id ID] [--wait] [--json]',
  help: [
    'Validates the plan locally (exit 2 with every problem, nothing started), then starts the',
    'upgrade saga. Default id: stp-upgrade-<database>-<UTC timestamp>. Without --wait it prints the',
    'id and returns at once; with --wait it waits for the end and exits by outcome: 0 completed,',
    '1 failed and rolled back, 2 refused before changing anything (bad plan, defects under',
    'policy block), 3 rollback failed. --json prints the final phase and the verify report.',
    'When no worker polls the task queue, the run is still started (it waits for one) and a line',
    'on stderr says so and how to start a worker; --wait keeps waiting and says when one comes.',
    'Examples:',
    '  stp-upgrade start --plan plans/primary.yaml',
    '  stp-upgrade start --plan plans/primary.yaml --workflow-id upgrade-2025-01 --wait --json',
  ].join('\n'),
  options: { plan: { type: 'string' }, 'workflow-id': { type: 'string' }, wait: { type: 'boolean' }, json: { type: 'boolean' } },
  async run(args, ctx) {
    if (args.positionals.length > 0) throw new CliError(`unexpected argument "${args.positionals[0]}". Usage: ${this.usage}`);
    const plan = loadPlan(requireOpt(args, 'plan', this.usage));
    const workflowId = stringOpt(args, 'workflow-id') ?? defaultWorkflowId(plan.database);
    const { client, settings, close } = await connectClient(ctx.env);
    try {
      const noWorker = await missingWorker(client, settings.taskQueue);
      const decorations = await startDecorations(client, plan);
      if (!decorations.typedSearchAttributes) {
        ctx.err('stp-upgrade start: note: this namespace has no stp search attributes, so `stp-upgrade list` and the UI\'s filters will not show this run\'s phase; run `stp-upgrade setup-namespace` once.');
      }
      const handle = await client.workflow
        .start(WorkflowTypes.upgrade, { taskQueue: settings.taskQueue, workflowId, args: [plan], ...decorations })
        .catch((err: unknown) => {
          if (err instanceof WorkflowExecutionAlreadyStartedError) {
            throw new CliError(`a run with id "${workflowId}" already exists: watch it with \`stp-upgrade watch ${workflowId}\` or choose another --workflow-id`);
          }
          throw err;
        });
      if (noWorker) ctx.err(`stp-upgrade start: run ${workflowId} is started but waits: ${noWorker}`);
      if (!args.values.wait) {
        if (args.values.json) ctx.out(JSON.stringify({ workflowId, runId: handle.firstExecutionRunId }, null, 2));
        else {
          ctx.out(`Started upgrade ${workflowId} (task queue ${settings.taskQueue}).`);
          ctx.out(`Watch it:  stp-upgrade watch ${workflowId}`);
          ctx.out(`Steer it:  stp-upgrade pause|resume|abort ${workflowId}`);
        }
        return ExitCodes.ok;
      }
      if (!args.values.json) ctx.out(`Started upgrade ${workflowId}; waiting for it to finish (Ctrl-C stops waiting, not the run).`);
      const stop = reportWorkers(client, settings.taskQueue, (line) => ctx.err(`stp-upgrade start: ${line}`), { missing: Boolean(noWorker) });
      const outcome = await withRollback(client, handle, await awaitOutcome(handle).finally(stop));
      ctx.out(args.values.json ? outcomeJson(outcome) : formatOutcome(outcome).join('\n'));
      return outcome.exitCode;
    } finally {
      await close();
    }
  },
};
