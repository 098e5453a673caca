"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.rollbackCommand = void 0;
const client_1 = require("@temporalio/client");
const database_name_1 = require("../../common/database-name");
const names_1 = require("../../common/names");
const rollback_1 = require("../../common/rollback");
const command_1 = require("../command");
const connection_1 = require("../connection");
const rolled_back_1 = require("../rolled-back");
const run_plan_1 = require("../run-plan");
const upgrade_outcome_1 = require("../upgrade-outcome");
const worker_check_1 = require("../worker-check");
const workflow_errors_1 = require("../workflow-errors");
exports.rollbackCommand = {
    name: 'rollback',
    summary: 'emergency rollback of an upgrade run, even one that has completed',
    usage: 'stp-upgrade rollback ID [--database NAME] [--reason TEXT] [--accept-loss] [--json]',
    help: [
        'An open run is aborted and rolls itself back. A run that has ended (completed and finalized,',
        'or whose rollback failed) is undone from its stored plan: unfinalize, blue started and',
        'traffic switched back to it (proven by its headers), green stopped, then the target graph,',
        'quarantine and tables of that run dropped. Legacy tables are never touched; running it twice',
        'is safe. The run\'s bookkeeping goes too (the stp_migration schema when the run created it and',
        'no other run is recorded there); `stp-upgrade status ID` then says rolled_back, when and why.',
        'Writes green acknowledged before finalize are carried back to the legacy tables; writes made',
        'after finalize cannot be (capture ends there): the rollback of a finalized run then says how',
        'many there were and stops, unless --accept-loss is given.',
        'When the plan backed up the configuration and binary (backup.config, backup.binary), the ones',
        'that differ from the backup are restored and blue restarted on them and checked healthy; the',
        'result lists them (emergency_rollback.sh).',
        '--database defaults to the run\'s own plan. Waits for the end. Exit 0 rolled back',
        '(or nothing left to undo), 1 failed, 2 unknown id, 3 rollback failed: undo the rest by hand.',
        'Example: stp-upgrade rollback stp-upgrade-primary-20250102T030405Z --reason "search latency"',
    ].join('\n'),
    options: { database: { type: 'string' }, reason: { type: 'string' }, 'accept-loss': { type: 'boolean' }, json: { type: 'boolean' } },
    async run(args, ctx) {
        const [id, ...extra] = args.positionals;
        if (!id || extra.length > 0)
            throw new command_1.CliError(`expected one run id. Usage: ${this.usage}`);
        const { client, settings, close } = await (0, connection_1.connectClient)(ctx.env);
        try {
            const { handle: upgrade } = await (0, upgrade_outcome_1.existingRun)(client, id);
            // Rolled back before: say when and why instead of starting a rollback that finds nothing.
            const prev = await (0, rolled_back_1.rollbackOf)(client, id);
            if (prev?.status === 'COMPLETED' && prev.result.mode !== 'nothing') {
                const r = prev.result;
                ctx.out(args.values.json ? JSON.stringify({ ...r, exitCode: names_1.ExitCodes.ok }, null, 2) : `run ${id} is already rolled back (${r.at ?? ''} by ${prev.workflowId}: ${r.reason ?? ''}): ${r.message}`);
                return names_1.ExitCodes.ok;
            }
            const database = (0, command_1.stringOpt)(args, 'database') ?? (await planDatabase(upgrade)) ?? 'primary';
            if (!database_name_1.DatabaseName.safeParse(database).success)
                throw new command_1.CliError(`--database: "${database}" is not a database name`);
            const input = { runId: id, database, reason: (0, command_1.stringOpt)(args, 'reason'), ...(args.values['accept-loss'] ? { acceptLoss: true } : {}) };
            const noWorker = await (0, worker_check_1.missingWorker)(client, settings.taskQueue);
            const handle = await startOrAttach(client, (0, rollback_1.rollbackWorkflowId)(id), settings.taskQueue, input);
            if (!args.values.json)
                ctx.out(`Rolling back ${id} (workflow ${handle.workflowId}); waiting for it to finish.`);
            if (noWorker)
                ctx.err(`stp-upgrade rollback: the rollback waits: ${noWorker}`);
            let result;
            try {
                result = (await handle.result());
            }
            catch (err) {
                const root = (0, workflow_errors_1.rootFailure)(err);
                const code = root.type === 'RollbackFailed' ? names_1.ExitCodes.rollbackFailed : root.type === 'BadInputError' ? names_1.ExitCodes.badInput : names_1.ExitCodes.failed;
                throw new command_1.CliError(root.message, code);
            }
            // An aborted run rolled itself back: its own outcome says whether that worked.
            const code = result.mode === 'aborted' && (await (0, upgrade_outcome_1.awaitOutcome)(upgrade)).exitCode === names_1.ExitCodes.rollbackFailed ? names_1.ExitCodes.rollbackFailed : names_1.ExitCodes.ok;
            ctx.out(args.values.json ? JSON.stringify({ ...result, exitCode: code }, null, 2) : `${result.message}${code === names_1.ExitCodes.ok ? '' : '\nTHE RUN\'S OWN ROLLBACK FAILED: see stp-upgrade status ' + id}`);
            return code;
        }
        finally {
            await close();
        }
    },
};
/** One rollback per run at a time: a second invocation waits for the one in flight. */
async function startOrAttach(client, workflowId, taskQueue, input) {
    try {
        return await client.workflow.start(names_1.WorkflowTypes.rollback, { taskQueue, workflowId, args: [input] });
    }
    catch (err) {
        if (err instanceof client_1.WorkflowExecutionAlreadyStartedError)
            return client.workflow.getHandle(workflowId);
        throw err;
    }
}
/** plan.database from the upgrade's start input (the first history event), when readable. */
async function planDatabase(handle) {
    const plan = await (0, run_plan_1.runPlanInput)(handle);
    return typeof plan?.database === 'string' ? plan.database : undefined;
}
//# sourceMappingURL=rollback.js.map