import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type pg from 'pg';
import { inTransaction, withClient } from '../../activities/db';
import { createGraphActivities } from '../../activities/graph';
import { readCsv } from '../../activities/graph/csv';
import { graphRule } from '../../activities/rules/graph';
import { parsePlan, type Plan, type PlanInput } from '../../common/plan';
import type { StepInput } from '../../common/steps';
import { createTestDatabase } from '../helpers/pg';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let acts: ReturnType<typeof createGraphActivities>;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stp-graph-'));

function planOf(input: PlanInput = {}): Plan {
  const r = parsePlan(input);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.plan;
}

/** A new run id, after closing the previous test's run (one active run per database). */
async function run(id: string, plan: Plan): Promise<StepInput> {
  await db.pool.query(`update stp_migration.runs set status = 'completed' where status = 'running'`).catch(() => undefined);
  return { runId: id, plan };
}

async function runRule(input: StepInput, limit: number): Promise<number> {
  return withClient(db.pool, async (client) => {
    let key: string | null = null;
    let rows = 0;
    for (;;) {
      const r = await inTransaction(client, (tx) => graphRule.batch(tx, input, key, limit));
      if (r.lastKey === null) return rows;
      rows += r.rows;
      key = r.lastKey;
    }
  });
}

async function cypher(graph: string, query: string, columns = 'r'): Promise<string[][]> {
  return withClient(db.pool, async (c) => {
    await c.query(`load 'age'; set search_path = ag_catalog, "$user", public`);
    const cols = columns.split(',').map((x) => `${x.trim()} agtype`).join(', ');
    const { rows } = await c.query(`select * from cypher('${graph}', $$ ${query} $$) as (${cols})`);
    await c.query('reset search_path');
    return rows.map((r) => Object.values(r).map(String)).sort();
  });
}

/** Every edge as (label, start properties, edge properties, end properties), and every vertex as (label, properties). */
const shape = async (graph: string) => ({
  vertices: await cypher(graph, 'match (v) return label(v), properties(v)', 'l, v'),
  edges: await cypher(graph, 'match (a)-[e]->(b) return label(e), properties(a), properties(e), properties(b)', 'l, a, e, b'),
});

before(async () => {
  db = await createTestDatabase('graph', { extensions: ['vector', 'age'] });
  acts = createGraphActivities({ pools: { get: () => db.pool } });
  await withClient(db.pool, async (c) => {
    await c.query(`set client_min_messages = warning; load 'age'; set search_path = ag_catalog, "$user", public`);
    await c.query(`select create_graph('legacy_graph')`);
    await c.query(`select * from cypher('legacy_graph', $$
      create (a:Entity {id: 'c1', name: 'Alpha', type: 'person', properties: {mentions: 3, aliases: ['A', 'α']}}),
             (b:Entity {id: 'c2', name: 'Beta "quoted", with comma', type: 'place', properties: {}}),
             (c:Entity {id: 'c3', name: 'Gamma', type: 'concept', properties: {score: 1.5, nested: {deep: [1, 2, {x: null}]}}}),
             (o:Other {z: 1}),
             (a)-[:RELATES {type: 'KNOWS', properties: {weight: 10}}]->(b),
             (b)-[:RELATES {type: 'NEAR', properties: {since: 2001}}]->(c),
             (c)-[:RELATES {type: 'SELF', properties: {}}]->(c),
             (a)-[:MENTIONS {n: 2}]->(o) $$) as (r agtype)`);
    await c.query(`select * from cypher('legacy_graph', $$ create ({plain: true}) $$) as (r agtype)`);
    // A dangling edge (its end vertex row deleted with SQL) and one quarantined edge: neither is copied.
    await c.query(`select * from cypher('legacy_graph', $$ create (:Entity {id: 'gone'})<-[:RELATES {type: 'DANGLING'}]-(:Entity {id: 'c4', name: 'Delta'}) $$) as (r agtype)`);
    await c.query(`delete from legacy_graph."Entity" where properties = '{"id": "gone"}'::agtype`);
    await c.query(`select * from cypher('legacy_graph', $$ match (a {id: 'c4'}) create (a)-[:RELATES {type: 'QUARANTINED'}]->(a) $$) as (r agtype)`);
  });
  await db.pool.query(`create schema if not exists stp_migration`);
});

after(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  await db?.drop();
});

