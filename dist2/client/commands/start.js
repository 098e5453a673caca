"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.startCommand = void 0;
exports.defaultWorkflowId = defaultWorkflowId;
const client_1 = require("@temporalio/client");
const names_1 = require("../../common/names");
const command_1 = require("../command");
const connection_1 = require("../connection");
const plan_file_1 = require("../plan-file");
const rolled_back_1 = require("../rolled-back");
const upgrade_outcome_1 = require("../upgrade-outcome");
const upgrade_view_1 = require("../upgrade-view");
const search_attributes_1 = require("../search-attributes");
const worker_check_1 = require("../worker-check");
/** stp-upgrade-primary-20250102T030405Z: sortable, names the database, unique per second. */
function defaultWorkflowId(database, now = new Date()) {
    return `stp-upgrade-${database}-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}
exports.startCommand = {
    name: 'start',
    summary: 'start an upgrade run from a plan file (validated here first)',
    usage: 'stp-upgrade start --plan FILE [--workflow-id ID] [--wait] [--json]',
    help: [
        'Validates the plan locally (exit 2 with every problem, nothing started), then starts the',
        'upgrade saga. Default id: stp-upgrade-<database>-<UTC timestamp>. Without --wait it prints the',
        'id and returns at once; with --wait it waits for the end and exits by outcome: 0 completed,',
        '1 failed and rolled back, 2 refused before changing anything (bad plan, defects under',
        'policy block), 3 rollback failed. --json prints the final phase and the verify report.',
        'When no worker polls the task queue, the run is still started (it waits for one) and a line',
        'on stderr says so and how to start a worker; --wait keeps waiting and says when one comes.',
        'Examples:',
        '  stp-upgrade start --plan plans/primary.yaml',
        '  stp-upgrade start --plan plans/primary.yaml --workflow-id upgrade-2025-01 --wait --json',
    ].join('\n'),
    options: { plan: { type: 'string' }, 'workflow-id': { type: 'string' }, wait: { type: 'boolean' }, json: { type: 'boolean' } },
    async run(args, ctx) {
        if (args.positionals.length > 0)
            throw new command_1.CliError(`unexpected argument "${args.positionals[0]}". Usage: ${this.usage}`);
        const plan = (0, plan_file_1.loadPlan)((0, command_1.requireOpt)(args, 'plan', this.usage));
        const workflowId = (0, command_1.stringOpt)(args, 'workflow-id') ?? defaultWorkflowId(plan.database);
        const { client, settings, close } = await (0, connection_1.connectClient)(ctx.env);
        try {
            const noWorker = await (0, worker_check_1.missingWorker)(client, settings.taskQueue);
            const decorations = await (0, search_attributes_1.startDecorations)(client, plan);
            if (!decorations.typedSearchAttributes) {
                ctx.err('stp-upgrade start: note: this namespace has no stp search attributes, so `stp-upgrade list` and the UI\'s filters will not show this run\'s phase; run `stp-upgrade setup-namespace` once.');
            }
            const handle = await client.workflow
                .start(names_1.WorkflowTypes.upgrade, { taskQueue: settings.taskQueue, workflowId, args: [plan], ...decorations })
                .catch((err) => {
                if (err instanceof client_1.WorkflowExecutionAlreadyStartedError) {
                    throw new command_1.CliError(`a run with id "${workflowId}" already exists: watch it with \`stp-upgrade watch ${workflowId}\` or choose another --workflow-id`);
                }
                throw err;
            });
            if (noWorker)
                ctx.err(`stp-upgrade start: run ${workflowId} is started but waits: ${noWorker}`);
            if (!args.values.wait) {
                if (args.values.json)
                    ctx.out(JSON.stringify({ workflowId, runId: handle.firstExecutionRunId }, null, 2));
                else {
                    ctx.out(`Started upgrade ${workflowId} (task queue ${settings.taskQueue}).`);
                    ctx.out(`Watch it:  stp-upgrade watch ${workflowId}`);
                    ctx.out(`Steer it:  stp-upgrade pause|resume|abort ${workflowId}`);
                }
                return names_1.ExitCodes.ok;
            }
            if (!args.values.json)
                ctx.out(`Started upgrade ${workflowId}; waiting for it to finish (Ctrl-C stops waiting, not the run).`);
            const stop = (0, worker_check_1.reportWorkers)(client, settings.taskQueue, (line) => ctx.err(`stp-upgrade start: ${line}`), { missing: Boolean(noWorker) });
            const outcome = await (0, rolled_back_1.withRollback)(client, handle, await (0, upgrade_outcome_1.awaitOutcome)(handle).finally(stop));
            ctx.out(args.values.json ? (0, upgrade_view_1.outcomeJson)(outcome) : (0, upgrade_view_1.formatOutcome)(outcome).join('\n'));
            return outcome.exitCode;
        }
        finally {
            await close();
        }
    },
};
//# sourceMappingURL=start.js.map