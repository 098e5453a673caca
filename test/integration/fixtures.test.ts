import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type pg from 'pg';
import { DEFECT_KINDS } from '../../common/steps';
import { detectDefects, tableDigests } from '../../fixtures/check';
import { generateFixtures, type FixtureSummary } from '../../fixtures/generate';
import { createTestDatabase } from '../helpers/pg';

const N = 3000;
const DIM = 16;
let db: Awaited<ReturnType<typeof createTestDatabase>>;

before(async () => {
  db = await createTestDatabase('fixtures');
});
after(async () => {
  await db?.drop();
});

const one = async <T = number>(pool: pg.Pool, sql: string): Promise<T> => Object.values((await pool.query(sql)).rows[0])[0] as T;

async function cypherCount(pool: pg.Pool, graph: string, cypher: string): Promise<number> {
  const c = await pool.connect();
  try {
    await c.query(`load 'age'; set search_path = ag_catalog, "$user", public`);
    const { rows } = await c.query(`select n::text as n from cypher('${graph}', $$ ${cypher} $$) as (n agtype)`);
    return Number(rows[0].n);
  } finally {
    await c.query('reset search_path');
    c.release();
  }
}

test('clean fixtures: realistic structure, no defect but superseded embeddings, readable graph', async () => {
  const s = await generateFixtures(db.pool, { chunks: N, dim: DIM, seed: 3 });
  const p = db.pool;
  assert.equal(s.counts.chunks, N);
  const found = await detectDefects(p);
  for (const kind of DEFECT_KINDS.filter((k) => k !== 'superseded_embedding')) assert.deepEqual(found[kind], [], kind);
  assert.ok(found.superseded_embedding.length > 0);
  assert.deepEqual(found.superseded_embedding, s.defects.superseded_embedding);

  const parentJoin = `from chunks_legacy c join chunks_legacy p on p.id = c.parent_chunk_id`;
  assert.equal(await one(p, `select count(*)::int ${parentJoin} where p.text_id <> c.text_id`), 0);
  assert.ok((await one(p, `select count(*)::int ${parentJoin} where c.id::text < p.id::text`)) > N / 4);
  const depth = await one(p, `with recursive d(id, depth) as (
      select id, 0 from chunks_legacy where parent_chunk_id is null
      union all select c.id, d.depth + 1 from chunks_legacy c join d on c.parent_chunk_id = d.id)
    select max(depth) from d`);
  assert.ok(depth > 15, `max depth ${depth}`);

  const slotsPer = await p.query(`select n, count(*)::int as templates from (select t.id, count(s.id)::int as n
      from templates_legacy t left join template_slots_legacy s on s.template_id = t.id group by t.id) x group by n order by n`);
  assert.deepEqual(slotsPer.rows.map((r) => r.n), [0, 1, 2, 3, 4]);
  const instPer = await p.query(`select distinct n from (select s.id, count(i.id)::int as n
      from template_slots_legacy s left join template_slot_instances_legacy i on i.slot_id = s.id group by s.id) x order by n`);
  assert.deepEqual(instPer.rows.map((r) => r.n), [0, 1, 2, 3]);
  assert.ok((await one(p, `select count(*)::int from (select slot_id from template_slot_instances_legacy
      group by slot_id, updated_at having count(*) > 1) x`)) > 0, 'instance ties on updated_at');

  const tags: string[] = (await p.query(`select distinct tag_content as t from chunk_tags_legacy`)).rows.map((r) => r.t);
  for (const t of ['Tag', 'tag', ' tag', 'tag ', "O'Brien", '"quoted"', '$$', 'back\\slash', '🚀']) assert.ok(tags.includes(t), t);
  assert.ok((await one(p, `select count(*)::int from (select chunk_id from chunk_tags_legacy
      group by chunk_id, tag_content having count(*) > 1) x`)) > 0, 'duplicate tag rows');
  assert.ok((await one(p, `select count(*)::int from (select c.text_id from chunk_tags_legacy g join chunks_legacy c on c.id = g.chunk_id
      group by c.text_id, g.tag_content having count(distinct c.id) > 1) x`)) > 0, 'one tag on several chunks of a text');

  assert.ok((await one(p, `select count(*)::int from embeddings_legacy where model_name is null`)) > 0);
  assert.ok((await one(p, `select count(*)::int from (select 1 from embeddings_legacy group by chunk_id, model_name, created_at
      having count(*) > 1) x`)) > 0, 'duplicate embeddings with equal created_at');
  assert.ok((await one(p, `select count(*)::int from (select 1 from embeddings_legacy group by chunk_id, model_name
      having count(distinct created_at) > 1) x`)) > 0, 'duplicate embeddings with different created_at');
  assert.equal(await one(p, `select count(*)::int from embeddings_legacy where vector_dims(vector) <> ${DIM}`), 0);
  assert.equal(await one(p, `select format_type(atttypid, atttypmod) from pg_attribute
      where attrelid = 'embeddings_legacy'::regclass and attname = 'vector'`), `vector(${DIM})`);
  assert.ok((await one(p, `select count(*)::int from chunks_legacy where extract(microseconds from created_at)::int % 1000 <> 0`)) > N / 2);

  assert.ok(s.graph && s.graph.vertices > 0 && s.graph.edges > 0);
  assert.equal(await cypherCount(p, 'knowledge_graph', 'match (v:Entity) return count(v)'), s.graph.vertices);
  assert.equal(await cypherCount(p, 'knowledge_graph', 'match (:Entity)-[r:RELATES]->(:Entity) return count(r)'), s.graph.edges);
  assert.equal(await one(p, `select count(*)::int from knowledge_graph."Entity" v
      where not exists (select 1 from chunks_legacy c where c.id::text = ag_catalog.agtype_out(v.properties)::text::jsonb ->> 'id')`), 0);
});

