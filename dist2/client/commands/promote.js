"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.promoteCommand = void 0;
const names_1 = require("../../common/names");
const command_1 = require("../command");
const update_run_1 = require("./update-run");
exports.promoteCommand = {
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
        if (args.positionals.length > 1)
            throw new command_1.CliError(`expected one run id. Usage: ${this.usage}`);
        const id = args.positionals[0];
        const input = { reason: (0, command_1.stringOpt)(args, 'reason') };
        await (0, update_run_1.updateRun)(ctx, id, this.usage, names_1.UpdateNames.promote, input);
        ctx.out(`Promoted ${id}: monitoring ends now and the run finalizes. Follow it: stp-upgrade watch ${id}`);
        return names_1.ExitCodes.ok;
    },
};
//# sourceMappingURL=promote.js.map