import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type pg from 'pg';
import { createCopyActivities } from '../../activities/copy';
import { createEmbeddingsActivities } from '../../activities/embeddings';
import { withClient } from '../../activities/db';
import { createGraphActivities } from '../../activities/graph';
import { createQuarantineActivities } from '../../activities/quarantine';
import { createSchemaActivities } from '../../activities/schema';
import { createVerifyActivities } from '../../activities/verify';
import { parsePlan, type Plan } from '../../common/plan';
import { COPY_RULES, type StepInput, type VerifyReport } from '../../common/steps';
import { generateFixtures } from '../../fixtures/generate';
import { legacyDdl } from '../../fixtures/schema';
import { createTestDatabase } from '../helpers/pg';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let verify: (input: StepInput) => Promise<VerifyReport>;
const RUN = 'run-verify';
const planOf = (): Plan => {
  const r = parsePlan({ defects: { policy: 'quarantine' } });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.plan;
};
const input: StepInput = { runId: RUN, plan: planOf() };

async function q<T extends pg.QueryResultRow = any>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.pool.query<T>(sql, params)).rows;
}

const id = (prefix: string, n: number) => `${prefix}0000000-0000-0000-0000-${String(n).padStart(12, '0')}`;
const [T1, T2] = [id('a', 1), id('a', 2)];
const [C1, C2, C3, C4, GONE] = [id('c', 1), id('c', 2), id('c', 3), id('c', 4), id('c', 99)];
const P1 = id('b', 1);
const [S1, S2, S3] = [id('d', 1), id('d', 2), id('d', 3)];

/** Hand-made legacy data touching every rule, with two quarantined rows (an orphan tag, a superseded embedding). */
async function legacy(): Promise<void> {
  await withClient(db.pool, async (c) => {
    for (const ddl of legacyDdl(input.plan.legacy, 3)) await c.query(ddl);
  });
  const ts = (s: number) => `2024-03-0${1 + (s % 5)} 10:00:0${s % 10}.${String(123457 + s).padStart(6, '0')}+00`;
  await q(`insert into texts (id, title) values ($1, 'one'), ($2, 'two')`, [T1, T2]);
  for (const [n, cid, text, parent] of [[1, C1, T1, null], [2, C2, T1, C1], [3, C3, T1, C2], [4, C4, T2, null]] as const) {
    await q(`insert into chunks_legacy (id, text_id, content, parent_chunk_id, indent_level, sequence_number, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $5, $6, $7)`, [cid, text, `chunk ${n} – ünïcode`, parent, n - 1, ts(n), ts(n + 1)]);
  }
  await q(`insert into templates_legacy (id, text_id, content, created_at, updated_at) values ($1, $2, 'Dear {{name}}', $3, $4)`, [P1, T1, ts(5), ts(6)]);
  for (const [n, sid] of [[1, S1], [2, S2], [3, S3]] as const) {
    await q(`insert into template_slots_legacy (id, template_id, slot_name, slot_order, created_at, updated_at) values ($1, $2, $3, $4, $5, $5)`, [sid, P1, `slot${n}`, n, ts(n)]);
  }
  for (const [n, sid, value, at] of [[1, S1, 'old', ts(1)], [2, S1, 'new', ts(2)], [3, S2, 'only', ts(3)]] as const) {
    await q(`insert into template_slot_instances_legacy (id, slot_id, slot_value, updated_at) values ($1, $2, $3, $4)`, [id('e', n), sid, value, at]);
  }
  for (const [cid, tag, s] of [[C1, 'b', 1], [C1, 'a', 2], [C1, 'a', 3], [C2, 'a', 4], [C4, 'Ä', 5], [GONE, 'z', 6]] as const) {
    await q(`insert into chunk_tags_legacy (chunk_id, tag_content, created_at) values ($1, $2, $3)`, [cid, tag, ts(s)]);
  }
  for (const [n, cid, model, vec, s] of [[1, C1, null, '[1,2,3]', 1], [2, C1, null, '[4,5,6]', 2], [3, C2, 'm2', '[0.5,-1.25,3e-7]', 3]] as const) {
    await q(`insert into embeddings_legacy (id, chunk_id, model_name, vector, created_at) values ($1, $2, $3, $4, $5)`, [id('f', n), cid, model, vec, ts(s)]);
  }
  await q(`create schema if not exists stp_migration`);
  await withClient(db.pool, async (c) => {
    await c.query(`load 'age'; set search_path = ag_catalog, "$user", public`);
    await c.query(`select create_graph('knowledge_graph')`);
    await c.query(`select * from cypher('knowledge_graph', $$
      create (a:Entity {id: '${C1}', name: 'Alpha', type: 'person', properties: {n: 1}})-[:RELATES {type: 'KNOWS', properties: {}}]->
             (:Entity {id: '${C2}', name: 'Beta', type: 'place', properties: {}}) $$) as (r agtype)`);
    await c.query('reset search_path');
  });
}

