import pg from 'pg';
import { inTransaction } from '../activities/db';
import { installTriggers, ensureSyncTables } from '../activities/sync/capture';
import { replayForwardBatch } from '../activities/sync/forward';
import { createSchemaActivities } from '../activities/schema';
import { parsePlan } from '../common/plan';
import { generateFixtures } from '../fixtures/generate';
import { createTestDatabase } from '../test/helpers/pg';

async function main() {
  const db = await createTestDatabase('probe', { extensions: ['vector'] });
  const parsed = parsePlan({ defects: { policy: 'quarantine' } });
  if (!parsed.ok) throw new Error('plan');
  const plan = parsed.plan;
  await generateFixtures(db.pool, { chunks: 3000, dim: 4, graph: false, defects: true, seed: 3 });
  await createSchemaActivities({ pools: { get: () => db.pool } }).createTargetSchema({ runId: 'p', plan });
  const c = await db.pool.connect();
  await ensureSyncTables(c);
  await installTriggers(c, 'p', plan, 'f');
  const t0 = Date.now();
  for (let i = 0; i < 300; i++) {
    await c.query(`begin; insert into texts (id, title, content) values (gen_random_uuid(), 'x', 'y') returning id`);
    const { rows } = await c.query(`select id from texts order by created_at desc limit 1`);
    await c.query(`insert into chunks_legacy (id, text_id, content, indent_level, sequence_number) select gen_random_uuid(), $1, 'c', 0, g from generate_series(1,3) g`, [rows[0].id]);
    await c.query(`insert into embeddings_legacy (id, chunk_id, vector, model_name) select gen_random_uuid(), id, '[1,2,3,4]', 'm' from chunks_legacy where text_id = $1`, [rows[0].id]);
    await c.query('commit');
  }
  console.log(`writes: ${Date.now() - t0} ms`);
  const orig = c.query.bind(c) as (...a: unknown[]) => Promise<unknown>;
  const times: [number, string][] = [];
  (c as unknown as { query: unknown }).query = async (...a: unknown[]) => {
    const t = Date.now();
    try { return await orig(...a); } finally { times.push([Date.now() - t, String(a[0]).replace(/\s+/g, ' ').slice(0, 90)]); }
  };
  for (const limit of [50, 500, 5000]) {
    const t = Date.now();
    const b = await inTransaction(c, (tx: pg.PoolClient) => replayForwardBatch(tx, 'p', plan, limit));
    console.log(`batch limit ${limit}: ${b.changes} changes in ${Date.now() - t} ms`);
    for (const [ms, q] of times.sort((x, y) => y[0] - x[0]).slice(0, 6)) console.log(`   ${ms} ms  ${q}`);
    times.length = 0;
  }
  c.release();
  await db.drop();
}
void main();
