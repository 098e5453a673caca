import { ExitCodes, SignalNames } from '../../common/names';
import { CliError, type Command } from '../command';
import { signalRun } from './signal-run';

export const resumeCommand: Command = {
  name: 'resume',
  summary: 'resume a paused upgrade run',
  usage: 'stp-upgrade resume ID',
  help: [
    'Exit 0 when the signal was delivered, 2 when the id is unknown or the run has ended.',
    'Example: stp-upgrade resume stp-upgrade-primary-20250102T030405Z',
  ].join('\n'),
  options: {},
  async run(args, ctx) {
    if (args.positionals.length > 1) throw new CliError(`expected one run id. Usage: ${this.usage}`);
    const id = args.positionals[0];
    await signalRun(ctx, id, this.usage, SignalNames.resume);
    ctx.out(`Resume requested for ${id}. Follow it: stp-upgrade watch ${id}`);
    return ExitCodes.ok;
  },
};