async function copyAll(pool: pg.Pool, input: StepInput, batchSize: number): Promise<void> {
  await createGraphActivities({ pools: { get: () => pool } }).prepareGraph(input);
  const copy = createCopyActivities({ pools: { get: () => pool } });
  for (const rule of COPY_RULES) {
    for (;;) {
      const r = await copy.copySlice({ ...input, rule, maxBatches: 1000, maxMs: 60_000, batchSize });
      if (r.finished) break;
    }
  }
}

async function migrate(): Promise<void> {
  await createSchemaActivities({ pools: { get: () => db.pool } }).createTargetSchema(input);
  await q(`insert into stp_migration.quarantine (run_id, source_table, kind, reason, row, row_key)
           select $1, 'chunk_tags_legacy', 'orphan_tag', 'chunk missing', to_jsonb(t), t.chunk_id::text || '|' || t.tag_content
             from chunk_tags_legacy t where chunk_id = $2
           union all
           select $1, 'embeddings_legacy', 'superseded_embedding', 'older', to_jsonb(e), e.id::text from embeddings_legacy e where id = $3`,
  [RUN, GONE, id('f', 1)]);
  await copyAll(db.pool, input, 2);
}

before(async () => {
  db = await createTestDatabase('verify', { extensions: ['vector', 'age'] });
  verify = createVerifyActivities({ pools: { get: () => db.pool } }).verify;
  await legacy();
  await migrate();
});
after(async () => db?.drop());

test('a correct migration verifies: counts balance, every rule checksum matches', async () => {
  const r = await verify(input);
  assert.deepEqual(r.problems, []);
  assert.equal(r.ok, true);
  assert.deepEqual(r.legacy.chunk_tags_legacy, { rows: 6, migrated: 5, quarantined: 1 });
  assert.deepEqual(r.legacy.embeddings_legacy, { rows: 3, migrated: 2, quarantined: 1 });
  assert.deepEqual(r.legacy.chunks_legacy, { rows: 4, migrated: 4, quarantined: 0 });
  assert.deepEqual(r.legacy.template_slot_instances_legacy, { rows: 3, migrated: 3, quarantined: 0 });
  assert.deepEqual(r.legacy['knowledge_graph.Entity'], { rows: 2, migrated: 2, quarantined: 0 });
  assert.deepEqual(r.target, { chunks: 4, templates: 1, slots: 3, tags: 3, embeddings: 2, graph_vertices: 2, graph_edges: 1 });
  assert.deepEqual(r.quarantine, { orphan_tag: 1, superseded_embedding: 1 });
  assert.deepEqual(r.checksums.map((c) => [c.rule, c.match, c.rows.source]), [
    ['chunks', true, 4], ['templates', true, 1], ['slots', true, 3], ['tags', true, 3], ['chunk_tags', true, 3], ['embeddings', true, 2], ['graph', true, 3],
  ]);
  assert.deepEqual(r.checks, { orphaned_chunks: 0, invalid_template_refs: 0, missing_embeddings: 2, cycles: 0, deep_hierarchies: 0, invalid_metadata: 0 });
  assert.deepEqual(r.graph, { skipped: false, vertices: { source: 2, target: 2 }, edges: { source: 1, target: 1 } });
  assert.match(r.warnings.join('\n'), /2 chunks without embeddings/);

  // Outside a run, the latest run's quarantine explains the missing rows.
  const adhoc = await verify({ ...input, runId: 'adhoc' });
  assert.equal(adhoc.ok, true);
  assert.match(adhoc.warnings.join('\n'), /quarantine of run "run-verify"/);
});