test('--defects: every defect kind of the contract, matching the summary, plus cascades', async () => {
  await assert.rejects(generateFixtures(db.pool, { chunks: N, dim: DIM }), /already holds rows; rerun with --reset/);
  const s: FixtureSummary = await generateFixtures(db.pool, { chunks: N, dim: DIM, seed: 3, defects: true, reset: true });
  const found = await detectDefects(db.pool);
  for (const kind of DEFECT_KINDS) {
    assert.ok(found[kind].length > 0, `${kind} present`);
    assert.deepEqual(found[kind], [...s.defects[kind]].sort(), kind);
  }
  assert.ok(s.cascades.length >= 10);
  for (const table of ['chunks_legacy', 'template_slots_legacy', 'template_slot_instances_legacy', 'chunk_tags_legacy', 'embeddings_legacy']) {
    assert.ok(s.cascades.some((c) => c.table === table), `cascade in ${table}`);
  }
  // dangling edges stay in the label table but cypher patterns skip them
  assert.equal(await cypherCount(db.pool, 'knowledge_graph', 'match (:Entity)-[r:RELATES]->(:Entity) return count(r)'), s.graph!.edges);
});

test('same seed, same bytes; another seed, other bytes; custom names and no graph', async () => {
  const digest = async (seed: number) => {
    await generateFixtures(db.pool, { chunks: 2000, dim: 8, seed, defects: true, reset: true, graphName: 'kg_det' });
    return tableDigests(db.pool, undefined, 'kg_det');
  };
  const a = await digest(11);
  assert.deepEqual(await digest(11), a);
  const c = await digest(12);
  for (const name of Object.keys(a)) assert.notEqual(c[name], a[name], name);

  const tables = { chunks: 'my_chunks', tags: 'my_tags' };
  const s = await generateFixtures(db.pool, { chunks: 500, dim: 4, graph: false, defects: true, tables, reset: true });
  assert.equal(s.graph, null);
  assert.match(s.notes.join(), /graph skipped/);
  assert.equal(await one(db.pool, `select count(*)::int from my_chunks`), s.counts.chunks);
  assert.equal(s.defects.orphan_graph_edge.length, 0);
});

test('without the age extension the graph is skipped with a note', async () => {
  const noAge = await createTestDatabase('fixtures_noage', { extensions: ['vector'] });
  try {
    const s = await generateFixtures(noAge.pool, { chunks: 300, dim: 4, defects: true });
    assert.equal(s.graph, null);
    assert.match(s.notes.join('\n'), /age extension is not installed/);
    assert.ok(s.counts.chunks > 300);
  } finally {
    await noAge.drop();
  }
});

test('cli: a bad flag is one line naming it, exit code 2', () => {
  const cli = path.resolve(__dirname, '../../fixtures/cli.js');
  for (const [args, flag] of [[['--chunks', 'ten'], '--chunks'], [['--chunks', '5', '--bogus'], '--bogus'], [['--dim'], '--dim']] as const) {
    const r = spawnSync(process.execPath, [cli, '--database-url', db.url, ...args], { encoding: 'utf8' });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.ok(r.stderr.startsWith(`fixtures: ${flag}:`), r.stderr);
  }
});
