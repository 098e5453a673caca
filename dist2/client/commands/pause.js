"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.pauseCommand = void 0;
const names_1 = require("../../common/names");
const command_1 = require("../command");
const signal_run_1 = require("./signal-run");
exports.pauseCommand = {
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
        if (args.positionals.length > 1)
            throw new command_1.CliError(`expected one run id. Usage: ${this.usage}`);
        const id = args.positionals[0];
        await (0, signal_run_1.signalRun)(ctx, id, this.usage, names_1.SignalNames.pause);
        ctx.out(`Pause requested for ${id}: it takes effect after the current slice. Resume: stp-upgrade resume ${id}`);
        return names_1.ExitCodes.ok;
    },
};
//# sourceMappingURL=pause.js.map