const MUTATIONS: { name: string; rule: string; change: string; undo: string }[] = [
  {
    name: 'one byte of a chunk content',
    rule: 'chunks',
    change: `update chunks_unified set content = overlay(content placing 'C' from 1 for 1) where id = '${C2}'`,
    undo: `update chunks_unified u set content = l.content from chunks_legacy l where l.id = u.id and u.id = '${C2}'`,
  },
  {
    name: 'a timestamp by one microsecond',
    rule: 'templates',
    change: `update chunks_unified set updated_at = updated_at + interval '1 microsecond' where id = '${P1}'`,
    undo: `update chunks_unified set updated_at = updated_at - interval '1 microsecond' where id = '${P1}'`,
  },
  {
    name: 'the order of a chunk tag list',
    rule: 'chunk_tags',
    change: `update chunks_unified set metadata = jsonb_set(metadata, '{tags}', '["b", "a"]') where id = '${C1}'`,
    undo: `update chunks_unified set metadata = jsonb_set(metadata, '{tags}', '["a", "b"]') where id = '${C1}'`,
  },
  {
    name: 'one vector component',
    rule: 'embeddings',
    change: `update embeddings_v2 set vector = '[0.5,-1.25,3.0001e-7]' where chunk_id = '${C2}'`,
    undo: `update embeddings_v2 set vector = '[0.5,-1.25,3e-7]' where chunk_id = '${C2}'`,
  },
  {
    name: 'a slot instance value kept in metadata',
    rule: 'slots',
    change: `update chunks_unified set metadata = jsonb_set(metadata, '{slot_instances,0,slot_value}', '"olD"') where id = '${S1}'`,
    undo: `update chunks_unified set metadata = jsonb_set(metadata, '{slot_instances,0,slot_value}', '"old"') where id = '${S1}'`,
  },
  {
    name: 'the creation time of a tag chunk',
    rule: 'tags',
    change: `update chunks_unified set created_at = created_at + interval '1 microsecond' where content = 'Ä'`,
    undo: `update chunks_unified set created_at = created_at - interval '1 microsecond' where content = 'Ä'`,
  },
  {
    name: 'a graph vertex property',
    rule: 'graph',
    change: `load 'age'; set search_path = ag_catalog, public; select * from cypher('knowledge_graph_v2', $$ match (v:Entity {name: 'Beta'}) set v.type = 'placE' $$) as (r agtype)`,
    undo: `load 'age'; set search_path = ag_catalog, public; select * from cypher('knowledge_graph_v2', $$ match (v:Entity {name: 'Beta'}) set v.type = 'place' $$) as (r agtype)`,
  },
];

for (const m of MUTATIONS) {
  test(`changing ${m.name} fails rule ${m.rule}'s checksum and only it`, async () => {
    await withClient(db.pool, (c) => c.query(m.change));
    try {
      const r = await verify(input);
      assert.equal(r.ok, false);
      assert.deepEqual(r.checksums.filter((c) => !c.match).map((c) => c.rule), [m.rule]);
      assert.match(r.problems.join('\n'), new RegExp(`checksum mismatch for rule ${m.rule}:`));
    } finally {
      await withClient(db.pool, (c) => c.query(m.undo));
    }
    assert.equal((await verify(input)).ok, true);
  });
}

