import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import pg from 'pg';
import { sessionTag, withClient } from '../../activities/db';
import { createEmbeddingsActivities } from '../../activities/embeddings';
import { createQuarantineActivities } from '../../activities/quarantine';
import { createSchemaActivities } from '../../activities/schema';
import { chunkIndexes } from '../../activities/schema/ddl';
import { ensureIndex } from '../../activities/schema/finish';
import { parsePlan, type Plan, type PlanInput } from '../../common/plan';
import { generateFixtures } from '../../fixtures/generate';
import { createTestDatabase } from '../helpers/pg';
import { sleep } from './crash-support';
import { waitFor } from './upgrade-support';

// What a killed worker leaves in PostgreSQL: its backend goes on with the statement (an index
// build, a VALIDATE behind its lock, the quarantine transaction) until the statement ends. A retry
// finds it by its session tag (or, for an index build, by its query) and terminates it first.
let db: Awaited<ReturnType<typeof createTestDatabase>>;
const RUN = 'run-leftovers';
const pools = () => ({ get: () => db.pool });
const others: pg.Client[] = [];

function planOf(input: PlanInput): Plan {
  const r = parsePlan(input);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.plan;
}

const plan = planOf({
  database: 'primary',
  defects: { policy: 'quarantine' },
  graph: { optional: true },
  embeddings: { index: { kind: 'hnsw', m: 16, efConstruction: 128 } },
});

before(async () => {
  db = await createTestDatabase('crash_leftovers', { extensions: ['vector'] });
  await generateFixtures(db.pool, { chunks: 1000, dim: 64, defects: true, seed: 3, graph: false });
  await createSchemaActivities({ pools: pools() }).createTargetSchema({ runId: RUN, plan });
  // enough distinct vectors that an HNSW build takes a few seconds (each needs its chunk: the FKs get validated)
  await db.pool.query(`with c as (insert into chunks_unified (content) select 'chunk ' || g from generate_series(1, 6000) g returning id)
    insert into embeddings_v2 (chunk_id, vector, model_name)
    select c.id, (select array_agg(random() + i * 0 + length(c.id::text) * 0)::vector(64) from generate_series(1, 64) i), 'm' from c`);
});

after(async () => {
  for (const c of others) await c.end().catch(() => undefined);
  await db?.drop();
});

/** Another session, standing for the backend of an attempt whose worker died. */
async function session(applicationName = 'someone'): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: db.url, application_name: applicationName });
  c.on('error', () => undefined);
  await c.connect();
  others.push(c);
  return c;
}

async function activeBackend(where: string, param: string): Promise<number | undefined> {
  const { rows } = await db.pool.query<{ pid: number }>(`select pid from pg_stat_activity where state = 'active' and ${where}`, [param]);
  return rows[0]?.pid;
}

async function indexValid(name: string): Promise<boolean | null> {
  const { rows } = await db.pool.query<{ valid: boolean }>(`select indisvalid as valid from pg_index where indexrelid = to_regclass($1)`, [name]);
  return rows[0]?.valid ?? null;
}

