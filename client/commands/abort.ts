import { ExitCodes, SignalNames } from '../../common/names';
import type { AbortInput } from '../../common/upgrade-input';
import { CliError, type Command, stringOpt } from '../command';
import { signalRun } from './signal-run';

export const abortCommand: Command = {
  name: 'abort',
  summary: 'abort an upgrade run: stop it and roll back everything it changed',
  usage: 'stp-upgrade abort ID [--reason TEXT]',
  help: [
    'The copy slice in flight is cancelled, then the compensations run in reverse (drop the',
    'target graph and tables, clear the quarantine, forget the run); legacy tables are never',
    'touched. During the release steps it undoes those first: while green is monitored, traffic goes',
    'back to blue (started again if it was stopped) and green stops, then the data is undone.',
    'This command returns once the signal is delivered (exit 0; 2 when the id is unknown',
    'or the run has ended); `stp-upgrade watch ID` then exits 1 (rolled back) or 3 (rollback failed).',
    'Example: stp-upgrade abort stp-upgrade-primary-20250102T030405Z --reason "maintenance window over"',
  ].join('\n'),
  options: { reason: { type: 'string' } },
  async run(args, ctx) {
    if (args.positionals.length > 1) throw new CliError(`expected one run id. Usage: ${this.usage}`);
    const id = args.positionals[0];
    const input: AbortInput = { reason: stringOpt(args, 'reason') };
    await signalRun(ctx, id, this.usage, SignalNames.abort, input);
    ctx.out(`Abort requested for ${id}: the run rolls back now. Follow it: stp-upgrade watch ${id}`);
    return ExitCodes.ok;
  },
};
