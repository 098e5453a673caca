"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const errors_1 = require("../../common/errors");
const plan_1 = require("../../common/plan");
const steps_1 = require("../../common/steps");
const preflight_1 = require("../../activities/preflight");
const quarantine_1 = require("../../activities/quarantine");
const runs_1 = require("../../activities/runs");
const db_1 = require("../../activities/db");
const generate_1 = require("../../fixtures/generate");
const pg_1 = require("../helpers/pg");
const defects_fixture_1 = require("./defects-fixture");
function planFor(input) {
    const r = (0, plan_1.parsePlan)(input);
    if (!r.ok)
        throw new Error(r.errors.join('\n'));
    return r.plan;
}
/** Every user table's rows and the catalog's objects, as one digest. */
async function digest(pool) {
    const { rows: tables } = await pool.query(`select c.oid::regclass::text as t from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') order by 1`);
    const parts = [];
    for (const { t } of tables) {
        const { rows } = await pool.query(`select md5(string_agg(x::text, ',' order by x::text)) as h from ${t} x`);
        parts.push(`${t}=${rows[0].h}`);
    }
    const { rows } = await pool.query(`select md5(string_agg(format('%s.%s:%s', n.nspname, c.relname, c.relkind), ',' order by n.nspname, c.relname)) ||
            (select string_agg(extname || extversion, ',' order by extname) from pg_extension) as h
       from pg_class c join pg_namespace n on n.oid = c.relnamespace`);
    return `${parts.join('\n')}\n${rows[0].h}`;
}
const refusal = (re) => (err) => err instanceof errors_1.PreconditionError && re.test(err.message);
(0, node_test_1.describe)('preflight preconditions and the run lease', () => {
    let db;
    const pools = { get: () => db.pool };
    const plan = planFor({ schema: 'legacy', graph: { source: { kind: 'age', graph: 'legacy_kg' } } });
    const preflight = (runId, p = plan) => (0, preflight_1.createPreflightActivities)({ pools }).preflight({ runId, plan: p });
    const runs = (0, runs_1.createRunActivities)({ pools });
    (0, node_test_1.before)(async () => {
        db = await (0, pg_1.createTestDatabase)('a1_preflight');
        await db.pool.query((0, defects_fixture_1.legacyDdl)('legacy') + (0, defects_fixture_1.legacyDdl)('partial'));
        await db.pool.query(`drop table partial.chunk_tags_legacy, partial.texts`);
        await (0, defects_fixture_1.insertClean)(db.pool, 'legacy');
        await (0, defects_fixture_1.insertDefects)(db.pool, 'legacy');
        await (0, defects_fixture_1.insertGraph)(db.pool, 'legacy_kg', true);
    });
    (0, node_test_1.after)(async () => db?.drop());
    (0, node_test_1.test)('preflight changes nothing, and does not create stp_migration', async () => {
        const before = await digest(db.pool);
        const r = await preflight('run-ro');
        strict_1.default.ok(Object.keys(r.defectCounts).length > 0);
        await (0, quarantine_1.createQuarantineActivities)({ pools }).quarantineDefects({ runId: 'run-ro', plan });
        strict_1.default.equal(await digest(db.pool), before);
        const { rows } = await db.pool.query(`select 1 from pg_namespace where nspname = 'stp_migration'`);
        strict_1.default.equal(rows.length, 0);
    });
    (0, node_test_1.test)('missing legacy tables are named with the plan field to fix', async () => {
        await strict_1.default.rejects(preflight('run-x', planFor({ schema: 'partial', graph: { source: { kind: 'age', graph: 'legacy_kg' } } })), refusal(/legacy table\(s\) missing in schema "partial" of database primary: texts \(plan.legacy.texts\), chunk_tags_legacy \(plan.legacy.tags\)/));
    });
    (0, node_test_1.test)('a missing legacy graph is refused unless the graph is optional', async () => {
        await strict_1.default.rejects(preflight('run-x', planFor({ schema: 'legacy', graph: { source: { kind: 'age', graph: 'nope_kg' } } })), refusal(/legacy graph "nope_kg" does not exist.*plan.graph.optional: true/));
    });
    (0, node_test_1.test)('target tables and graph that this run did not create are refused, with how to resolve', async () => {
        await db.pool.query(`create table legacy.chunks_unified (id uuid)`);
        await db.pool.query(`load 'age'; select ag_catalog.create_graph('knowledge_graph_v2')`);
        try {
            await strict_1.default.rejects(preflight('run-t'), refusal(/target table legacy.chunks_unified already exists and was not created by run run-t \(not created by stp-upgrade\): drop it .*DROP TABLE legacy.chunks_unified.*plan.target.chunks/));
            await strict_1.default.rejects(preflight('run-t'), refusal(/target graph "knowledge_graph_v2" already exists and was not created by run run-t/));
            await runs.acquireRun({ runId: 'run-t', plan, workflowId: 'wf-t' });
            await (0, db_1.withClient)(db.pool, async (c) => {
                await (0, runs_1.recordCreatedObject)(c, 'run-t', 'table', 'legacy.chunks_unified');
                await (0, runs_1.recordCreatedObject)(c, 'run-t', 'graph', 'knowledge_graph_v2');
            });
            await preflight('run-t'); // a retry of the same run accepts what it created
            // a live run's table: never a hint to drop it (issue 10)
            await strict_1.default.rejects(preflight('run-u'), (err) => refusal(/legacy\.chunks_unified is in use \(created by run run-t, status running\): wait for that run to finish or abort it/)(err) && !/DROP TABLE/.test(err.message));
        }
        finally {
            await runs.forgetRun({ runId: 'run-t', plan, dropBookkeeping: true });
            await db.pool.query(`drop table legacy.chunks_unified; select ag_catalog.drop_graph('knowledge_graph_v2', true)`);
        }
    });
    (0, node_test_1.test)('the lease: one active run; idempotent acquire; release; forget drops what the run created', async () => {
        strict_1.default.deepEqual(await runs.acquireRun({ runId: 'run-a', plan, workflowId: 'wf-a' }), { createdBookkeeping: true });
        strict_1.default.deepEqual(await runs.acquireRun({ runId: 'run-a', plan, workflowId: 'wf-a' }), { createdBookkeeping: true });
        await strict_1.default.rejects(runs.acquireRun({ runId: 'run-b', plan, workflowId: 'wf-b' }), refusal(/another upgrade run is active on database primary: run run-a \(workflow wf-a, running since/));
        await strict_1.default.rejects(preflight('run-b'), refusal(/another upgrade run is active.*run-a/));
        await preflight('run-a');
        await runs.releaseRun({ runId: 'run-a', plan, status: 'completed', report: { ok: true } });
        const { rows } = await db.pool.query(`select status, report, finished_at is not null as finished from stp_migration.runs where run_id = 'run-a'`);
        strict_1.default.deepEqual(rows, [{ status: 'completed', report: { ok: true }, finished: true }]);
        strict_1.default.deepEqual(await runs.acquireRun({ runId: 'run-b', plan, workflowId: 'wf-b' }), { createdBookkeeping: false });
        await db.pool.query(`insert into stp_migration.quarantine (run_id, source_table, kind, reason, row, row_key) values ('run-b', 't', 'k', 'r', '{}', 'x')`);
        await runs.forgetRun({ runId: 'run-b', plan, dropBookkeeping: false });
        const left = await db.pool.query(`select (select count(*)::int from stp_migration.runs where run_id = 'run-b') + (select count(*)::int from stp_migration.quarantine where run_id = 'run-b') as n`);
        strict_1.default.equal(left.rows[0].n, 0);
        await runs.forgetRun({ runId: 'run-a', plan, dropBookkeeping: true });
        const schema = await db.pool.query(`select 1 from pg_namespace where nspname = 'stp_migration'`);
        strict_1.default.equal(schema.rows.length, 0);
        await runs.forgetRun({ runId: 'run-a', plan, dropBookkeeping: true }); // idempotent
    });
    (0, node_test_1.test)('a finished run id started again starts clean', async () => {
        await runs.acquireRun({ runId: 'run-z', plan, workflowId: 'wf-z' });
        await db.pool.query(`insert into stp_migration.checkpoints (run_id, rule, finished) values ('run-z', 'chunks', true)`);
        await db.pool.query(`create table legacy.chunks_unified (id uuid)`);
        await (0, db_1.withClient)(db.pool, (c) => (0, runs_1.recordCreatedObject)(c, 'run-z', 'table', 'legacy.chunks_unified'));
        await runs.releaseRun({ runId: 'run-z', plan, status: 'completed' });
        try {
            await strict_1.default.rejects(preflight('run-z'), refusal(/legacy.chunks_unified already exists .*created by run run-z, status completed/));
            await runs.acquireRun({ runId: 'run-z', plan, workflowId: 'wf-z2' });
            const { rows } = await db.pool.query(`select (select count(*)::int from stp_migration.checkpoints where run_id = 'run-z') as checkpoints,
                (select created_objects from stp_migration.runs where run_id = 'run-z') as objs`);
            strict_1.default.deepEqual(rows, [{ checkpoints: 0, objs: [] }]);
        }
        finally {
            await runs.forgetRun({ runId: 'run-z', plan, dropBookkeeping: true });
            await db.pool.query(`drop table legacy.chunks_unified`);
        }
    });
    (0, node_test_1.test)('two runs acquiring at once: exactly one wins', async () => {
        const results = await Promise.allSettled(['run-p', 'run-q', 'run-r'].map((runId) => runs.acquireRun({ runId, plan, workflowId: runId })));
        strict_1.default.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        for (const r of results)
            if (r.status === 'rejected')
                strict_1.default.ok(r.reason instanceof errors_1.PreconditionError, String(r.reason));
        for (const runId of ['run-p', 'run-q', 'run-r'])
            await runs.forgetRun({ runId, plan, dropBookkeeping: true });
    });
});
(0, node_test_1.describe)('preflight without the extensions', () => {
    let db;
    const pools = { get: () => db.pool };
    (0, node_test_1.before)(async () => {
        db = await (0, pg_1.createTestDatabase)('a1_noext', { extensions: [] });
        await db.pool.query((0, defects_fixture_1.legacyDdl)('public', 'real[]'));
    });
    (0, node_test_1.after)(async () => db?.drop());
    (0, node_test_1.test)('missing vector (and age) are refused with the command that fixes it', async () => {
        const preflight = (0, preflight_1.createPreflightActivities)({ pools }).preflight;
        await strict_1.default.rejects(preflight({ runId: 'r', plan: planFor({}) }), (err) => {
            strict_1.default.ok(err instanceof errors_1.PreconditionError);
            strict_1.default.match(err.message, /extension vector is not installed in database primary: run CREATE EXTENSION vector as a superuser/);
            strict_1.default.match(err.message, /extension age is not installed in database primary: run CREATE EXTENSION age as a superuser, or set plan.graph.optional: true/);
            return true;
        });
        await strict_1.default.rejects(preflight({ runId: 'r', plan: planFor({ graph: { optional: true } }) }), (err) => {
            strict_1.default.ok(err instanceof errors_1.PreconditionError);
            strict_1.default.doesNotMatch(err.message, /age/);
            return true;
        });
    });
});
(0, node_test_1.describe)('preflight and quarantine on generated fixtures (100k chunks)', () => {
    let db;
    const pools = { get: () => db.pool };
    let summary;
    (0, node_test_1.before)(async () => {
        db = await (0, pg_1.createTestDatabase)('a1_fixtures');
        summary = await (0, generate_1.generateFixtures)(db.pool, { chunks: 100_000, defects: true, dim: 8 });
    });
    (0, node_test_1.after)(async () => db?.drop());
    (0, node_test_1.test)('finds exactly the injected defects, in seconds', async () => {
        const plan = planFor({});
        const start = Date.now();
        const r = await (0, preflight_1.createPreflightActivities)({ pools }).preflight({ runId: 'gen', plan, defectLimit: 100_000 });
        const ms = Date.now() - start;
        console.log(`preflight on ${summary.counts.chunks} chunks, ${summary.counts.embeddings} embeddings: ${ms} ms`);
        for (const kind of steps_1.DEFECT_KINDS) {
            const ids = [...new Set(r.defects.filter((d) => d.kind === kind).map((d) => d.id))].sort();
            strict_1.default.deepEqual(ids, [...new Set(summary.defects[kind])].sort(), kind);
        }
        strict_1.default.ok(ms < 60_000, `preflight took ${ms} ms`);
    });
    (0, node_test_1.test)('quarantines every defect and every cascade row', async () => {
        const plan = planFor({ defects: { policy: 'quarantine' } });
        const start = Date.now();
        const q = await (0, quarantine_1.createQuarantineActivities)({ pools }).quarantineDefects({ runId: 'gen', plan, defectLimit: 100_000 });
        console.log(`quarantine: ${Date.now() - start} ms`, q.quarantined);
        // the one detection pass under policy quarantine reports what preflight would have
        for (const kind of steps_1.DEFECT_KINDS) {
            const ids = [...new Set(q.defects.filter((d) => d.kind === kind).map((d) => d.id))].sort();
            strict_1.default.deepEqual(ids, [...new Set(summary.defects[kind])].sort(), kind);
        }
        const { rows } = await db.pool.query(`select source_table, row_key, kind from stp_migration.quarantine where run_id = 'gen'`);
        const cascade = new Set(rows.filter((r) => r.kind === 'cascade').map((r) => `${r.source_table} ${r.row_key}`));
        for (const c of summary.cascades)
            strict_1.default.ok(cascade.has(`${c.table} ${c.id}`), `cascade ${c.table} ${c.id}`);
        const keys = new Set(rows.map((r) => r.row_key));
        for (const kind of steps_1.DEFECT_KINDS)
            for (const id of summary.defects[kind])
                strict_1.default.ok(keys.has(id), `${kind} ${id}`);
    });
});
//# sourceMappingURL=preflight.test.js.map