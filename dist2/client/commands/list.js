"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.listCommand = void 0;
exports.runRow = runRow;
exports.formatRows = formatRows;
const database_name_1 = require("../../common/database-name");
const names_1 = require("../../common/names");
const search_attributes_1 = require("../../common/search-attributes");
const suggest_1 = require("../../common/suggest");
const command_1 = require("../command");
const connection_1 = require("../connection");
const search_attributes_2 = require("../search-attributes");
const upgrade_view_1 = require("../upgrade-view");
const PHASES = ['starting', 'running', 'paused', 'awaiting_approval', 'awaiting_operator', 'monitoring', 'rolling_back', 'rolled_back', 'rollback_failed', 'completed', 'blocked'];
/** Temporal's status when the run carries no attributes (started before setup-namespace). */
function statusOutcome(status) {
    return status === 'RUNNING' ? 'running' : status === 'COMPLETED' ? 'completed' : status.toLowerCase();
}
function runRow(w, now = Date.now()) {
    const sa = w.typedSearchAttributes;
    const end = w.closeTime?.getTime() ?? (w.status.name === 'RUNNING' ? now : undefined);
    return {
        workflowId: w.workflowId,
        database: sa.get(search_attributes_1.StpDatabase) ?? null,
        phase: sa.get(search_attributes_1.StpPhase) ?? w.status.name.toLowerCase(),
        step: sa.get(search_attributes_1.StpStep) ?? null,
        rowsCopied: sa.get(search_attributes_1.StpRowsCopied) ?? null,
        outcome: sa.get(search_attributes_1.StpOutcome) ?? statusOutcome(w.status.name),
        status: w.status.name,
        startedAt: w.startTime.toISOString(),
        durationSeconds: end === undefined ? null : Math.max(0, Math.round((end - w.startTime.getTime()) / 1000)),
    };
}
async function collect(client, query, limit) {
    const out = [];
    for await (const w of client.workflow.list({ query, pageSize: Math.min(limit, 100) })) {
        out.push(w);
        if (out.length >= limit)
            break;
    }
    return out;
}
exports.listCommand = {
    name: 'list',
    summary: 'list upgrade runs: phase, database, start, duration, outcome (newest first)',
    usage: 'stp-upgrade list [--database NAME] [--phase PHASE] [--limit N] [--json]',
    help: [
        'Reads the runs\' search attributes (StpDatabase, StpPhase, StpStep, StpRowsCopied, StpOutcome), so',
        'the namespace needs them: `stp-upgrade setup-namespace` once. Outcome tells apart what Temporal',
        'shows as FAILED: refused (nothing was changed), rolled_back, rollback_failed; reverted when',
        '`stp-upgrade rollback` undid a finished run. The same filter in the Temporal UI:',
        '  WorkflowType = "upgradeWorkflow" AND StpPhase = "rolling_back"',
        `Phases: ${PHASES.join(', ')}. Default --limit 20. Exit 0, 2 for a bad filter, 4 when Temporal is unreachable.`,
        'Examples:',
        '  stp-upgrade list',
        '  stp-upgrade list --database primary --phase running --json',
    ].join('\n'),
    options: { database: { type: 'string' }, phase: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
    async run(args, ctx) {
        if (args.positionals.length > 0)
            throw new command_1.CliError(`unexpected argument "${args.positionals[0]}". Usage: ${this.usage}`);
        const database = (0, command_1.stringOpt)(args, 'database');
        const phase = (0, command_1.stringOpt)(args, 'phase');
        const limit = Number((0, command_1.stringOpt)(args, 'limit') ?? 20);
        if (database !== undefined && !database_name_1.DatabaseName.safeParse(database).success)
            throw new command_1.CliError(`--database: expected a database name such as "primary", got "${database}"`);
        if (phase !== undefined && !PHASES.includes(phase))
            throw new command_1.CliError(`--phase: expected one of ${PHASES.join(', ')}${(0, suggest_1.didYouMean)(phase, PHASES)}, got "${phase}"`);
        if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
            throw new command_1.CliError(`--limit: expected an integer from 1 to 10,000, got "${(0, command_1.stringOpt)(args, 'limit')}"`);
        const { client, settings, close } = await (0, connection_1.connectClient)(ctx.env);
        try {
            const missing = await (0, search_attributes_2.missingAttributes)(client);
            if ((database || phase) && missing.length) {
                throw new command_1.CliError(`namespace "${settings.namespace}" has no ${missing.join(', ')} search attributes, so runs cannot be filtered: run \`stp-upgrade setup-namespace\` (runs started after it carry them)`);
            }
            const filters = [`WorkflowType = '${names_1.WorkflowTypes.upgrade}'`, ...(database ? [`StpDatabase = '${database}'`] : []), ...(phase ? [`StpPhase = '${phase}'`] : [])];
            const rows = (await collect(client, filters.join(' AND '), limit)).map((w) => runRow(w));
            // A finished run undone later by `stp-upgrade rollback` still shows COMPLETED in Temporal.
            const reverts = await collect(client, `WorkflowType = '${names_1.WorkflowTypes.rollback}' AND ExecutionStatus = 'Completed'`, 1000).catch(() => []);
            for (const r of rows) {
                const rb = reverts.find((w) => w.workflowId === `${r.workflowId}-rollback`);
                if (rb && r.status !== 'RUNNING' && r.outcome !== 'rolled_back')
                    Object.assign(r, { outcome: 'reverted', revertedBy: rb.workflowId });
            }
            if (args.values.json)
                ctx.out(JSON.stringify(rows, null, 2));
            else
                ctx.out(formatRows(rows, missing.length > 0).join('\n'));
            return names_1.ExitCodes.ok;
        }
        finally {
            await close();
        }
    },
};
function formatRows(rows, noAttributes) {
    if (rows.length === 0)
        return ['No upgrade runs match.'];
    const table = [['ID', 'PHASE', 'STEP', 'DATABASE', 'STARTED', 'DURATION', 'ROWS', 'OUTCOME']];
    for (const r of rows) {
        table.push([r.workflowId, r.phase, r.step ?? '-', r.database ?? '-', r.startedAt.replace(/\.\d+Z$/, 'Z'), r.durationSeconds === null ? '-' : (0, upgrade_view_1.duration)(r.durationSeconds),
            r.rowsCopied === null ? '-' : r.rowsCopied.toLocaleString('en-US'), r.outcome]);
    }
    const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
    const lines = table.map((row) => row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
    if (noAttributes)
        lines.push('', 'Phase, step, database and outcome come from search attributes this namespace lacks: run `stp-upgrade setup-namespace`.');
    return lines;
}
//# sourceMappingURL=list.js.map