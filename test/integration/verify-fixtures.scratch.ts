import { createCopyActivities } from '../../activities/copy';
import { createEmbeddingsActivities } from '../../activities/embeddings';
import { createGraphActivities } from '../../activities/graph';
import { createSchemaActivities } from '../../activities/schema';
import { createVerifyActivities } from '../../activities/verify';
import { parsePlan } from '../../common/plan';
import { COPY_RULES } from '../../common/steps';
import { generateFixtures } from '../../fixtures/generate';
import { createTestDatabase } from '../helpers/pg';

async function main() {
  const db = await createTestDatabase('verify_fx', { extensions: ['vector', 'age'] });
  const pools = { get: () => db.pool };
  try {
    let t = Date.now();
    const s = await generateFixtures(db.pool, { chunks: Number(process.argv[2] ?? 2000), dim: Number(process.argv[3] ?? 16) });
    console.log('fixtures', Date.now() - t, s.counts, s.graph, Object.entries(s.defects).map(([k, v]) => [k, v.length]).filter(([, n]) => n));
    const r = parsePlan({ defects: { policy: 'quarantine' } });
    if (!r.ok) throw new Error();
    const input = { runId: 'fx', plan: r.plan };
    await createSchemaActivities({ pools }).createTargetSchema(input);
    await db.pool.query(`insert into stp_migration.quarantine (run_id, source_table, kind, reason, row, row_key)
      select 'fx', 'embeddings_legacy', 'superseded_embedding', 'x', to_jsonb(e), e.id::text from embeddings_legacy e where e.id::text = any($1)`, [s.defects.superseded_embedding]);
    await createGraphActivities({ pools }).prepareGraph(input);
    if (process.env.ANALYZE) await db.pool.query('analyze stp_migration.quarantine');
    const copy = createCopyActivities({ pools });
    t = Date.now();
    for (const rule of COPY_RULES) {
      for (;;) { const x = await copy.copySlice({ ...input, rule, maxBatches: 1000, maxMs: 60000, batchSize: 500 }); console.log(x.batches, x.rowsDone, Date.now() - t); if (x.finished) break; }
      console.log(rule, Date.now() - t); t = Date.now();
    }
    console.log(await createEmbeddingsActivities({ pools }).buildVectorIndex(input), Date.now() - t); t = Date.now();
    const { legacyCounts, targetCounts } = await import('../../activities/verify/counts');
    const { integrityChecks } = await import('../../activities/verify/checks');
    const { ruleSql, digestSql } = await import('../../activities/verify/checksums');
    const { verifyGraph } = await import('../../activities/verify/graph');
    const { tablesOf, one } = await import('../../activities/verify/context');
    if (process.env.ANALYZE2) await db.pool.query('analyze chunks_unified, embeddings_v2');
    const c = await db.pool.connect();
    await c.query('begin'); await c.query('set local jit = off');
    const ctx = { client: c, plan: input.plan, quarantineRun: 'fx', t: tablesOf(input.plan) };
    let t1 = Date.now();
    const lap = (w: string) => { console.log('  ', w, Date.now() - t1); t1 = Date.now(); };
    await legacyCounts(ctx); lap('legacyCounts');
    await targetCounts(ctx); lap('targetCounts');
    await integrityChecks(ctx); lap('checks');
    for (const r of ruleSql(ctx)) { await one(ctx, digestSql(r.source), r.params); lap('src ' + r.rule); await one(ctx, digestSql(r.target)); lap('tgt ' + r.rule); }
    await c.query(`load 'age'; set local search_path = ag_catalog, "$user", public`);
    await verifyGraph(ctx); lap('graph');
    await c.query('rollback'); c.release();
    t = Date.now();
    await createVerifyActivities({ pools }).verify(input);
    console.log('verify1', Date.now() - t); t = Date.now();
    const rep = await createVerifyActivities({ pools }).verify(input);
    console.log('verify', Date.now() - t);
    console.log(JSON.stringify(rep, null, 1));
  } finally { await db.drop(); }
}
main().catch((e) => { console.error(e); process.exit(1); });
