"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.resumeCommand = void 0;
const names_1 = require("../../common/names");
const command_1 = require("../command");
const signal_run_1 = require("./signal-run");
exports.resumeCommand = {
    name: 'resume',
    summary: 'resume a paused upgrade run',
    usage: 'stp-upgrade resume ID',
    help: [
        'Exit 0 when the signal was delivered, 2 when the id is unknown or the run has ended.',
        'Example: stp-upgrade resume stp-upgrade-primary-20250102T030405Z',
    ].join('\n'),
    options: {},
    async run(args, ctx) {
        if (args.positionals.length > 1)
            throw new command_1.CliError(`expected one run id. Usage: ${this.usage}`);
        const id = args.positionals[0];
        await (0, signal_run_1.signalRun)(ctx, id, this.usage, names_1.SignalNames.resume);
        ctx.out(`Resume requested for ${id}. Follow it: stp-upgrade watch ${id}`);
        return names_1.ExitCodes.ok;
    },
};
//# sourceMappingURL=resume.js.map