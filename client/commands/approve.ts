import { ExitCodes, UpdateNames } from '../../common/names';
import type { Approval, ApproveInput } from '../../common/upgrade-input';
import { CliError, type Command, requireOpt, stringOpt } from '../command';
import { updateRun } from './update-run';

export const approveCommand: Command = {
  name: 'approve',
  summary: 'approve the switch to green of a run waiting at the approval gate',
  usage: 'stp-upgrade approve ID --by NAME [--comment TEXT]',
  help: [
    'With plan.release.approval.required, the run stops after green is deployed, smoke-tested and',
    'warmed (phase awaiting_approval) until someone approves, or rolls back when',
    'approval.timeoutMinutes pass. The approver\'s name is recorded in the run\'s progress and',
    'history. Exit 0 when approved; 2 when the id is unknown, the run has ended or it is not',
    'waiting for approval.',
    'Example: stp-upgrade approve stp-upgrade-primary-20250102T030405Z --by alice --comment "smoke ok"',
  ].join('\n'),
  options: { by: { type: 'string' }, comment: { type: 'string' } },
  async run(args, ctx) {
    if (args.positionals.length > 1) throw new CliError(`expected one run id. Usage: ${this.usage}`);
    const id = args.positionals[0];
    const by = requireOpt(args, 'by', this.usage).trim();
    if (!by) throw new CliError(`--by: expected the approver's name. Usage: ${this.usage}`);
    const comment = stringOpt(args, 'comment');
    const input: ApproveInput = { by, ...(comment ? { comment } : {}) };
    const approval = await updateRun<Approval>(ctx, id, this.usage, UpdateNames.approve, input);
    ctx.out(`Approved by ${approval.by} at ${approval.at}: ${id} switches traffic to green now. Follow it: stp-upgrade watch ${id}`);
    return ExitCodes.ok;
  },
};
