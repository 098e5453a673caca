"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.approveCommand = void 0;
const names_1 = require("../../common/names");
const command_1 = require("../command");
const update_run_1 = require("./update-run");
exports.approveCommand = {
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
        if (args.positionals.length > 1)
            throw new command_1.CliError(`expected one run id. Usage: ${this.usage}`);
        const id = args.positionals[0];
        const by = (0, command_1.requireOpt)(args, 'by', this.usage).trim();
        if (!by)
            throw new command_1.CliError(`--by: expected the approver's name. Usage: ${this.usage}`);
        const comment = (0, command_1.stringOpt)(args, 'comment');
        const input = { by, ...(comment ? { comment } : {}) };
        const approval = await (0, update_run_1.updateRun)(ctx, id, this.usage, names_1.UpdateNames.approve, input);
        ctx.out(`Approved by ${approval.by} at ${approval.at}: ${id} switches traffic to green now. Follow it: stp-upgrade watch ${id}`);
        return names_1.ExitCodes.ok;
    },
};
//# sourceMappingURL=approve.js.map