test('integrity checks: orphaned parent, invalid template ref, cycle, bad metadata', async () => {
  await q(`update chunks_unified set parent_chunk_id = $1 where id = $2`, [GONE, C4]);
  await q(`update chunks_unified set template_chunk_id = $1 where id = $2`, [C1, S3]);
  await q(`update chunks_unified set parent_chunk_id = $1 where id = $2`, [C3, C1]);
  await q(`update chunks_unified set metadata = '[]' where id = $1`, [C2]);
  try {
    const r = await verify(input);
    assert.equal(r.ok, false);
    assert.equal(r.checks.orphaned_chunks, 1);
    assert.equal(r.checks.invalid_template_refs, 1);
    assert.equal(r.checks.cycles, 3);
    assert.equal(r.checks.invalid_metadata, 1);
  } finally {
    await q(`update chunks_unified set parent_chunk_id = null where id in ($1, $2)`, [C4, C1]);
    await q(`update chunks_unified set template_chunk_id = $1 where id = $2`, [P1, S3]);
    await q(`update chunks_unified set metadata = '{"tags": ["a"]}' where id = $1`, [C2]);
  }
  assert.deepEqual((await verify(input)).problems, []);
});

test('invalid_metadata: a tag chunk naming a template, a non-uuid or an absent chunk counts once per row, with a bad shape too', async () => {
  const rows = await q(`select id, metadata from chunks_unified where metadata ->> 'type' = 'tag' order by id limit 3`);
  assert.equal(rows.length, 3, 'the fixture has three tag chunks');
  const [a, b, c] = rows as { id: string; metadata: Record<string, unknown> }[];
  const set = (row: { id: string }, ids: unknown) => q(`update chunks_unified set metadata = jsonb_set(metadata, '{original_chunk_ids}', $1::jsonb) where id = $2`, [JSON.stringify(ids), row.id]);
  try {
    await set(a, [C1, P1]); // P1 is a template: not a chunk a tag may come from
    await set(b, ['not-a-uuid', GONE, 7]); // three bad elements, one row
    await q(`update chunks_unified set metadata = metadata || '{"tags": "x"}' where id = $1`, [c.id]); // bad shape ...
    await set(c, [GONE]); // ... and a bad element: still one row
    const r = await verify(input);
    assert.equal(r.checks.invalid_metadata, 3);
    assert.match(r.problems.join('\n'), /3 rows with invalid metadata/);
  } finally {
    for (const row of [a, b, c]) await q(`update chunks_unified set metadata = $1 where id = $2`, [JSON.stringify(row.metadata), row.id]);
  }
  assert.deepEqual((await verify(input)).problems, []);
});

test('a deleted target row breaks the counts: legacy rows != migrated + quarantined', async () => {
  await q(`delete from chunks_unified where id = $1`, [C4]);
  const r = await verify(input);
  assert.equal(r.ok, false);
  assert.deepEqual(r.legacy.chunks_legacy, { rows: 4, migrated: 3, quarantined: 0 });
  assert.match(r.problems.join('\n'), /chunks_legacy: 4 legacy rows but 3 migrated \+ 0 quarantined/);
  assert.equal(r.checksums.find((c) => c.rule === 'chunks')?.rows.target, 3);
});

test('generated fixture with every defect kind: quarantine, the real copy, the vector index, then verify is ok', async () => {
  const fx = await createTestDatabase('verify_fixture', { extensions: ['vector', 'age'] });
  try {
    const pools = { get: () => fx.pool };
    const summary = await generateFixtures(fx.pool, { chunks: 1500, dim: 16, defects: true });
    await createSchemaActivities({ pools }).createTargetSchema(input);
    const { quarantined } = await createQuarantineActivities({ pools }).quarantineDefects(input);
    await copyAll(fx.pool, input, 400);
    await createEmbeddingsActivities({ pools }).buildVectorIndex(input);
    const r = await createVerifyActivities({ pools }).verify(input);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.quarantine, quarantined);
    assert.equal(r.checksums.length, 7);
    assert.ok(r.checksums.every((c) => c.match && c.rows.source > 0));
    for (const [table, c] of Object.entries(r.legacy)) assert.equal(c.rows, c.migrated + c.quarantined, table);
    assert.equal(r.legacy.embeddings_legacy.quarantined >= summary.defects.superseded_embedding.length, true);
    assert.equal(r.legacy['knowledge_graph.RELATES'].quarantined, summary.defects.orphan_graph_edge.length);
  } finally {
    await fx.drop();
  }
});
