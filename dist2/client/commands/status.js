"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.statusCommand = void 0;
const names_1 = require("../../common/names");
const command_1 = require("../command");
const connection_1 = require("../connection");
const monitor_live_1 = require("../monitor-live");
const rolled_back_1 = require("../rolled-back");
const upgrade_outcome_1 = require("../upgrade-outcome");
const other_workflow_1 = require("../other-workflow");
const run_details_1 = require("../run-details");
const upgrade_view_1 = require("../upgrade-view");
const worker_check_1 = require("../worker-check");
exports.statusCommand = {
    name: 'status',
    summary: 'show the progress of an upgrade run, or how it ended',
    usage: 'stp-upgrade status ID [--json]',
    help: [
        'For a running upgrade: phase, step, per-rule progress, rate and ETA of the whole copy (the',
        '`progress` query), the backup\'s location, when it started and for how long it runs, and a',
        'RETRYING line with the last error of a step whose activity fails and is being retried.',
        'The id of a rollback workflow (ID-rollback) shows that rollback: what is undone and what is left.',
        'For a closed one: the final phase, the verify report, the error and the rollback; a run that',
        'was rolled back (by itself, by abort, or later by `stp-upgrade rollback ID`) shows phase',
        'rolled_back with when and why (rolledBack in --json). Exit 0 when the run is running or',
        'completed, else the run\'s own exit code (1 rolled back, 2 refused, 3 rollback failed); 4 with',
        'a plain message when no worker polls the run\'s task queue to answer for a running run.',
        'Example: stp-upgrade status stp-upgrade-primary-20250102T030405Z --json',
    ].join('\n'),
    options: { json: { type: 'boolean' } },
    async run(args, ctx) {
        const [id, ...extra] = args.positionals;
        if (!id || extra.length > 0)
            throw new command_1.CliError(`expected one run id. Usage: ${this.usage}`);
        const { client, close } = await (0, connection_1.connectClient)(ctx.env);
        try {
            const { handle, status, description } = await (0, upgrade_outcome_1.existingRun)(client, id);
            if (description.type !== names_1.WorkflowTypes.upgrade)
                return await (0, other_workflow_1.otherWorkflow)(client, description, Boolean(args.values.json), ctx);
            const details = (0, run_details_1.runDetails)(description);
            if (status === 'RUNNING') {
                const progress = await (0, monitor_live_1.withLiveMonitoring)(client, await runningProgress(client, handle));
                ctx.out(args.values.json
                    ? JSON.stringify({ workflowId: id, status, phase: progress.phase, ...details, progress }, null, 2)
                    : [...(0, upgrade_view_1.formatProgress)(progress, { now: Date.now() }), ...(0, run_details_1.detailLines)(details)].join('\n'));
                return names_1.ExitCodes.ok;
            }
            // A closed run's result is in its history; only a cancelled run's progress needs a worker (bounded).
            const outcome = await (0, rolled_back_1.withRollback)(client, handle, await (0, worker_check_1.withQueryDeadline)(client, () => (0, upgrade_outcome_1.awaitOutcome)(handle)));
            ctx.out(args.values.json ? (0, upgrade_view_1.outcomeJson)(outcome, details) : [...(0, upgrade_view_1.formatOutcome)(outcome), ...(0, run_details_1.detailLines)(details)].join('\n'));
            return outcome.exitCode;
        }
        finally {
            await close();
        }
    },
};
/** The progress query, or a plain CliError when no worker is there to answer it (or it does not answer). */
async function runningProgress(client, handle) {
    const queue = (await handle.describe()).taskQueue;
    const noWorker = await (0, worker_check_1.missingWorker)(client, queue);
    if (noWorker)
        throw new command_1.CliError(`run ${handle.workflowId} is open but cannot report its progress: ${noWorker}`, names_1.ExitCodes.unreachable);
    try {
        return await (0, worker_check_1.withQueryDeadline)(client, () => handle.query(names_1.QueryNames.progress));
    }
    catch (err) {
        if (!(0, worker_check_1.isDeadline)(err))
            throw err;
        throw new command_1.CliError(`run ${handle.workflowId} is open, but no worker on task queue "${queue}" answered its progress query within ${worker_check_1.QUERY_TIMEOUT_MS / 1000} s ` +
            '(a worker that is overloaded, stuck, or was just stopped): check the worker\'s log, or start one with `STP_DATABASE_URL=... stp-upgrade worker`.', names_1.ExitCodes.unreachable);
    }
}
//# sourceMappingURL=status.js.map