"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createVerifyActivities = createVerifyActivities;
const db_1 = require("./db");
const heartbeat_1 = require("./heartbeat");
const checks_1 = require("./verify/checks");
const checksums_1 = require("./verify/checksums");
const context_1 = require("./verify/context");
const counts_1 = require("./verify/counts");
const legacy_1 = require("./verify/legacy");
const target_1 = require("./verify/target");
const graph_1 = require("./verify/graph");
const snapshot_1 = require("./verify/snapshot");
const metrics_1 = require("./metrics");
/**
 * Which run's quarantine explains the legacy rows that were not migrated. Inside a run: that run.
 * Outside one (runId 'adhoc' or unknown): the latest run that was not rolled back, since its target
 * rows are the ones in place; said in a warning, so an operator knows which quarantine counted.
 */
async function quarantineRun(client, runId) {
    const { rows } = await client.query(`select to_regclass('stp_migration.quarantine')::text as reg`);
    if (!rows[0].reg)
        return { run: null };
    const { rows: known } = await client.query(`select ((select count(*) from stp_migration.runs where run_id = $1) + (select count(*) from (select 1 from stp_migration.quarantine where run_id = $1 limit 1) q))::int as n`, [runId]);
    if (known[0].n > 0)
        return { run: runId };
    const { rows: latest } = await client.query(`select run_id from stp_migration.runs order by (status in ('rolled_back', 'rollback_failed')), started_at desc limit 1`);
    const run = latest[0]?.run_id ?? '';
    return { run, warning: run ? `verify outside a run ("${runId}"): the quarantine of run "${run}", the latest, is counted` : `verify outside a run ("${runId}"): no run recorded, nothing counts as quarantined` };
}
async function missingTables(client, names) {
    const missing = [];
    for (const n of names) {
        const { rows } = await client.query(`select to_regclass($1)::text as reg`, [n]);
        if (!rows[0].reg)
            missing.push(n);
    }
    return missing;
}
/**
 * ANALYZE the tables whose planner statistics are missing or stale (just loaded by the copy, before
 * autovacuum got to them): with none, the planner expects a handful of rows and picks nested loops
 * over the quarantine and the targets, which turns these scans quadratic. Statistics only: no row
 * changes, and ANALYZE blocks neither readers nor writers.
 */