test('a vector index build left running by an earlier attempt is terminated, then the index is built', { timeout: 120_000 }, async () => {
  const embeddings = createEmbeddingsActivities({ pools: pools() });
  const tag = sessionTag(RUN, 'vector-index');
  const first = embeddings.buildVectorIndex({ runId: RUN, plan }).then(() => 'finished', (err: { code?: string }) => err.code ?? String(err));
  const pid = await waitFor('the first build', () => activeBackend(`application_name = $1 and query like 'create index%'`, tag), 30_000, 20);
  await sleep(500);
  const t0 = Date.now();
  const result = await embeddings.buildVectorIndex({ runId: RUN, plan });
  console.log(`# the retry terminated backend ${pid} and rebuilt the index in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  assert.equal(await first, '57P01', 'the leftover build was terminated (admin shutdown)');
  assert.deepEqual(result, { index: 'embeddings_v2_vector_idx', kind: 'hnsw' });
  assert.equal(await indexValid('embeddings_v2_vector_idx'), true);
});

test('an index build of the same index from a session without our tag (the optimize step) is found by its query', { timeout: 60_000 }, async () => {
  const idx = chunkIndexes(plan)[0];
  const holder = await session();
  await holder.query('begin; lock table chunks_unified in share update exclusive mode');
  const leftover = await session();
  const left = leftover.query(idx.sql).then(() => 'finished', (err: { code?: string }) => err.code ?? String(err));
  await waitFor('the leftover build waiting on its lock', () => activeBackend('query = $1', idx.sql), 10_000, 20);
  setTimeout(() => void holder.query('commit'), 1000);
  const built = await withClient(db.pool, (c) => ensureIndex(c, RUN, plan.schema, idx, () => undefined));
  assert.equal(built, true);
  assert.equal(await left, '57P01');
  assert.equal(await indexValid(idx.name), true);
});

test('a VALIDATE or index build of finishTargetSchema left holding its lock does not hold up the retry', { timeout: 60_000 }, async () => {
  const leftover = await session(sessionTag(RUN, 'finish-schema'));
  await leftover.query('begin; lock table chunks_unified in access exclusive mode');
  const left = leftover.query('select pg_sleep(120)').then(() => 'finished', (err: { code?: string }) => err.code ?? String(err));
  const t0 = Date.now();
  const done = await createSchemaActivities({ pools: pools() }).finishTargetSchema({ runId: RUN, plan });
  assert.equal(await left, '57P01');
  assert.equal(done.constraints.length, 4);
  assert.ok(Date.now() - t0 < 30_000);
});

test('the quarantine transaction of an earlier attempt is terminated, the retry writes the same rows', { timeout: 60_000 }, async () => {
  const quarantine = createQuarantineActivities({ pools: pools() });
  const counts = await quarantine.quarantineDefects({ runId: RUN, plan });
  const leftover = await session(sessionTag(RUN, 'quarantine'));
  await leftover.query('begin');
  await leftover.query(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [`stp-upgrade:quarantine:${RUN}`]);
  const left = leftover.query('select pg_sleep(120)').then(() => 'finished', (err: { code?: string }) => err.code ?? String(err));
  const t0 = Date.now();
  assert.deepEqual(await quarantine.quarantineDefects({ runId: RUN, plan }), counts);
  assert.equal(await left, '57P01');
  assert.ok(Date.now() - t0 < 30_000);
});

test('cancelling the activity cancels the index build in the server; the next attempt builds it', { timeout: 120_000 }, async () => {
  await db.pool.query('drop index if exists embeddings_v2_vector_idx');
  const embeddings = createEmbeddingsActivities({ pools: pools() });
  const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 15_000 });
  const running = env.run(embeddings.buildVectorIndex, { runId: RUN, plan });
  const outcome = running.then(() => 'finished', (err: Error) => err.name);
  const pid = await waitFor('the build', () => activeBackend(`application_name like $1 and query like 'create index%'`, 'stp-upgrade:%:vector-index'), 30_000, 20);
  await sleep(300);
  const t0 = Date.now();
  env.cancel();
  assert.equal(await outcome, 'CancelledFailure');
  const ms = Date.now() - t0;
  console.log(`# cancelled build of backend ${pid} stopped ${ms} ms after the cancellation`);
  assert.ok(ms < 6000, `the activity returned ${ms} ms after cancellation`);
  await waitFor('the backend to leave the build', async () => !(await activeBackend(`pid = $1::int and query like 'create index%'`, String(pid))), 5000, 50);
  assert.notEqual(await indexValid('embeddings_v2_vector_idx'), true, 'no valid index from a cancelled build');
  await embeddings.buildVectorIndex({ runId: RUN, plan });
  assert.equal(await indexValid('embeddings_v2_vector_idx'), true);
});
