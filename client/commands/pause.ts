import { ExitCodes, SignalNames } from '../../common/names';
import { CliError, type Command } from '../command';
import { signalRun } from './signal-run';

export const pauseCommand: Command = {
  name: 'pause',
  summary: 'pause an upgrade run after its current copy slice (at most ~20 s)',
  usage: 'stp-upgrade pause ID',
  help: [
    'The run finishes the slice in flight, commits it and waits; nothing is rolled back.',
    'Resume with `stp-upgrade resume ID`. Exit 0 when the signal was delivered, 2 when the id is',
    'unknown or the run has ended.',
    'Example: stp-upgrade pause stp-upgrade-primary-20250102T030405Z',
  ].join('\n'),
  options: {},
  async run(args, ctx) {
    if (args.positionals.length > 1) throw new CliError(`expected one run id. Usage: ${this.usage}`);
    const id = args.positionals[0];
    await signalRun(ctx, id, this.usage, SignalNames.pause);
    ctx.out(`Pause requested for ${id}: it takes effect after the current slice. Resume: stp-upgrade resume ${id}`);
    return ExitCodes.ok;
  },
};
