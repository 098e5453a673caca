"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const copy_1 = require("../../activities/copy");
const schema_1 = require("../../activities/schema");
const checks_1 = require("../../activities/verify/checks");
const context_1 = require("../../activities/verify/context");
const ddl_1 = require("../../activities/schema/ddl");
const plan_1 = require("../../common/plan");
const generate_1 = require("../../fixtures/generate");
const pg_1 = require("../helpers/pg");
/** The faster paths of issue 9 give the same answers: totals kept once per run, the batch log's indexes, the hierarchy walk with and without the parent index. */
let db;
const planOf = (input) => {
    const r = (0, plan_1.parsePlan)(input);
    if (!r.ok)
        throw new Error(r.errors.join('\n'));
    return r.plan;
};
const plan = planOf({});
(0, node_test_1.before)(async () => {
    db = await (0, pg_1.createTestDatabase)('perf_paths', { extensions: ['vector'] });
    await (0, generate_1.generateFixtures)(db.pool, { chunks: 5000, dim: 4, graph: false });
    await (0, schema_1.createSchemaActivities)({ pools: { get: () => db.pool } }).createTargetSchema({ runId: 'setup', plan });
});
(0, node_test_1.after)(async () => db?.drop());
(0, node_test_1.test)('a rule total is counted once per run, kept in its checkpoint and raised by the batches', async () => {
    const copy = (0, copy_1.createCopyActivities)({ pools: { get: () => db.pool } });
    const slice = () => copy.copySlice({ runId: 'run-total', plan, rule: 'chunks', maxBatches: 1, maxMs: 60_000, batchSize: 1000 });
    const legacy = Number((await db.pool.query(`select count(*) as n from chunks_legacy`)).rows[0].n);
    const first = await slice();
    strict_1.default.equal(first.rowsTotal, legacy);
    const kept = await db.pool.query(`select rows_total::int as t from stp_migration.checkpoints where run_id = 'run-total' and rule = 'chunks'`);
    strict_1.default.equal(kept.rows[0].t, legacy);
    // A recount would give `legacy` again; the kept figure (set low here) is used and raised by the batch.
    await db.pool.query(`update stp_migration.checkpoints set rows_total = 7 where run_id = 'run-total' and rule = 'chunks'`);
    const second = await slice();
    strict_1.default.equal(second.rowsDone, 2000);
    strict_1.default.equal(second.rowsTotal, 2000);
    const raised = await db.pool.query(`select rows_total::int as t from stp_migration.checkpoints where run_id = 'run-total' and rule = 'chunks'`);
    strict_1.default.equal(raised.rows[0].t, 2000);
});
(0, node_test_1.test)('the batch log has an index on each key the redo check looks up', async () => {
    const { rows } = await db.pool.query(`select indexdef as def from pg_indexes where schemaname = 'stp_migration' and tablename = 'batches' order by indexname`);
    strict_1.default.deepEqual(rows.map((r) => r.def.replace(/.*\((.*)\)$/, '$1')), ['run_id, rule, first_key', 'run_id, rule, last_key']);
});
(0, node_test_1.test)('the hierarchy walk counts the same with and without the parent index', async () => {
    const hplan = planOf({ schema: 'hier' });
    const ids = Array.from({ length: 30 }, (_, i) => `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`);
    const c = await db.pool.connect();
    try {
        await c.query(`create schema hier; ${(0, ddl_1.chunksTableDdl)(hplan)}`);
        // a chain of 17 levels under ids[0]; a 2-cycle ids[20] <-> ids[21] with ids[22] below it; ids[23] whose parent is missing (a root)
        const rows = [[ids[0], null]];
        for (let i = 1; i < 17; i++)
            rows.push([ids[i], ids[i - 1]]);
        rows.push([ids[20], ids[21]], [ids[21], ids[20]], [ids[22], ids[21]], [ids[23], ids[29]]);
        for (const [id, parent] of rows)
            await c.query(`insert into hier.chunks_unified (id, content, parent_chunk_id) values ($1, 'x', $2)`, [id, parent]);
        const run = async () => {
            await c.query('begin');
            try {
                return await (0, checks_1.hierarchyChecks)({ client: c, plan: hplan, quarantineRun: '', t: (0, context_1.tablesOf)(hplan) });
            }
            finally {
                await c.query('rollback');
            }
        };
        const without = await run();
        await c.query(`create index on hier.chunks_unified (parent_chunk_id)`);
        const withIndex = await run();
        strict_1.default.deepEqual(without, { cycles: 3, deep_hierarchies: 1 });
        strict_1.default.deepEqual(withIndex, without);
    }
    finally {
        c.release();
    }
});
(0, node_test_1.test)('load-aware pause: the slice waits while the plan probe says busy, with the reason; goes on when it is not', async () => {
    await db.pool.query(`create table load_probe (n int); insert into load_probe values (1)`);
    const busyPlan = planOf({ copy: { maxLoad: { probe: { sql: 'select n from load_probe', max: 0 }, pauseMs: 200 } } });
    const copy = (0, copy_1.createCopyActivities)({ pools: { get: () => db.pool } });
    const slice = () => copy.copySlice({ runId: 'run-load', plan: busyPlan, rule: 'templates', maxBatches: 3, maxMs: 1500, batchSize: 10 });
    const paused = await slice();
    strict_1.default.equal(paused.batches, 1);
    strict_1.default.match(paused.pauseReason ?? '', /copy\.maxLoad\.probe gave 1 > 0/);
    strict_1.default.ok((paused.pausedMs ?? 0) >= 1000, `paused ${paused.pausedMs} ms`);
    await db.pool.query(`update load_probe set n = 0`);
    const free = await slice();
    strict_1.default.equal(free.batches, 3);
    strict_1.default.equal(free.pauseReason, undefined);
});
(0, node_test_1.test)('adaptive batch size: aims at copy.targetBatchMs within min and max; a size the throttle fixed is kept', async () => {
    const adaptive = planOf({ copy: { targetBatchMs: 1, minBatchSize: 20, maxBatchSize: 5000 } });
    const copy = (0, copy_1.createCopyActivities)({ pools: { get: () => db.pool } });
    const shrunk = await copy.copySlice({ runId: 'run-adapt', plan: adaptive, rule: 'chunks', maxBatches: 6, maxMs: 60_000, batchSize: 400 });
    // every batch takes well over 1 ms: the size halves after each (no faster), down to the minimum
    strict_1.default.equal(shrunk.rowsDone, 400 + 200 + 100 + 50 + 25 + 20);
    strict_1.default.equal(shrunk.batchSize, 20);
    const fixed = await copy.copySlice({ runId: 'run-fixed', plan: adaptive, rule: 'chunks', maxBatches: 3, maxMs: 60_000, batchSize: 300, fixedBatchSize: true });
    strict_1.default.equal(fixed.batchSize, 300);
    strict_1.default.equal(fixed.rowsDone, 900);
});
//# sourceMappingURL=perf-paths.test.js.map