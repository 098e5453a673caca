"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.throttleCommand = void 0;
const names_1 = require("../../common/names");
const command_1 = require("../command");
const signal_run_1 = require("./signal-run");
/** The bounds the saga's throttle signal accepts (workflows/upgrade/controls.ts). */
const MAX_BATCH = 1_000_000;
const MAX_PAUSE_MS = 600_000;
function intOpt(value, name, min, max) {
    if (value === undefined)
        return undefined;
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
        throw new command_1.CliError(`--${name}: expected an integer from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}, got "${value}"`);
    }
    return n;
}
exports.throttleCommand = {
    name: 'throttle',
    summary: 'change the batch size or the pause between batches of a running upgrade',
    usage: 'stp-upgrade throttle ID [--batch-size N] [--throttle-ms N]',
    help: [
        'Sends the throttle signal: from the next copy slice on (seconds), batches are N rows and the',
        'copy pauses --throttle-ms between batches; the plan\'s values are overridden for the rest of',
        'the run. Smaller batches and a pause spare a busy primary; `status` shows the batch size.',
        'Exit 0 when the signal was delivered, 2 for a bad value, an unknown id or a run that has ended.',
        'Examples:',
        '  stp-upgrade throttle stp-upgrade-primary-20250102T030405Z --batch-size 1000 --throttle-ms 200',
        '  stp-upgrade throttle stp-upgrade-primary-20250102T030405Z --throttle-ms 0',
    ].join('\n'),
    options: { 'batch-size': { type: 'string' }, 'throttle-ms': { type: 'string' } },
    async run(args, ctx) {
        const [id, ...extra] = args.positionals;
        if (!id || extra.length > 0)
            throw new command_1.CliError(`expected one run id. Usage: ${this.usage}`);
        const input = {};
        const batchSize = intOpt((0, command_1.stringOpt)(args, 'batch-size'), 'batch-size', 1, MAX_BATCH);
        const throttleMs = intOpt((0, command_1.stringOpt)(args, 'throttle-ms'), 'throttle-ms', 0, MAX_PAUSE_MS);
        if (batchSize !== undefined)
            input.batchSize = batchSize;
        if (throttleMs !== undefined)
            input.throttleMs = throttleMs;
        if (batchSize === undefined && throttleMs === undefined)
            throw new command_1.CliError(`throttle: give --batch-size N, --throttle-ms N or both. Usage: ${this.usage}`);
        await (0, signal_run_1.signalRun)(ctx, id, this.usage, names_1.SignalNames.throttle, input);
        const what = [batchSize !== undefined ? `batch size ${batchSize}` : '', throttleMs !== undefined ? `${throttleMs} ms between batches` : ''].filter(Boolean).join(', ');
        ctx.out(`Throttle sent to ${id}: ${what}; it takes effect at the next copy slice. See: stp-upgrade status ${id}`);
        return names_1.ExitCodes.ok;
    },
};
//# sourceMappingURL=throttle.js.map