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
    const s = await generateFixtures(db.pool, { chunks: Number(process.argv[2] ?? 2000), dim: 16 });
    console.log('fixtures', Date.now() - t, s.counts, s.graph, Object.entries(s.defects).map(([k, v]) => [k, v.length]).filter(([, n]) => n));
    const r = parsePlan({ defects: { policy: 'quarantine' } });
    if (!r.ok) throw new Error();
    const input = { runId: 'fx', plan: r.plan };
    await createSchemaActivities({ pools }).createTargetSchema(input);
    await db.pool.query(`insert into stp_migration.quarantine (run_id, source_table, kind, reason, row, row_key)
      select 'fx', 'embeddings_legacy', 'superseded_embedding', 'x', to_jsonb(e), e.id::text from embeddings_legacy e where e.id::text = any($1)`, [s.defects.superseded_embedding]);
    await createGraphActivities({ pools }).prepareGraph(input);
    const copy = createCopyActivities({ pools });
    t = Date.now();
    for (const rule of COPY_RULES) {
      for (;;) { const x = await copy.copySlice({ ...input, rule, maxBatches: 1000, maxMs: 60000, batchSize: 500 }); if (x.finished) break; }
      console.log(rule, Date.now() - t); t = Date.now();
    }
    console.log(await createEmbeddingsActivities({ pools }).buildVectorIndex(input), Date.now() - t); t = Date.now();
    const rep = await createVerifyActivities({ pools }).verify(input);
    console.log('verify', Date.now() - t);
    console.log(JSON.stringify(rep, null, 1));
  } finally { await db.drop(); }
}
main().catch((e) => { console.error(e); process.exit(1); });
