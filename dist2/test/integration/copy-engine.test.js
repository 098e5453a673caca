"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const testing_1 = require("@temporalio/testing");
const copy_1 = require("../../activities/copy");
const schema_1 = require("../../activities/schema");
const plan_1 = require("../../common/plan");
const generate_1 = require("../../fixtures/generate");
const pg_1 = require("../helpers/pg");
/** The copy engine on generated fixtures: resumability, batch log, cancellation, throughput. */
const CHUNKS = 50_000;
const RULES = ['chunks', 'templates', 'slots', 'tags'];
let db;
let copy;
const parsed = (0, plan_1.parsePlan)({});
if (!parsed.ok)
    throw new Error(parsed.errors.join('\n'));
const plan = parsed.plan;
async function one(sql, params = []) {
    return (await db.pool.query(sql, params)).rows[0];
}
const snapshot = () => one(`select md5(string_agg(t::text, '' order by id)) as md5, count(*)::int as n from chunks_unified t`);
const slice = (runId, rule, maxBatches, batchSize = 5000) => copy.copySlice({ runId, plan, rule, maxBatches, maxMs: 120_000, batchSize });
(0, node_test_1.before)(async () => {
    db = await (0, pg_1.createTestDatabase)('copy_engine', { extensions: ['vector'] });
    const t0 = Date.now();
    await (0, generate_1.generateFixtures)(db.pool, { chunks: CHUNKS, dim: 4, graph: false });
    console.log(`fixtures: ${CHUNKS} chunks in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    copy = (0, copy_1.createCopyActivities)({ pools: { get: () => db.pool } });
    await (0, schema_1.createSchemaActivities)({ pools: { get: () => db.pool } }).createTargetSchema({ runId: 'setup', plan });
});
(0, node_test_1.after)(async () => db?.drop());
let reference;
(0, node_test_1.test)('one slice per rule copies everything (throughput)', async () => {
    for (const rule of RULES) {
        const t0 = Date.now();
        const r = await slice('run-once', rule, 1_000_000);
        const s = (Date.now() - t0) / 1000;
        console.log(`${rule}: ${r.rowsDone} rows in ${s.toFixed(2)} s = ${Math.round(r.rowsDone / s)} rows/s (${r.batches} batches)`);
        strict_1.default.equal(r.finished, true);
        strict_1.default.equal(r.rowsDone, r.rowsTotal);
        strict_1.default.equal(r.redoneBatches, 0);
    }
    reference = await snapshot();
    const legacy = await one(`select (select count(*) from chunks_legacy) + (select count(*) from templates_legacy) + (select count(*) from template_slots_legacy)
          + (select count(distinct (c.text_id, t.tag_content)) from chunk_tags_legacy t join chunks_legacy c on c.id = t.chunk_id) as n`);
    strict_1.default.equal(reference.n, Number(legacy.n));
});
(0, node_test_1.test)('slices of one batch give the same rows, a consistent checkpoint and batch log', async () => {
    await db.pool.query('truncate chunks_unified');
    const runId = 'run-sliced';
    for (const rule of RULES) {
        let r;
        let slices = 0;
        do {
            r = await slice(runId, rule, 1, rule === 'tags' ? 1000 : 5000);
            strict_1.default.ok(r.batches <= 1);
            strict_1.default.equal(r.redoneBatches, 0);
            slices++;
        } while (!r.finished);
        const cp = await one(`select rows_done::int, batches::int, finished from stp_migration.checkpoints where run_id = $1 and rule = $2`, [runId, rule]);
        const log = await one(`select count(*)::int as n, sum(rows)::int as rows, min(batch_no)::int as lo, max(batch_no)::int as hi, count(distinct last_key)::int as keys
         from stp_migration.batches where run_id = $1 and rule = $2`, [runId, rule]);
        strict_1.default.deepEqual(cp, { rows_done: r.rowsDone, batches: log.n, finished: true });
        strict_1.default.deepEqual(log, { n: log.n, rows: r.rowsDone, lo: 1, hi: log.n, keys: log.n });
        strict_1.default.equal(slices, log.n + 1, 'the last slice only finds nothing left');
    }
    strict_1.default.deepEqual(await snapshot(), reference);
    strict_1.default.equal((await one(`select count(*)::int as n from pg_tables where schemaname = 'stp_migration' and tablename like 'stage%'`)).n, 0, 'stages dropped when their rule finished');
    // a finished rule returns at once and changes nothing
    const again = await slice(runId, 'chunks', 10);
    strict_1.default.deepEqual({ finished: again.finished, batches: again.batches }, { finished: true, batches: 0 });
    strict_1.default.deepEqual(await snapshot(), reference);
});
(0, node_test_1.test)('a checkpoint set back by one batch redoes it harmlessly and reports it', async () => {
    const runId = 'run-sliced';
    const last = await one(`select batch_no, first_key, last_key, rows from stp_migration.batches where run_id = $1 and rule = 'chunks' order by batch_no desc limit 1`, [runId]);
    const prev = await one(`select last_key from stp_migration.batches where run_id = $1 and rule = 'chunks' and batch_no = $2`, [runId, Number(last.batch_no) - 1]);
    await db.pool.query(`update stp_migration.checkpoints set last_key = $2, rows_done = rows_done - $3, batches = batches - 1, finished = false
      where run_id = $1 and rule = 'chunks'`, [runId, prev.last_key, last.rows]);
    const r = await slice(runId, 'chunks', 10);
    strict_1.default.deepEqual({ finished: r.finished, batches: r.batches, redone: r.redoneBatches }, { finished: true, batches: 1, redone: 1 });
    strict_1.default.deepEqual(await snapshot(), reference);
});
(0, node_test_1.test)('two attempts of the same slice at once never copy a key range twice', async () => {
    await db.pool.query('truncate chunks_unified');
    const runId = 'run-concurrent';
    const [a, b] = await Promise.all([slice(runId, 'chunks', 4, 3000), slice(runId, 'chunks', 4, 3000)]);
    strict_1.default.equal(a.redoneBatches + b.redoneBatches, 0);
    const log = await one(`select count(*)::int as n, count(distinct last_key)::int as keys, sum(rows)::int as rows from stp_migration.batches where run_id = $1`, [runId]);
    strict_1.default.deepEqual(log, { n: 8, keys: 8, rows: 24_000 });
    strict_1.default.equal((await snapshot()).n, 24_000);
});
(0, node_test_1.test)('cancellation stops after the batch in flight has committed', async () => {
    await db.pool.query('truncate chunks_unified');
    const env = new testing_1.MockActivityEnvironment();
    const beats = [];
    env.on('heartbeat', (d) => {
        beats.push(d);
        env.cancel();
    });
    await strict_1.default.rejects(env.run(copy.copySlice, { runId: 'run-cancel', plan, rule: 'chunks', maxBatches: 100, maxMs: 60_000, batchSize: 1000 }), {
        name: 'CancelledFailure',
    });
    strict_1.default.equal(beats.length, 1);
    const cp = await one(`select rows_done::int, batches::int, finished from stp_migration.checkpoints where run_id = 'run-cancel'`);
    strict_1.default.deepEqual(cp, { rows_done: 1000, batches: 1, finished: false });
    strict_1.default.equal((await snapshot()).n, 1000);
    strict_1.default.deepEqual(beats[0], { rule: 'chunks', lastKey: (await one(`select last_key from stp_migration.checkpoints where run_id = 'run-cancel'`)).last_key, rowsDone: 1000 });
    // compensation of this run removes its staging tables and checkpoints, not tables it did not create
    const stages = `select count(*)::int as n from pg_tables where schemaname = 'stp_migration' and tablename like 'stage%'`;
    const before = (await one(stages)).n;
    await (0, schema_1.createSchemaActivities)({ pools: { get: () => db.pool } }).dropTargetSchema({ runId: 'run-cancel', plan });
    strict_1.default.equal((await one(stages)).n, before - 1);
    strict_1.default.equal((await one(`select count(*)::int as n from stp_migration.checkpoints where run_id = 'run-cancel'`)).n, 0);
    strict_1.default.equal((await snapshot()).n, 1000);
});
//# sourceMappingURL=copy-engine.test.js.map