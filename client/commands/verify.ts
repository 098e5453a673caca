import { randomUUID } from 'node:crypto';
import { ExitCodes, WorkflowTypes } from '../../common/names';
import type { VerifyReport } from '../../common/steps';
import { CliError, type Command, requireOpt, stringOpt } from '../command';
import { connectClient } from '../connection';
import { loadPlan } from '../plan-file';
import { toCliError } from '../workflow-errors';
import { formatReport } from '../upgrade-view';

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'run the post-migration checks alone (read-only) and print the report',
  usage: 'stp-upgrade verify --plan FILE [--run-id ID] [--json]',
  help: [
    'Counts, checksums and consistency checks of MIGRATION-CONTRACT section 5 against the plan\'s',
    'database; --run-id names the upgrade run whose quarantine counts as accounted for. Changes',
    'nothing. Exit 0 when the report is ok, 1 when it lists problems, 2 for a bad plan.',
    'Example: stp-upgrade verify --plan plans/primary.yaml --run-id stp-upgrade-primary-20250102T030405Z --json',
  ].join('\n'),
  options: { plan: { type: 'string' }, 'run-id': { type: 'string' }, json: { type: 'boolean' } },
  async run(args, ctx) {
    if (args.positionals.length > 0) throw new CliError(`unexpected argument "${args.positionals[0]}". Usage: ${this.usage}`);
    const plan = loadPlan(requireOpt(args, 'plan', this.usage));
    const runId = stringOpt(args, 'run-id');
    const { client, settings, close } = await connectClient(ctx.env);
    try {
      const report = (await client.workflow
        .execute(WorkflowTypes.verify, {
          taskQueue: settings.taskQueue,
          workflowId: `stp-verify-${plan.database}-${randomUUID().slice(0, 8)}`,
          args: [{ plan, runId }],
          workflowExecutionTimeout: '3 hours',
        })
        .catch((err: unknown) => {
          throw toCliError(err);
        })) as VerifyReport;
      ctx.out(args.values.json ? JSON.stringify(report, null, 2) : formatReport(report).join('\n'));
      return report.ok ? ExitCodes.ok : ExitCodes.failed;
    } finally {
      await close();
    }
  },
};
