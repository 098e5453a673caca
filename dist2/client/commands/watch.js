"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.watchCommand = void 0;
exports.plainLine = plainLine;
const promises_1 = require("node:timers/promises");
const names_1 = require("../../common/names");
const command_1 = require("../command");
const connection_1 = require("../connection");
const monitor_live_1 = require("../monitor-live");
const rolled_back_1 = require("../rolled-back");
const upgrade_outcome_1 = require("../upgrade-outcome");
const run_details_1 = require("../run-details");
const terminal_1 = require("../terminal");
const upgrade_view_1 = require("../upgrade-view");
const worker_check_1 = require("../worker-check");
/** How often watch asks Temporal whether a worker polls the run's task queue. */
const WORKER_CHECK_MS = 5000;
exports.watchCommand = {
    name: 'watch',
    summary: 'follow an upgrade run live until it ends; exits with the run\'s exit code',
    usage: 'stp-upgrade watch ID [--interval MS]',
    help: [
        'Redraws phase, step and one progress bar per copy rule every second on a terminal, in place and',
        'fitted to its width (a long line is broken, never wrapped by the terminal); the ETA covers the',
        'whole copy, and a step whose activity fails and is retried shows a RETRYING line with its error.',
        'Prints a plain line whenever something changes when stdout is not a terminal (logs, CI). Ctrl-C stops',
        'watching, not the run. Exit code: 0 completed, 1 failed and rolled back, 2 refused before',
        'changing anything, 3 rollback failed, 4 Temporal unreachable. When no worker polls the run\'s task queue, a line on',
        'stderr says so (and how to start one) and watch goes on waiting.',
        'Example: stp-upgrade watch stp-upgrade-primary-20250102T030405Z',
    ].join('\n'),
    options: { interval: { type: 'string' } },
    async run(args, ctx) {
        const [id, ...extra] = args.positionals;
        if (!id || extra.length > 0)
            throw new command_1.CliError(`expected one run id. Usage: ${this.usage}`);
        const interval = Number((0, command_1.stringOpt)(args, 'interval') ?? 1000);
        if (!Number.isInteger(interval) || interval < 50)
            throw new command_1.CliError(`--interval: expected milliseconds, at least 50, got "${(0, command_1.stringOpt)(args, 'interval')}"`);
        const tty = process.stdout.isTTY === true && ctx.env.TERM !== 'dumb';
        const columns = () => process.stdout.columns || Number(ctx.env.COLUMNS) || 80;
        const { client, close } = await (0, connection_1.connectClient)(ctx.env);
        try {
            let { handle, status, description } = await (0, upgrade_outcome_1.existingRun)(client, id);
            const queue = status === 'RUNNING' ? description.taskQueue : '';
            let drawn = 0;
            let last = '';
            let noWorker;
            let checked = 0;
            let p;
            let asked = 0;
            while (status === 'RUNNING') {
                if (Date.now() - checked >= WORKER_CHECK_MS) {
                    checked = Date.now();
                    const now = await (0, worker_check_1.missingWorker)(client, queue);
                    if (now !== noWorker) {
                        ctx.err(`stp-upgrade watch: ${now ? `run ${id} waits: ${now}` : `a worker polls task queue "${queue}" now.`}`);
                        drawn = 0; // keep the message on screen: the next frame is drawn below it
                        noWorker = now;
                    }
                }
                // Without a worker a query only waits for the server's timeout: skip it.
                if (!noWorker && Date.now() - asked >= interval) {
                    asked = Date.now();
                    const q = await (0, worker_check_1.withQueryDeadline)(client, () => handle.query(names_1.QueryNames.progress), 5000).catch(() => undefined);
                    p = (q && (await (0, monitor_live_1.withLiveMonitoring)(client, q))) ?? p;
                }
                const details = (0, run_details_1.detailLines)((0, run_details_1.runDetails)(description));
                if (p) {
                    if (tty) {
                        const lines = (0, terminal_1.fitLines)([...(0, upgrade_view_1.formatProgress)(p, { columns: columns(), now: Date.now() }), ...details], columns());
                        ctx.out((0, terminal_1.redraw)(drawn, lines));
                        drawn = lines.length;
                    }
                    else {
                        const text = [plainLine(p), ...details.filter((l) => l.startsWith('RETRYING'))].join('\n');
                        if (text !== last)
                            ctx.out(text);
                        last = text;
                    }
                }
                // The bar of the rule in flight moves every second even when the progress is asked less often.
                await (0, promises_1.setTimeout)(tty ? Math.min(interval, 1000) : interval);
                description = await handle.describe();
                status = description.status.name;
            }
            const outcome = await (0, rolled_back_1.withRollback)(client, handle, await (0, worker_check_1.withQueryDeadline)(client, () => (0, upgrade_outcome_1.awaitOutcome)(handle)));
            const final = [...(0, upgrade_view_1.formatOutcome)(outcome), ...(0, run_details_1.detailLines)((0, run_details_1.runDetails)(await handle.describe()))];
            ctx.out(tty ? (0, terminal_1.redraw)(drawn, (0, terminal_1.fitLines)(final, columns())) : final.join('\n'));
            return outcome.exitCode;
        }
        finally {
            await close();
        }
    },
};
/** One line per change for logs: phase, step and the rule being copied. */
function plainLine(p) {
    const rules = Object.entries(p.rules)
        .filter(([, r]) => r && r.done < r.total)
        .map(([rule, r]) => `${rule} ${r.done}/${r.total}`);
    const m = p.monitoring && !p.monitoring.outcome
        ? ` checks ${p.monitoring.checks} failures ${p.monitoring.failures} left ${(0, upgrade_view_1.duration)(p.monitoring.secondsLeft)}${p.monitoring.paused ? ' (monitor paused)' : ''}`
        : '';
    const eta = rules.length && p.etaSeconds !== null ? ` eta ${(0, upgrade_view_1.duration)(p.etaSeconds)}` : '';
    return `${p.phase}${p.step ? ` ${p.step}` : ''}${rules.length ? ` ${rules.join(' ')}` : ''}${eta}${m}${p.paused ? ' (paused)' : ''}${p.error ? ` error: ${p.error}` : ''}`;
}
//# sourceMappingURL=watch.js.map