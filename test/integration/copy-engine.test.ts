import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createCopyActivities } from '../../activities/copy';
import { createSchemaActivities } from '../../activities/schema';
import { parsePlan, type Plan } from '../../common/plan';
import type { CopyRule, SliceResult } from '../../common/steps';
import { generateFixtures } from '../../fixtures/generate';
import { createTestDatabase } from '../helpers/pg';

/** The copy engine on generated fixtures: resumability, batch log, cancellation, throughput. */

const CHUNKS = 50_000;
const RULES: CopyRule[] = ['chunks', 'templates', 'slots', 'tags'];
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let copy: ReturnType<typeof createCopyActivities>;
const parsed = parsePlan({});
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const plan: Plan = parsed.plan;

async function one<T = any>(sql: string, params: unknown[] = []): Promise<T> {
  return (await db.pool.query(sql, params)).rows[0] as T;
}
const snapshot = () => one<{ md5: string; n: number }>(`select md5(string_agg(t::text, '' order by id)) as md5, count(*)::int as n from chunks_unified t`);
const slice = (runId: string, rule: CopyRule, maxBatches: number, batchSize = 5000) =>
  copy.copySlice({ runId, plan, rule, maxBatches, maxMs: 120_000, batchSize });

before(async () => {
  db = await createTestDatabase('copy_engine', { extensions: ['vector'] });
  const t0 = Date.now();
  await generateFixtures(db.pool, { chunks: CHUNKS, dim: 4, graph: false });
  console.log(`fixtures: ${CHUNKS} chunks in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  copy = createCopyActivities({ pools: { get: () => db.pool } });
  await createSchemaActivities({ pools: { get: () => db.pool } }).createTargetSchema({ runId: 'setup', plan });
});
after(async () => db?.drop());

let reference: { md5: string; n: number };

test('one slice per rule copies everything (throughput)', async () => {
  for (const rule of RULES) {
    const t0 = Date.now();
    const r = await slice('run-once', rule, 1_000_000);
    const s = (Date.now() - t0) / 1000;
    console.log(`${rule}: ${r.rowsDone} rows in ${s.toFixed(2)} s = ${Math.round(r.rowsDone / s)} rows/s (${r.batches} batches)`);
    assert.equal(r.finished, true);
    assert.equal(r.rowsDone, r.rowsTotal);
    assert.equal(r.redoneBatches, 0);
  }
  reference = await snapshot();
  const legacy = await one<{ n: number }>(
    `select (select count(*) from chunks_legacy) + (select count(*) from templates_legacy) + (select count(*) from template_slots_legacy)
          + (select count(distinct (c.text_id, t.tag_content)) from chunk_tags_legacy t join chunks_legacy c on c.id = t.chunk_id) as n`,
  );
  assert.equal(reference.n, Number(legacy.n));
});

test('slices of one batch give the same rows, a consistent checkpoint and batch log', async () => {
  await db.pool.query('truncate chunks_unified');
  const runId = 'run-sliced';
  for (const rule of RULES) {
    let r: SliceResult;
    let slices = 0;
    do {
      r = await slice(runId, rule, 1, rule === 'tags' ? 1000 : 5000);
      assert.ok(r.batches <= 1);
      assert.equal(r.redoneBatches, 0);
      slices++;
    } while (!r.finished);
    const cp = await one(`select rows_done::int, batches::int, finished from stp_migration.checkpoints where run_id = $1 and rule = $2`, [runId, rule]);
    const log = await one(
      `select count(*)::int as n, sum(rows)::int as rows, min(batch_no)::int as lo, max(batch_no)::int as hi, count(distinct last_key)::int as keys
         from stp_migration.batches where run_id = $1 and rule = $2`,
      [runId, rule],
    );
    assert.deepEqual(cp, { rows_done: r.rowsDone, batches: log.n, finished: true });
    assert.deepEqual(log, { n: log.n, rows: r.rowsDone, lo: 1, hi: log.n, keys: log.n });
    assert.equal(slices, log.n + 1, 'the last slice only finds nothing left');
  }
  assert.deepEqual(await snapshot(), reference);
  assert.equal((await one(`select count(*)::int as n from pg_tables where schemaname = 'stp_migration' and tablename like 'stage%'`)).n, 0, 'stages dropped when their rule finished');
  // a finished rule returns at once and changes nothing
  const again = await slice(runId, 'chunks', 10);
  assert.deepEqual({ finished: again.finished, batches: again.batches }, { finished: true, batches: 0 });
  assert.deepEqual(await snapshot(), reference);
});

test('a checkpoint set back by one batch redoes it harmlessly and reports it', async () => {
  const runId = 'run-sliced';
  const last = await one(`select batch_no, first_key, last_key, rows from stp_migration.batches where run_id = $1 and rule = 'chunks' order by batch_no desc limit 1`, [runId]);
  const prev = await one(`select last_key from stp_migration.batches where run_id = $1 and rule = 'chunks' and batch_no = $2`, [runId, Number(last.batch_no) - 1]);
  await db.pool.query(
    `update stp_migration.checkpoints set last_key = $2, rows_done = rows_done - $3, batches = batches - 1, finished = false
      where run_id = $1 and rule = 'chunks'`,
    [runId, prev.last_key, last.rows],
  );
  const r = await slice(runId, 'chunks', 10);
  assert.deepEqual({ finished: r.finished, batches: r.batches, redone: r.redoneBatches }, { finished: true, batches: 1, redone: 1 });
  assert.deepEqual(await snapshot(), reference);
});

test('a row the replay wrote ahead of the copy is kept: the batch meeting it is run again skipping existing rows', async () => {
  await db.pool.query('truncate chunks_unified');
  const runId = 'run-ahead';
  // the live-write replay upserts changed keys wherever they are, also ahead of the copy's position
  const ahead = await one<{ id: string }>(`select id::text from chunks_legacy order by id offset 12345 limit 1`);
  await db.pool.query(
    `insert into chunks_unified (id, text_id, content, is_template, is_slot, indent_level, sequence_number, metadata, created_at, updated_at)
     select id, text_id, 'written by the replay', false, false, indent_level, sequence_number, '{}', created_at, updated_at from chunks_legacy where id = $1`,
    [ahead.id],
  );
  const r = await slice(runId, 'chunks', 1_000_000);
  assert.equal(r.finished, true);
  assert.equal(r.redoneBatches, 0, 'the batch rolled back and ran again is not a redo of a committed one');
  const n = await one<{ legacy: number; target: number; kept: string; differ: number }>(
    `select (select count(*)::int from chunks_legacy) as legacy, (select count(*)::int from chunks_unified) as target,
            (select content from chunks_unified where id = $1) as kept,
            (select count(*)::int from chunks_legacy l join chunks_unified u using (id) where u.content is distinct from l.content) as differ`,
    [ahead.id],
  );
  assert.deepEqual(n, { legacy: n.legacy, target: n.legacy, kept: 'written by the replay', differ: 1 });
  const log = await one(`select count(*)::int as n, sum(rows)::int as rows from stp_migration.batches where run_id = $1`, [runId]);
  assert.deepEqual(log, { n: Math.ceil(n.legacy / 5000), rows: n.legacy }, 'every batch logged once');
});

test('two attempts of the same slice at once never copy a key range twice', async () => {
  await db.pool.query('truncate chunks_unified');
  const runId = 'run-concurrent';
  const [a, b] = await Promise.all([slice(runId, 'chunks', 4, 3000), slice(runId, 'chunks', 4, 3000)]);
  assert.equal(a.redoneBatches + b.redoneBatches, 0);
  const log = await one(`select count(*)::int as n, count(distinct last_key)::int as keys, sum(rows)::int as rows from stp_migration.batches where run_id = $1`, [runId]);
  assert.deepEqual(log, { n: 8, keys: 8, rows: 24_000 });
  assert.equal((await snapshot()).n, 24_000);
});

test('cancellation stops after the batch in flight has committed', async () => {
  await db.pool.query('truncate chunks_unified');
  const env = new MockActivityEnvironment();
  const beats: unknown[] = [];
  env.on('heartbeat', (d: unknown) => {
    beats.push(d);
    env.cancel();
  });
  await assert.rejects(env.run(copy.copySlice, { runId: 'run-cancel', plan, rule: 'chunks' as CopyRule, maxBatches: 100, maxMs: 60_000, batchSize: 1000 }), {
    name: 'CancelledFailure',
  });
  assert.equal(beats.length, 1);
  const cp = await one(`select rows_done::int, batches::int, finished from stp_migration.checkpoints where run_id = 'run-cancel'`);
  assert.deepEqual(cp, { rows_done: 1000, batches: 1, finished: false });
  assert.equal((await snapshot()).n, 1000);
  assert.deepEqual(beats[0], { rule: 'chunks', lastKey: (await one(`select last_key from stp_migration.checkpoints where run_id = 'run-cancel'`)).last_key, rowsDone: 1000 });
  // compensation of this run removes its staging tables and checkpoints, not tables it did not create
  const stages = `select count(*)::int as n from pg_tables where schemaname = 'stp_migration' and tablename like 'stage%'`;
  const before = (await one(stages)).n;
  await createSchemaActivities({ pools: { get: () => db.pool } }).dropTargetSchema({ runId: 'run-cancel', plan });
  assert.equal((await one(stages)).n, before - 1);
  assert.equal((await one(`select count(*)::int as n from stp_migration.checkpoints where run_id = 'run-cancel'`)).n, 0);
  assert.equal((await snapshot()).n, 1000);
});
