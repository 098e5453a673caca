"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.abortCommand = void 0;
const names_1 = require("../../common/names");
const command_1 = require("../command");
const signal_run_1 = require("./signal-run");
exports.abortCommand = {
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
        if (args.positionals.length > 1)
            throw new command_1.CliError(`expected one run id. Usage: ${this.usage}`);
        const id = args.positionals[0];
        const input = { reason: (0, command_1.stringOpt)(args, 'reason') };
        await (0, signal_run_1.signalRun)(ctx, id, this.usage, names_1.SignalNames.abort, input);
        ctx.out(`Abort requested for ${id}: the run rolls back now. Follow it: stp-upgrade watch ${id}`);
        return names_1.ExitCodes.ok;
    },
};
//# sourceMappingURL=abort.js.map