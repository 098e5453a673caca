import { ExitCodes, QueryNames } from '../../common/names';
import type { Progress } from '../../common/steps';
import { CliError, type Command } from '../command';
import { connectClient } from '../connection';
import { withLiveMonitoring } from '../monitor-live';
import { awaitOutcome, existingRun } from '../upgrade-outcome';
import { formatOutcome, formatProgress, outcomeJson } from '../upgrade-view';

export const statusCommand: Command = {
  name: 'status',
  summary: 'show the progress of an upgrade run, or how it ended',
  usage: 'stp-upgrade status ID [--json]',
  help: [
    'For a running upgrade: phase, step, per-rule progress, rate and ETA (the `progress` query).',
    'For a closed one: the final phase, the verify report, the error and the rollback. Exit 0 when',
    'the run is running or completed, else the run\'s own exit code (1 rolled back, 2 refused,',
    '3 rollback failed).',
    'Example: stp-upgrade status stp-upgrade-primary-20250102T030405Z --json',
  ].join('\n'),
  options: { json: { type: 'boolean' } },
  async run(args, ctx) {
    const [id, ...extra] = args.positionals;
    if (!id || extra.length > 0) throw new CliError(`expected one run id. Usage: ${this.usage}`);
    const { client, close } = await connectClient(ctx.env);
    try {
      const { handle, status } = await existingRun(client, id);
      if (status === 'RUNNING') {
        const progress = await withLiveMonitoring(client, await handle.query<Progress>(QueryNames.progress));
        ctx.out(args.values.json ? JSON.stringify({ workflowId: id, status, phase: progress.phase, progress }, null, 2) : formatProgress(progress).join('\n'));
        return ExitCodes.ok;
      }
      const outcome = await awaitOutcome(handle);
      ctx.out(args.values.json ? outcomeJson(outcome) : formatOutcome(outcome).join('\n'));
      return outcome.exitCode;
    } finally {
      await close();
    }
  },
};
