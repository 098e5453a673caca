import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { parsePlan, type Plan, type PlanInput } from '../../common/plan';
import type { Defect } from '../../common/steps';
import { createPreflightActivities } from '../../activities/preflight';
import { createQuarantineActivities } from '../../activities/quarantine';
import { createTestDatabase } from '../helpers/pg';
import { insertClean, insertDefects, insertGraph, legacyDdl, u } from './defects-fixture';

const RUN = 'run-defects';
const GRAPH = 'legacy_kg';

function planFor(input: PlanInput): Plan {
  const r = parsePlan(input);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.plan;
}

describe('defects: preflight detection and quarantine on hand-made legacy data', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: pg.Pool;
  let danglingEdge: string;
  const plan = planFor({ schema: 'legacy', graph: { source: { kind: 'age', graph: GRAPH } } });
  const qplan = planFor({ schema: 'legacy', graph: { source: { kind: 'age', graph: GRAPH } }, defects: { policy: 'quarantine' } });
  const pools = { get: () => pool };
  const preflight = () => createPreflightActivities({ pools }).preflight({ runId: RUN, plan });
  const quarantine = createQuarantineActivities({ pools });

  before(async () => {
    db = await createTestDatabase('a1_defects');
    pool = db.pool;
    await pool.query(legacyDdl('legacy') + legacyDdl('clean'));
    await insertClean(pool, 'legacy');
    await insertDefects(pool, 'legacy');
    await insertClean(pool, 'clean');
    danglingEdge = (await insertGraph(pool, GRAPH, true))!;
  });
  after(async () => db?.drop());

  test('every defect kind is found with its table and id', async () => {
    const r = await preflight();
    const got = r.defects.map((d: Defect) => `${d.kind} ${d.table} ${d.id}`).sort();
    const want = [
      ['id_collision', 'chunks_legacy', 0x60], ['id_collision', 'chunks_legacy', 0x61],
      ['id_collision', 'templates_legacy', 0x60], ['id_collision', 'template_slots_legacy', 0x61],
      ['orphan_text', 'chunks_legacy', 0x20], ['orphan_text', 'chunks_legacy', 0x70], ['orphan_text', 'templates_legacy', 0x200],
      ['orphan_parent', 'chunks_legacy', 0x30], ['orphan_parent', 'chunks_legacy', 0x70],
      ['cycle', 'chunks_legacy', 0x40], ['cycle', 'chunks_legacy', 0x41], ['cycle', 'chunks_legacy', 0x42], ['cycle', 'chunks_legacy', 0x50],
      ['orphan_slot', 'template_slots_legacy', 0x300],
      ['orphan_instance', 'template_slot_instances_legacy', 0x400],
      ['orphan_embedding', 'embeddings_legacy', 0x504], ['orphan_embedding', 'embeddings_legacy', 0x507], ['orphan_embedding', 'embeddings_legacy', 0x508],
      ['superseded_embedding', 'embeddings_legacy', 0x500], ['superseded_embedding', 'embeddings_legacy', 0x502],
      ['superseded_embedding', 'embeddings_legacy', 0x507], ['superseded_embedding', 'embeddings_legacy', 0x509],
      ['superseded_embedding', 'embeddings_legacy', 0x511],
    ].map(([k, t, n]) => `${k} ${t} ${u(n as number)}`);
    want.push(`orphan_tag chunk_tags_legacy ${u(0x992)}|gamma`, `orphan_graph_edge ${GRAPH}.RELATES ${danglingEdge}`);
    assert.deepEqual(got, want.sort());
    assert.deepEqual(r.defectCounts, {
      id_collision: 4, orphan_text: 3, orphan_parent: 2, cycle: 4, orphan_slot: 1, orphan_instance: 1,
      orphan_tag: 1, orphan_embedding: 3, superseded_embedding: 5, orphan_graph_edge: 1,
    });
    const reason = (kind: string, id: string) => r.defects.find((d) => d.kind === kind && d.id === id)?.reason;
    assert.match(reason('cycle', u(0x40))!, /cycle of 3 chunk/);
    assert.match(reason('cycle', u(0x50))!, /cycle of 1 chunk/);
    assert.match(reason('superseded_embedding', u(0x502))!, new RegExp(u(0x503)));
    assert.match(reason('id_collision', u(0x60))!, /templates_legacy/);
    assert.match(reason('orphan_graph_edge', danglingEdge)!, /end vertex .* missing/);
    assert.deepEqual(r.graph, { available: true, skipped: false });
  });

  test('the sample is bounded, shared between kinds, and the counts stay complete', async () => {
    const r = await createPreflightActivities({ pools }).preflight({ runId: RUN, plan, defectLimit: 10 });
    assert.equal(r.defects.length, 10);
    assert.ok(new Set(r.defects.map((d) => d.kind)).size >= 8, 'round-robin over the kinds');
    assert.equal(r.defectCounts.superseded_embedding, 5);
  });

  test('clean data has no defects (graph optional and absent: skipped)', async () => {
    const clean = planFor({ schema: 'clean', graph: { source: { kind: 'age', graph: 'no_such_graph' }, optional: true } });
    const r = await createPreflightActivities({ pools }).preflight({ runId: RUN, plan: clean });
    assert.deepEqual(r.defects, []);
    assert.deepEqual(r.defectCounts, {});
    assert.equal(r.graph.skipped, true);
    assert.match(r.graph.reason!, /no_such_graph/);
  });

  test('quarantine: every defective row once, with its first kind, plus the cascades', async () => {
    const { quarantined: counts } = await quarantine.quarantineDefects({ runId: RUN, plan: qplan });
    const { rows } = await pool.query<{ k: string }>(
      `select source_table || ' ' || row_key || ' ' || kind as k from stp_migration.quarantine where run_id = $1 order by 1`,
      [RUN],
    );
    const q = (t: string, n: number | string, kind: string) => `${t} ${typeof n === 'number' ? u(n) : n} ${kind}`;
    const want = [
      q('chunks_legacy', 0x60, 'id_collision'), q('chunks_legacy', 0x61, 'id_collision'),
      q('chunks_legacy', 0x20, 'orphan_text'), q('chunks_legacy', 0x70, 'orphan_text'), q('chunks_legacy', 0x30, 'orphan_parent'),
      q('chunks_legacy', 0x40, 'cycle'), q('chunks_legacy', 0x41, 'cycle'), q('chunks_legacy', 0x42, 'cycle'), q('chunks_legacy', 0x50, 'cycle'),
      q('chunks_legacy', 0x21, 'cascade'), q('chunks_legacy', 0x22, 'cascade'), q('chunks_legacy', 0x31, 'cascade'),
      q('chunks_legacy', 0x43, 'cascade'), q('chunks_legacy', 0x44, 'cascade'),
      q('templates_legacy', 0x60, 'id_collision'), q('templates_legacy', 0x200, 'orphan_text'),
      q('template_slots_legacy', 0x61, 'id_collision'), q('template_slots_legacy', 0x300, 'orphan_slot'),
      q('template_slots_legacy', 0x210, 'cascade'), q('template_slots_legacy', 0x610, 'cascade'),
      q('template_slot_instances_legacy', 0x400, 'orphan_instance'), q('template_slot_instances_legacy', 0x211, 'cascade'),
      q('template_slot_instances_legacy', 0x301, 'cascade'), q('template_slot_instances_legacy', 0x612, 'cascade'),
      q('chunk_tags_legacy', `${u(0x992)}|gamma`, 'orphan_tag'), q('chunk_tags_legacy', `${u(0x20)}|delta`, 'cascade'),
      q('chunk_tags_legacy', `${u(0x21)}|eps`, 'cascade'),
      q('embeddings_legacy', 0x504, 'orphan_embedding'), q('embeddings_legacy', 0x507, 'orphan_embedding'), q('embeddings_legacy', 0x508, 'orphan_embedding'),
      q('embeddings_legacy', 0x500, 'superseded_embedding'), q('embeddings_legacy', 0x502, 'superseded_embedding'),
      q('embeddings_legacy', 0x509, 'superseded_embedding'), q('embeddings_legacy', 0x511, 'superseded_embedding'),
      q('embeddings_legacy', 0x506, 'cascade'), q('embeddings_legacy', 0x510, 'cascade'),
      `${GRAPH}.RELATES ${danglingEdge} orphan_graph_edge`,
    ];
    assert.deepEqual(rows.map((r) => r.k), [...want].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    assert.deepEqual(counts, {
      cascade: 14, cycle: 4, id_collision: 4, orphan_embedding: 3, orphan_graph_edge: 1, orphan_instance: 1,
      orphan_parent: 1, orphan_slot: 1, orphan_tag: 1, orphan_text: 3, superseded_embedding: 4,
    });
    const reason = async (table: string, key: string) =>
      (await pool.query<{ reason: string }>(`select reason from stp_migration.quarantine where run_id = $1 and source_table = $2 and row_key = $3`, [RUN, table, key])).rows[0].reason;
    assert.equal(await reason('chunks_legacy', u(0x22)), `descendant of quarantined chunk ${u(0x20)}`);
    assert.equal(await reason('chunks_legacy', u(0x44)), `descendant of quarantined chunk ${u(0x40)}`);
    assert.equal(await reason('template_slots_legacy', u(0x610)), `slot of quarantined template ${u(0x60)}`);
    assert.equal(await reason('template_slot_instances_legacy', u(0x211)), `instance of quarantined slot ${u(0x210)}`);
    assert.equal(await reason('embeddings_legacy', u(0x510)), `embedding of quarantined chunk ${u(0x40)}`);
  });

  test('quarantine reports the defects exactly as preflight does (counts, sample); preflight can leave them to it', async () => {
    for (const defectLimit of [undefined, 10]) {
      const pre = await createPreflightActivities({ pools }).preflight({ runId: RUN, plan: qplan, defectLimit });
      const q = await quarantine.quarantineDefects({ runId: RUN, plan: qplan, defectLimit });
      assert.deepEqual({ defects: q.defects, defectCounts: q.defectCounts }, { defects: pre.defects, defectCounts: pre.defectCounts }, `limit ${defectLimit}`);
    }
    const deferred = await createPreflightActivities({ pools }).preflight({ runId: RUN, plan: qplan, deferDefects: true });
    assert.deepEqual([deferred.defects, deferred.defectCounts, deferred.graph], [[], {}, { available: true, skipped: false }]);
  });

  test('quarantine rows are complete copies: row = to_jsonb(legacy row), timestamps in UTC', async (t) => {
    // a worker whose sessions are not in UTC writes the same bytes
    const kolkata = new pg.Pool({ connectionString: db.url, options: '-c TimeZone=Asia/Kolkata', max: 1 });
    try {
      await createQuarantineActivities({ pools: { get: () => kolkata } }).quarantineDefects({ runId: RUN, plan: qplan });
    } finally {
      await kolkata.end();
    }
    const utc = await pool.connect();
    await utc.query(`set timezone = 'UTC'`);
    t.after(() => utc.query('reset timezone').finally(() => utc.release()));
    for (const [table, key] of [
      ['chunks_legacy', 'id::text'], ['templates_legacy', 'id::text'], ['template_slots_legacy', 'id::text'],
      ['template_slot_instances_legacy', 'id::text'], ['embeddings_legacy', 'id::text'], ['chunk_tags_legacy', `chunk_id::text || '|' || tag_content`],
    ]) {
      const { rows } = await utc.query<{ n: number; same: number }>(
        `select count(*)::int as n, count(*) filter (where q.row = to_jsonb(r))::int as same
           from stp_migration.quarantine q join legacy.${table} r on q.row_key = r.${key}
          where q.run_id = $1 and q.source_table = $2`,
        [RUN, table],
      );
      assert.ok(rows[0].n > 0, table);
      assert.equal(rows[0].same, rows[0].n, table);
    }
    const { rows } = await pool.query<{ same: boolean }>(
      `select q.row = to_jsonb(e) as same from stp_migration.quarantine q join ${GRAPH}."RELATES" e on q.row_key = e.id::text where q.run_id = $1`,
      [RUN],
    );
    assert.deepEqual(rows, [{ same: true }]);
  });

  test('quarantine is idempotent: a second run leaves the same rows; clearQuarantine removes them', async () => {
    const snapshot = async () =>
      (await pool.query(`select source_table, row_key, kind, reason, row from stp_migration.quarantine where run_id = $1 order by 1, 2`, [RUN])).rows;
    const first = await snapshot();
    await quarantine.quarantineDefects({ runId: RUN, plan: qplan });
    assert.deepEqual(await snapshot(), first);
    await quarantine.clearQuarantine({ runId: RUN, plan: qplan });
    assert.deepEqual(await snapshot(), []);
  });

  test('CSV graph source: an edge record without its node record is orphan_graph_edge (file, record number)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stp-a1-'));
    const nodesFile = path.join(dir, 'nodes.csv');
    const edgesFile = path.join(dir, 'edges.csv');
    fs.writeFileSync(nodesFile, 'chunk_id,entity_name,entity_type,properties\na,"A, the first",concept,{}\nb,B,concept,"{""k"": 1}"\n');
    fs.writeFileSync(edgesFile, 'source_chunk_id,target_chunk_id,relationship_type,properties\na,b,REL,{}\nb,zz,REL,{}\n,a,REL,{}\n');
    try {
      const source = { kind: 'csv' as const, nodesFile, edgesFile };
      const r = await createPreflightActivities({ pools }).preflight({ runId: RUN, plan: planFor({ schema: 'clean', graph: { source } }) });
      assert.deepEqual(r.defects, [
        { kind: 'orphan_graph_edge', table: edgesFile, id: '2', reason: `target_chunk_id zz has no node record in ${nodesFile}` },
        { kind: 'orphan_graph_edge', table: edgesFile, id: '3', reason: `source_chunk_id (empty) has no node record in ${nodesFile}` },
      ]);
      const q = await quarantine.quarantineDefects({ runId: 'run-csv', plan: planFor({ schema: 'clean', graph: { source }, defects: { policy: 'quarantine' } }) });
      assert.deepEqual([q.defects, q.defectCounts], [r.defects, r.defectCounts]);
      const { rows } = await pool.query(`select source_table, row_key, kind, row from stp_migration.quarantine where run_id = 'run-csv' order by row_key`);
      assert.deepEqual(rows, [
        { source_table: edgesFile, row_key: '2', kind: 'orphan_graph_edge', row: { source_chunk_id: 'b', target_chunk_id: 'zz', relationship_type: 'REL', properties: '{}' } },
        { source_table: edgesFile, row_key: '3', kind: 'orphan_graph_edge', row: { source_chunk_id: '', target_chunk_id: 'a', relationship_type: 'REL', properties: '{}' } },
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('policy block: quarantineDefects does nothing', async () => {
    assert.deepEqual(await quarantine.quarantineDefects({ runId: 'run-block', plan }), { quarantined: {}, defects: [], defectCounts: {} });
    const { rows } = await pool.query(`select 1 from stp_migration.quarantine where run_id = 'run-block'`);
    assert.equal(rows.length, 0);
  });
});
