"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.checkPreconditions = checkPreconditions;
const db_1 = require("../db");
const age_1 = require("../graph/age");
const csv_1 = require("../graph/csv");
const graph_1 = require("./graph");
/**
 * What must hold before a run may start, each problem with its fix. Collected all at once so the
 * operator fixes everything in one go. Read-only.
 */
async function checkPreconditions(client, runId, plan, a) {
    const db = plan.database;
    const problems = [];
    const missing = Object.entries(plan.legacy).filter(([, table]) => a.tables[table] === null);
    if (missing.length) {
        problems.push(`legacy table(s) missing in schema "${plan.schema}" of database ${db}: ` +
            `${missing.map(([role, table]) => `${table} (plan.legacy.${role})`).join(', ')}; ` +
            `point plan.schema and plan.legacy at the STP tables`);
    }
    if (!a.extensions.vector)
        problems.push(extensionProblem('vector', 'pgvector', db, a));
    const age = Boolean(a.extensions.age);
    let graph = { available: age, skipped: false };
    let check = null;
    const unavailable = (why, fix) => {
        if (plan.graph.optional)
            graph = { available: false, skipped: true, reason: why };
        else
            problems.push(`${why}: ${fix}, or set plan.graph.optional: true to skip the graph step`);
    };
    if (!plan.steps.includes('graph')) {
        // A plan without the graph step neither needs the legacy graph nor copies it.
        graph = { available: age, skipped: true, reason: 'the plan has no graph step' };
    }
    else if (!age) {
        unavailable(`extension age is ${a.availableExtensions.includes('age') ? 'not installed' : 'not available on the server'} in database ${db}`, a.availableExtensions.includes('age') ? 'run CREATE EXTENSION age as a superuser' : 'install Apache AGE for this PostgreSQL version, then run CREATE EXTENSION age');
    }
    else if (plan.graph.source.kind === 'age') {
        const source = plan.graph.source.graph;
        if (await (0, graph_1.ageGraphExists)(client, source))
            check = { kind: 'age', graph: source };
        else
            unavailable(`legacy graph "${source}" does not exist in database ${db}`, 'set plan.graph.source.graph to the legacy graph');
    }
    else {
        const { nodesFile, edgesFile } = plan.graph.source;
        try {
            await (0, csv_1.readCsvHeader)(nodesFile, csv_1.NODE_COLUMNS);
            await (0, csv_1.readCsvHeader)(edgesFile, csv_1.EDGE_COLUMNS);
            check = { kind: 'csv', nodesFile, edgesFile };
        }
        catch (err) {
            unavailable(err.message, 'fix plan.graph.source (the files are read by the worker)');
        }
    }
    if (graph.skipped)
        graph = { ...graph, available: false };
    problems.push(...(await leftovers(client, runId, plan, age && !graph.skipped)));
    return { problems, graph, check };
}
function extensionProblem(ext, pkg, db, a) {
    return a.availableExtensions.includes(ext)
        ? `extension ${ext} is not installed in database ${db}: run CREATE EXTENSION ${ext} as a superuser`
        : `extension ${ext} is not available on the server of database ${db}: install ${pkg} for this PostgreSQL version, then run CREATE EXTENSION ${ext}`;
}
/** Target objects that exist but are not this run's, and another active run. */
async function leftovers(client, runId, plan, checkGraph) {
    const problems = [];
    const { rows: bk } = await client.query(`select to_regclass('stp_migration.runs') is not null as ok`);
    const runs = bk[0].ok;
    const creator = async (kind, name) => {
        if (!runs)
            return { mine: false, by: 'not created by stp-upgrade' };
        const { rows } = await client.query(`select run_id, status from stp_migration.runs where created_objects @> $1::jsonb order by started_at desc`, [JSON.stringify([{ kind, name }])]);
        // a finished row under this id is an earlier run that reused the id: its objects are not ours
        const mine = rows.some((r) => r.run_id === runId && (r.status === 'running' || r.status === 'rolling_back'));
        const other = rows.find((r) => r.run_id !== runId || !mine);
        return { mine, by: other ? `created by run ${other.run_id}, status ${other.status}` : 'not created by stp-upgrade' };
    };
    for (const [role, table] of Object.entries(plan.target)) {
        const name = `${plan.schema}.${table}`;
        const { rows } = await client.query(`select to_regclass($1) is not null as ok`, [(0, db_1.qualified)(plan.schema, table)]);
        if (!rows[0].ok)
            continue;
        const c = await creator('table', name);
        if (!c.mine) {
            // Never suggest dropping a live run's table (or, were validation bypassed, a legacy one).
            const live = /status (running|rolling_back)$/.test(c.by) || Object.values(plan.legacy).includes(table);
            problems.push(live
                ? `target table ${name} is in use (${c.by}): wait for that run to finish or abort it (\`stp-upgrade status\`), or set plan.target.${role} to another name`
                : `target table ${name} already exists and was not created by run ${runId} (${c.by}): drop it if it is left over ` +
                    `from an earlier attempt (DROP TABLE ${name}), or set plan.target.${role} to another name`);
        }
    }
    if (checkGraph && (await (0, graph_1.ageGraphExists)(client, plan.graph.target))) {
        const g = plan.graph.target;
        const c = await creator('graph', g);
        const mark = await (0, age_1.graphOwner)(client, g).catch(() => null);
        if (!c.mine && mark !== (0, age_1.ownerComment)(runId)) {
            problems.push(`target graph "${g}" already exists and was not created by run ${runId} (${c.by}): drop it if it is left over ` +
                `(SELECT ag_catalog.drop_graph('${g}', true)), or set plan.graph.target to another name`);
        }
    }
    if (runs) {
        const { rows } = await client.query(`select run_id, workflow_id, status, started_at from stp_migration.runs
        where status in ('running', 'rolling_back') and run_id <> $1`, [runId]);
        for (const r of rows) {
            problems.push(`another upgrade run is active on database ${plan.database}: run ${r.run_id} (workflow ${r.workflow_id ?? r.run_id}, ` +
                `${r.status} since ${r.started_at.toISOString()}); wait for it to finish or abort it`);
        }
    }
    return problems;
}
//# sourceMappingURL=preconditions.js.map