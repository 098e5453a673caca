import { ExitCodes, UpdateNames } from '../../common/names';
import type { MonitoringProgress } from '../../common/steps';
import type { PromoteInput } from '../../common/upgrade-input';
import { CliError, type Command, stringOpt } from '../command';
import { updateRun } from './update-run';

export const promoteCommand: Command = {
  name: 'promote',
  summary: 'end the post-switch monitoring of green early and finalize',
  usage: 'stp-upgrade promote ID [--reason TEXT]',
  help: [
    'Monitoring watches green for plan.release.monitoring.durationMinutes (24 h by default) and',
    'rolls back on a breach. Promote ends that window now: the run finalizes (schema version',
    'recorded, legacy tables kept or archived per plan). Exit 0 when monitoring was ended; 2 when',
    'the id is unknown, the run has ended or it is not monitoring.',
    'Example: stp-upgrade promote stp-upgrade-primary-20250102T030405Z --reason "error budget fine after 2 h"',
  ].join('\n'),
  options: { reason: { type: 'string' } },
  async run(args, ctx) {
    if (args.positionals.length > 1) throw new CliError(`expected one run id. Usage: ${this.usage}`);
    const id = args.positionals[0];
    const input: PromoteInput = { reason: stringOpt(args, 'reason') };
    await updateRun<MonitoringProgress | undefined>(ctx, id, this.usage, UpdateNames.promote, input);
    ctx.out(`Promoted ${id}: monitoring ends now and the run finalizes. Follow it: stp-upgrade watch ${id}`);
    return ExitCodes.ok;
  },
};