async function refreshStatistics(client, tables) {
    for (const table of tables) {
        const { rows } = await client.query(`select (s.last_analyze is null and s.last_autoanalyze is null) or s.n_mod_since_analyze > 0.1 * greatest(c.reltuples, 1000) as stale
         from pg_class c join pg_stat_user_tables s on s.relid = c.oid where c.oid = to_regclass($1)`, [table]);
        if (rows[0]?.stale)
            await client.query(`analyze ${table}`);
    }
}
function createVerifyActivities({ pools }) {
    return (0, heartbeat_1.keepAliveAll)({
        /**
         * Contract section 5. Read-only (one REPEATABLE READ READ ONLY transaction: every number comes
         * from the same snapshot), callable at any time, also outside a run. `ok` is false with a
         * reason in `problems` for any lost, doubled or changed row; `missing_embeddings` and deep
         * hierarchies are warnings, as in the runbook. Heartbeats throughout and is simply redone
         * after a crash (an earlier attempt's scan still running is terminated first); cancellation
         * cancels the statement in the server.
         */
        async verify({ runId, plan }) {
            const pool = pools.get(plan.database);
            const started = Date.now();
            return (0, db_1.withLongSession)(pool, { runId, activity: 'verify', signal: (0, heartbeat_1.cancellationSignal)() }, async (client) => {
                await refreshStatistics(client, [...Object.values((0, context_1.tablesOf)(plan)), 'stp_migration.quarantine']);
                const held = await (0, snapshot_1.beginSnapshot)(pool, client, runId, plan);
                try {
                    // Scans with rough row estimates (agtype, jsonb): JIT compiling costs more than it saves.
                    await client.query(`set local timezone = 'UTC'; set local jit = off`);
                    const report = await buildReport(client, runId, plan);
                    const pending = await (0, snapshot_1.pendingChanges)(client, runId);
                    if (pending)
                        report.pending = pending;
                    const mark = await (0, snapshot_1.syncMark)(client, runId);
                    if (mark !== undefined)
                        report.syncMark = mark;
                    if (held)
                        report.warnings.push(held);
                    (0, metrics_1.recordVerify)(Date.now() - started, report.ok);
                    return report;
                }
                finally {
                    await client.query('rollback');
                }
            });
        },
    });
}
async function embeddingRows(ctx) {
    const { rows } = await ctx.client.query(`select count(*)::int as n from ${ctx.t.targetEmbeddings}`);
    return rows[0].n;
}
async function buildReport(client, runId, plan) {
    const report = {
        ok: false,
        runId,
        at: new Date().toISOString(),
        legacy: {},
        target: {},
        quarantine: {},
        checks: { orphaned_chunks: 0, invalid_template_refs: 0, missing_embeddings: 0, cycles: 0, deep_hierarchies: 0, invalid_metadata: 0 },
        checksums: [],
        graph: { skipped: true, reason: 'not verified' },
        problems: [],
        warnings: [],
    };
    const beat = (what) => (0, heartbeat_1.heartbeat)({ verify: what });
    const q = await quarantineRun(client, runId);
    if (q.warning)
        report.warnings.push(q.warning);
    const t = (0, context_1.tablesOf)(plan);
    const missing = await missingTables(client, Object.values(t));
    if (q.run === null)
        report.problems.push('stp_migration does not exist: no run has migrated this database');
    if (missing.length)
        report.problems.push(`missing tables: ${missing.join(', ')}`);
    if (report.problems.length)
        return report;
    const ctx = { client, plan, quarantineRun: q.run ?? '', t };
    // Few passes: one per legacy table (counts and the legacy side of rules 1-3), one over the
    // target (counts per kind, the target side of rules 1-5, the consistency checks), the tag rows
    // twice (rules 4 and 5), rule 6 on both sides, and the hierarchy walk.
    beat('legacy tables');
    const withEmbeddings = plan.steps.includes('embeddings');
    const { counts: legacy, digests: source } = await (0, legacy_1.legacyPass)(ctx);
    if (!withEmbeddings)
        delete legacy[plan.legacy.embeddings];
    beat('target');
    const target = await (0, target_1.targetPass)(ctx);
    report.quarantine = await (0, counts_1.quarantineByKind)(ctx);
    beat('hierarchy');
    report.checks = { ...target.checks, ...(await (0, checks_1.hierarchyChecks)(ctx)) };
    const rest = await (0, checksums_1.remainingDigests)(ctx, await (0, checksums_1.vectorSchemaOf)(ctx), beat);
    const targetDigests = { ...target.digests, ...rest.target };
    report.checksums = (0, checksums_1.ruleChecksums)({ ...source, ...rest.source }, targetDigests);
    report.target = { ...target.counts, embeddings: rest.target.embeddings?.n ?? (await embeddingRows(ctx)) };
    if (!withEmbeddings)
        report.warnings.push('embeddings: not in plan.steps, not verified');
    beat('graph');
    if (plan.steps.includes('graph')) {
        const g = await (0, graph_1.verifyGraph)(ctx);
        report.graph = g.graph;
        Object.assign(report.target, g.target);
        if (g.checksum)
            report.checksums.push(g.checksum);
        report.problems.push(...g.problems);
        report.warnings.push(...g.warnings);
        for (const [k, v] of Object.entries(g.legacy))
            legacy[k] = { ...v, both: 0 };
        for (const kind of ['vertices', 'edges']) {
            const c = g.graph[kind];
            if (c && c.source !== c.target)
                report.problems.push(`graph: ${c.source} legacy ${kind} to migrate but ${c.target} in "${plan.graph.target}"`);
        }
    }
    else {
        report.graph = { skipped: true, reason: 'graph is not in plan.steps' };
    }
    for (const [table, c] of Object.entries(legacy)) {
        report.legacy[table] = { rows: c.rows, migrated: c.migrated, quarantined: c.quarantined };
        if (c.rows !== c.migrated + c.quarantined) {
            report.problems.push(`${table}: ${c.rows} legacy rows but ${c.migrated} migrated + ${c.quarantined} quarantined`);
        }
        if (c.both > 0)
            report.problems.push(`${table}: ${c.both} rows are both migrated and quarantined`);
    }
    for (const c of report.checksums) {
        if (!c.match) {
            report.problems.push(`checksum mismatch for rule ${c.rule}: legacy ${c.rows.source} rows (${c.source}) vs target ${c.rows.target} rows (${c.target})`);
        }
    }
    const ch = report.checks;
    if (ch.orphaned_chunks)
        report.problems.push(`${ch.orphaned_chunks} orphaned chunks (parent_chunk_id not in ${plan.target.chunks})`);
    if (ch.invalid_template_refs)
        report.problems.push(`${ch.invalid_template_refs} invalid template references`);
    if (ch.cycles)
        report.problems.push(`${ch.cycles} chunks on or below a parent cycle`);
    if (ch.invalid_metadata)
        report.problems.push(`${ch.invalid_metadata} rows with invalid metadata`);
    if (ch.missing_embeddings)
        report.warnings.push(`${ch.missing_embeddings} chunks without embeddings`);
    if (ch.deep_hierarchies)
        report.warnings.push(`${ch.deep_hierarchies} hierarchies deeper than 15 levels`);
    report.ok = report.problems.length === 0;
    return report;
}
//# sourceMappingURL=verify.js.map