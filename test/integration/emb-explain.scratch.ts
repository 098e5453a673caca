import { generateFixtures } from '../../fixtures/generate';
import { createSchemaActivities } from '../../activities/schema';
import { createCopyActivities } from '../../activities/copy';
import { parsePlan } from '../../common/plan';
import { createTestDatabase } from '../helpers/pg';
async function main() {
  const db = await createTestDatabase('emb_explain', { extensions: ['vector', 'age'] });
  const pools = { get: () => db.pool };
  try {
    await generateFixtures(db.pool, { chunks: 20000, dim: 16, graph: false });
    const r = parsePlan({}); if (!r.ok) throw new Error();
    const input = { runId: 'x', plan: r.plan };
    await createSchemaActivities({ pools }).createTargetSchema(input);
    const copy = createCopyActivities({ pools });
    await db.pool.query(`insert into stp_migration.quarantine (run_id, source_table, kind, reason, row, row_key)
      select 'x', 'embeddings_legacy', 'superseded_embedding', 'x', '{}', e.id::text from embeddings_legacy e limit 150`);
    for (const rule of ['chunks'] as const) for (;;) { const x = await copy.copySlice({ ...input, rule, maxBatches: 1000, maxMs: 60000, batchSize: 5000 }); if (x.finished) break; }
    const after = (await db.pool.query(`select id::text from embeddings_legacy order by id offset 10000 limit 1`)).rows[0].id;
    const sql = `explain (analyze, buffers) with b as (
         select e.id, e.chunk_id, coalesce(e.model_name, $4) as model_name, e.vector, e.created_at
           from embeddings_legacy e where $1::uuid is null or e.id > $1::uuid order by e.id limit $2),
       keep as (select distinct on (b.chunk_id, b.model_name) b.* from b
          where exists (select 1 from chunks_unified c where c.id = b.chunk_id)
            and not exists (select 1 from stp_migration.quarantine q where q.run_id = $3 and q.source_table = $5 and q.row_key = b.id::text)
          order by b.chunk_id, b.model_name, coalesce(b.created_at, '-infinity') desc, b.id desc)
       select count(*) from keep`;
    void sql; void after;
    const { embeddingsRule } = await import('../../activities/rules/embeddings');
    const c = await db.pool.connect();
    let key: string | null = null;
    for (let i = 0; i < 6; i++) {
      const t = Date.now();
      await c.query('begin');
      const r = await embeddingsRule.batch(c, input, key, 500);
      await c.query('commit');
      key = r.lastKey;
      console.log('batch', i, Date.now() - t);
    }
    await c.query('begin');
    const res = await c.query('explain (analyze) ' + sql.replace('explain (analyze, buffers) ', '').replace('select count(*) from keep', `, ins as (insert into embeddings_v2 as t (id, chunk_id, vector, model_name, created_at)
         select id, chunk_id, vector, model_name, created_at from keep
         on conflict (chunk_id, model_name) do update
           set id = excluded.id, vector = excluded.vector, created_at = excluded.created_at
           where (coalesce(excluded.created_at, '-infinity'), excluded.id) > (coalesce(t.created_at, '-infinity'), t.id)
         returning 1) select count(*) from ins`), [key, 500, 'x', 'ada', 'embeddings_legacy']);
    console.log(res.rows.map((x: any) => x['QUERY PLAN']).join('\n'));
    await c.query('rollback');
    c.release();
    await db.pool.query('truncate embeddings_v2');
    const t0 = Date.now();
    for (;;) { const x = await copy.copySlice({ ...input, rule: 'embeddings', maxBatches: 1000, maxMs: 60000, batchSize: 500 }); console.log(x, Date.now() - t0); if (x.finished) break; }
  } finally { await db.drop(); }
}
main().catch((e) => { console.error(e); process.exit(1); });
