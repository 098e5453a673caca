import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createCopyActivities } from '../../activities/copy';
import { createSchemaActivities } from '../../activities/schema';
import { hierarchyChecks } from '../../activities/verify/checks';
import { tablesOf } from '../../activities/verify/context';
import { chunksTableDdl } from '../../activities/schema/ddl';
import { parsePlan, type Plan } from '../../common/plan';
import { generateFixtures } from '../../fixtures/generate';
import { createTestDatabase } from '../helpers/pg';

/** The faster paths of issue 9 give the same answers: totals kept once per run, the batch log's indexes, the hierarchy walk with and without the parent index. */

let db: Awaited<ReturnType<typeof createTestDatabase>>;
const planOf = (input: object): Plan => {
  const r = parsePlan(input);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.plan;
};
const plan = planOf({});

before(async () => {
  db = await createTestDatabase('perf_paths', { extensions: ['vector'] });
  await generateFixtures(db.pool, { chunks: 5000, dim: 4, graph: false });
  await createSchemaActivities({ pools: { get: () => db.pool } }).createTargetSchema({ runId: 'setup', plan });
});
after(async () => db?.drop());

test('a rule total is counted once per run, kept in its checkpoint and raised by the batches', async () => {
  const copy = createCopyActivities({ pools: { get: () => db.pool } });
  const slice = () => copy.copySlice({ runId: 'run-total', plan, rule: 'chunks', maxBatches: 1, maxMs: 60_000, batchSize: 1000 });
  const legacy = Number((await db.pool.query(`select count(*) as n from chunks_legacy`)).rows[0].n);
  const first = await slice();
  assert.equal(first.rowsTotal, legacy);
  const kept = await db.pool.query(`select rows_total::int as t from stp_migration.checkpoints where run_id = 'run-total' and rule = 'chunks'`);
  assert.equal(kept.rows[0].t, legacy);
  // A recount would give `legacy` again; the kept figure (set low here) is used and raised by the batch.
  await db.pool.query(`update stp_migration.checkpoints set rows_total = 7 where run_id = 'run-total' and rule = 'chunks'`);
  const second = await slice();
  assert.equal(second.rowsDone, 2000);
  assert.equal(second.rowsTotal, 2000);
  const raised = await db.pool.query(`select rows_total::int as t from stp_migration.checkpoints where run_id = 'run-total' and rule = 'chunks'`);
  assert.equal(raised.rows[0].t, 2000);
});

test('the batch log has an index on each key the redo check looks up', async () => {
  const { rows } = await db.pool.query<{ def: string }>(`select indexdef as def from pg_indexes where schemaname = 'stp_migration' and tablename = 'batches' order by indexname`);
  assert.deepEqual(rows.map((r) => r.def.replace(/.*\((.*)\)$/, '$1')), ['run_id, rule, first_key', 'run_id, rule, last_key']);
});

test('the hierarchy walk counts the same with and without the parent index, and on the hash of an analyzed table', async () => {
  const hplan = planOf({ schema: 'hier' });
  const ids = Array.from({ length: 30 }, (_, i) => `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`);
  const c = await db.pool.connect();
  try {
    await c.query(`create schema hier; ${chunksTableDdl(hplan)}`);
    // a chain of 17 levels under ids[0]; a 2-cycle ids[20] <-> ids[21] with ids[22] below it; ids[23] whose parent is missing (a root)
    const rows: [string, string | null][] = [[ids[0], null]];
    for (let i = 1; i < 17; i++) rows.push([ids[i], ids[i - 1]]);
    rows.push([ids[20], ids[21]], [ids[21], ids[20]], [ids[22], ids[21]], [ids[23], ids[29]]);
    for (const [id, parent] of rows) await c.query(`insert into hier.chunks_unified (id, content, parent_chunk_id) values ($1, 'x', $2)`, [id, parent]);
    const run = async () => {
      await c.query('begin');
      try {
        return await hierarchyChecks({ client: c, plan: hplan, quarantineRun: '', t: tablesOf(hplan) });
      } finally {
        await c.query('rollback');
      }
    };
    const without = await run();
    await c.query(`create index on hier.chunks_unified (parent_chunk_id)`);
    const withIndex = await run();
    // analyzed (reltuples known and small): the walk probes one hash of the table built once
    await c.query(`analyze hier.chunks_unified`);
    const hashed = await run();
    assert.deepEqual(without, { cycles: 3, deep_hierarchies: 1 });
    assert.deepEqual(withIndex, without);
    assert.deepEqual(hashed, without);
  } finally {
    c.release();
  }
});

test('load-aware pause: the slice waits while the plan probe says busy, with the reason; goes on when it is not', async () => {
  await db.pool.query(`create table load_probe (n int); insert into load_probe values (1)`);
  const busyPlan = planOf({ copy: { maxLoad: { probe: { sql: 'select n from load_probe', max: 0 }, pauseMs: 200 } } });
  const copy = createCopyActivities({ pools: { get: () => db.pool } });
  const slice = () => copy.copySlice({ runId: 'run-load', plan: busyPlan, rule: 'templates', maxBatches: 3, maxMs: 1500, batchSize: 10 });
  const paused = await slice();
  assert.equal(paused.batches, 1);
  assert.match(paused.pauseReason ?? '', /copy\.maxLoad\.probe gave 1 > 0/);
  assert.ok((paused.pausedMs ?? 0) >= 1000, `paused ${paused.pausedMs} ms`);
  await db.pool.query(`update load_probe set n = 0`);
  const free = await slice();
  assert.equal(free.batches, 3);
  assert.equal(free.pauseReason, undefined);
});

test('adaptive batch size: aims at copy.targetBatchMs within min and max; a size the throttle fixed is kept', async () => {
  const adaptive = planOf({ copy: { targetBatchMs: 1, minBatchSize: 20, maxBatchSize: 5000 } });
  const copy = createCopyActivities({ pools: { get: () => db.pool } });
  const shrunk = await copy.copySlice({ runId: 'run-adapt', plan: adaptive, rule: 'chunks', maxBatches: 6, maxMs: 60_000, batchSize: 400 });
  // every batch takes well over 1 ms: the size halves after each (no faster), down to the minimum
  assert.equal(shrunk.rowsDone, 400 + 200 + 100 + 50 + 25 + 20);
  assert.equal(shrunk.batchSize, 20);
  const fixed = await copy.copySlice({ runId: 'run-fixed', plan: adaptive, rule: 'chunks', maxBatches: 3, maxMs: 60_000, batchSize: 300, fixedBatchSize: true });
  assert.equal(fixed.batchSize, 300);
  assert.equal(fixed.rowsDone, 900);
});