test('AGE to AGE: every vertex and edge with the same properties, readable by cypher, idempotent', async () => {
  const input = await run('run-age', planOf({ graph: { source: { kind: 'age', graph: 'legacy_graph' }, target: 'graph_v2' } }));
  assert.deepEqual(await acts.prepareGraph(input), { skipped: false });
  assert.deepEqual(await acts.prepareGraph(input), { skipped: false }); // a retry of the same run
  const { rows: [q] } = await db.pool.query(`select id::text from legacy_graph."RELATES" where ag_catalog.agtype_out(properties)::text like '%QUARANTINED%'`);
  await db.pool.query(
    `insert into stp_migration.quarantine (run_id, source_table, kind, reason, row, row_key) values ($1, 'legacy_graph.RELATES', 'orphan_graph_edge', 'test', '{}', $2)`,
    [input.runId, q.id],
  );
  const total = await withClient(db.pool, (c) => graphRule.total(c, input));
  assert.equal(total, 6 + 6); // vertices: 4 Entity, 1 Other, 1 unlabelled; edges: 5 RELATES, 1 MENTIONS
  assert.equal(await runRule(input, 2), total);
  const src = await shape('legacy_graph');
  const dst = await shape('graph_v2');
  assert.deepEqual(dst.vertices, src.vertices);
  const expectedEdges = src.edges.filter(([, , e]) => !e.includes('QUARANTINED'));
  assert.deepEqual(dst.edges, expectedEdges);
  assert.equal(dst.edges.length, 4);
  assert.deepEqual(await cypher('graph_v2', `match (a:Entity {name: 'Alpha'})-[r:RELATES]->(b:Entity) return b.name`), [['"Beta \\"quoted\\", with comma"']]);

  // A rerun from the start makes no duplicates; cypher CREATE afterwards does not collide with copied ids.
  await runRule(input, 100);
  assert.deepEqual(await shape('graph_v2'), dst);
  await cypher('graph_v2', `match (a:Entity {id: 'c1'}) create (a)-[:RELATES {type: 'NEW'}]->(:Entity {id: 'c9'})`);
  assert.equal((await cypher('graph_v2', 'match (v:Entity) return count(v)'))[0][0], '5');

  // Not ours: refused. Compensation: dropped only by the run that created it.
  const other = await run('run-other', input.plan);
  await assert.rejects(acts.prepareGraph(other), { name: 'PreconditionError', message: /not created by this run/ });
  await acts.dropTargetGraph(other);
  assert.equal((await db.pool.query(`select count(*)::int as n from ag_catalog.ag_graph where name = 'graph_v2'`)).rows[0].n, 1);
  await acts.dropTargetGraph(input);
  assert.equal((await db.pool.query(`select count(*)::int as n from ag_catalog.ag_graph where name = 'graph_v2'`)).rows[0].n, 0);
});

test('CSV reader: quoting, embedded newlines and commas, CRLF, resumable by byte offset', async () => {
  const file = path.join(tmp, 'q.csv');
  fs.writeFileSync(file, '\ufeffa,b\r\n"x, ""y""","line1\nline2"\r\n\r\nplain,ünïcode\nlast,"no newline"');
  const all = await readCsv(file, 0, 100, 7);
  assert.deepEqual(all.records, [['a', 'b'], ['x, "y"', 'line1\nline2'], ['plain', 'ünïcode'], ['last', 'no newline']]);
  const first = await readCsv(file, 0, 2, 5);
  assert.equal(first.records.length, 2);
  const rest = await readCsv(file, first.next, 100, 3);
  assert.deepEqual(rest.records, all.records.slice(2));
});

test('CSV to AGE: vertices and edges from the two exports, properties parsed, idempotent', async () => {
  const nodes = path.join(tmp, 'nodes.csv');
  const edges = path.join(tmp, 'edges.csv');
  fs.writeFileSync(nodes, [
    'chunk_id,entity_name,entity_type,properties',
    'c1,Alpha,person,"{""mentions"": 3, ""aliases"": [""A"", ""α""]}"',
    'c2,"Beta ""quoted"", with comma",place,{}',
    'c3,"Multi\nline",concept,',
  ].join('\n') + '\n');
  fs.writeFileSync(edges, [
    'source_chunk_id,target_chunk_id,relationship_type,properties',
    'c1,c2,KNOWS,"{""weight"": 10}"',
    'c2,c3,NEAR,not json',
    'c3,missing,DANGLING,{}',
  ].join('\r\n') + '\r\n');
  const input = await run('run-csv', planOf({ graph: { source: { kind: 'csv', nodesFile: nodes, edgesFile: edges }, target: 'graph_csv' } }));
  assert.deepEqual(await acts.prepareGraph(input), { skipped: false });
  assert.equal(await withClient(db.pool, (c) => graphRule.total(c, input)), 6);
  assert.equal(await runRule(input, 2), 6);
  await runRule(input, 1); // replay from the start: nothing new
  const vertices = await cypher('graph_csv', 'match (v:Entity) return properties(v)');
  assert.deepEqual(vertices.map(([v]) => JSON.parse(v)).sort((a, b) => a.id.localeCompare(b.id)), [
    { id: 'c1', name: 'Alpha', type: 'person', properties: { mentions: 3, aliases: ['A', 'α'] } },
    { id: 'c2', name: 'Beta "quoted", with comma', type: 'place', properties: {} },
    { id: 'c3', name: 'Multi\nline', type: 'concept' },
  ]);
  const rels = await cypher('graph_csv', 'match (a:Entity)-[r:RELATES]->(b:Entity) return a.id, properties(r), b.id', 'a, r, b');
  assert.deepEqual(rels.map(([a, r, b]) => [JSON.parse(a), JSON.parse(r), JSON.parse(b)]), [
    ['c1', { type: 'KNOWS', properties: { weight: 10 } }, 'c2'],
    ['c2', { type: 'NEAR', properties: 'not json' }, 'c3'],
  ]);
  await acts.dropTargetGraph(input);
});

test('AGE absent: skipped when plan.graph.optional, refused otherwise', async () => {
  const noAge = await createTestDatabase('graph_noage', { extensions: ['vector'] });
  try {
    const a = createGraphActivities({ pools: { get: () => noAge.pool } });
    const optional = { runId: 'r1', plan: planOf({ graph: { optional: true } }) };
    const res = await a.prepareGraph(optional);
    assert.equal(res.skipped, true);
    assert.match(res.reason ?? '', /age extension is not installed/);
    assert.equal(await withClient(noAge.pool, (c) => graphRule.total(c, optional)), 0);
    await a.dropTargetGraph(optional);
    await assert.rejects(a.prepareGraph({ runId: 'r1', plan: planOf() }), { name: 'PreconditionError', message: /age extension is not installed/ });
  } finally {
    await noAge.drop();
  }
});
