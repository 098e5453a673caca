"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = __importDefault(require("node:fs"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const node_test_1 = require("node:test");
const pg_1 = __importDefault(require("pg"));
const plan_1 = require("../../common/plan");
const preflight_1 = require("../../activities/preflight");
const quarantine_1 = require("../../activities/quarantine");
const pg_2 = require("../helpers/pg");
const defects_fixture_1 = require("./defects-fixture");
const RUN = 'run-defects';
const GRAPH = 'legacy_kg';
function planFor(input) {
    const r = (0, plan_1.parsePlan)(input);
    if (!r.ok)
        throw new Error(r.errors.join('\n'));
    return r.plan;
}
(0, node_test_1.describe)('defects: preflight detection and quarantine on hand-made legacy data', () => {
    let db;
    let pool;
    let danglingEdge;
    const plan = planFor({ schema: 'legacy', graph: { source: { kind: 'age', graph: GRAPH } } });
    const qplan = planFor({ schema: 'legacy', graph: { source: { kind: 'age', graph: GRAPH } }, defects: { policy: 'quarantine' } });
    const pools = { get: () => pool };
    const preflight = () => (0, preflight_1.createPreflightActivities)({ pools }).preflight({ runId: RUN, plan });
    const quarantine = (0, quarantine_1.createQuarantineActivities)({ pools });
    (0, node_test_1.before)(async () => {
        db = await (0, pg_2.createTestDatabase)('a1_defects');
        pool = db.pool;
        await pool.query((0, defects_fixture_1.legacyDdl)('legacy') + (0, defects_fixture_1.legacyDdl)('clean'));
        await (0, defects_fixture_1.insertClean)(pool, 'legacy');
        await (0, defects_fixture_1.insertDefects)(pool, 'legacy');
        await (0, defects_fixture_1.insertClean)(pool, 'clean');
        danglingEdge = (await (0, defects_fixture_1.insertGraph)(pool, GRAPH, true));
    });
    (0, node_test_1.after)(async () => db?.drop());
    (0, node_test_1.test)('every defect kind is found with its table and id', async () => {
        const r = await preflight();
        const got = r.defects.map((d) => `${d.kind} ${d.table} ${d.id}`).sort();
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
        ].map(([k, t, n]) => `${k} ${t} ${(0, defects_fixture_1.u)(n)}`);
        want.push(`orphan_tag chunk_tags_legacy ${(0, defects_fixture_1.u)(0x992)}|gamma`, `orphan_graph_edge ${GRAPH}.RELATES ${danglingEdge}`);
        strict_1.default.deepEqual(got, want.sort());
        strict_1.default.deepEqual(r.defectCounts, {
            id_collision: 4, orphan_text: 3, orphan_parent: 2, cycle: 4, orphan_slot: 1, orphan_instance: 1,
            orphan_tag: 1, orphan_embedding: 3, superseded_embedding: 5, orphan_graph_edge: 1,
        });
        const reason = (kind, id) => r.defects.find((d) => d.kind === kind && d.id === id)?.reason;
        strict_1.default.match(reason('cycle', (0, defects_fixture_1.u)(0x40)), /cycle of 3 chunk/);
        strict_1.default.match(reason('cycle', (0, defects_fixture_1.u)(0x50)), /cycle of 1 chunk/);
        strict_1.default.match(reason('superseded_embedding', (0, defects_fixture_1.u)(0x502)), new RegExp((0, defects_fixture_1.u)(0x503)));
        strict_1.default.match(reason('id_collision', (0, defects_fixture_1.u)(0x60)), /templates_legacy/);
        strict_1.default.match(reason('orphan_graph_edge', danglingEdge), /end vertex .* missing/);
        strict_1.default.deepEqual(r.graph, { available: true, skipped: false });
    });
    (0, node_test_1.test)('the sample is bounded, shared between kinds, and the counts stay complete', async () => {
        const r = await (0, preflight_1.createPreflightActivities)({ pools }).preflight({ runId: RUN, plan, defectLimit: 10 });
        strict_1.default.equal(r.defects.length, 10);
        strict_1.default.ok(new Set(r.defects.map((d) => d.kind)).size >= 8, 'round-robin over the kinds');
        strict_1.default.equal(r.defectCounts.superseded_embedding, 5);
    });
    (0, node_test_1.test)('clean data has no defects (graph optional and absent: skipped)', async () => {
        const clean = planFor({ schema: 'clean', graph: { source: { kind: 'age', graph: 'no_such_graph' }, optional: true } });
        const r = await (0, preflight_1.createPreflightActivities)({ pools }).preflight({ runId: RUN, plan: clean });
        strict_1.default.deepEqual(r.defects, []);
        strict_1.default.deepEqual(r.defectCounts, {});
        strict_1.default.equal(r.graph.skipped, true);
        strict_1.default.match(r.graph.reason, /no_such_graph/);
    });
    (0, node_test_1.test)('quarantine: every defective row once, with its first kind, plus the cascades', async () => {
        const { quarantined: counts } = await quarantine.quarantineDefects({ runId: RUN, plan: qplan });
        const { rows } = await pool.query(`select source_table || ' ' || row_key || ' ' || kind as k from stp_migration.quarantine where run_id = $1 order by 1`, [RUN]);
        const q = (t, n, kind) => `${t} ${typeof n === 'number' ? (0, defects_fixture_1.u)(n) : n} ${kind}`;
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
            q('chunk_tags_legacy', `${(0, defects_fixture_1.u)(0x992)}|gamma`, 'orphan_tag'), q('chunk_tags_legacy', `${(0, defects_fixture_1.u)(0x20)}|delta`, 'cascade'),
            q('chunk_tags_legacy', `${(0, defects_fixture_1.u)(0x21)}|eps`, 'cascade'),
            q('embeddings_legacy', 0x504, 'orphan_embedding'), q('embeddings_legacy', 0x507, 'orphan_embedding'), q('embeddings_legacy', 0x508, 'orphan_embedding'),
            q('embeddings_legacy', 0x500, 'superseded_embedding'), q('embeddings_legacy', 0x502, 'superseded_embedding'),
            q('embeddings_legacy', 0x509, 'superseded_embedding'), q('embeddings_legacy', 0x511, 'superseded_embedding'),
            q('embeddings_legacy', 0x506, 'cascade'), q('embeddings_legacy', 0x510, 'cascade'),
            `${GRAPH}.RELATES ${danglingEdge} orphan_graph_edge`,
        ];
        strict_1.default.deepEqual(rows.map((r) => r.k), [...want].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
        strict_1.default.deepEqual(counts, {
            cascade: 14, cycle: 4, id_collision: 4, orphan_embedding: 3, orphan_graph_edge: 1, orphan_instance: 1,
            orphan_parent: 1, orphan_slot: 1, orphan_tag: 1, orphan_text: 3, superseded_embedding: 4,
        });
        const reason = async (table, key) => (await pool.query(`select reason from stp_migration.quarantine where run_id = $1 and source_table = $2 and row_key = $3`, [RUN, table, key])).rows[0].reason;
        strict_1.default.equal(await reason('chunks_legacy', (0, defects_fixture_1.u)(0x22)), `descendant of quarantined chunk ${(0, defects_fixture_1.u)(0x20)}`);
        strict_1.default.equal(await reason('chunks_legacy', (0, defects_fixture_1.u)(0x44)), `descendant of quarantined chunk ${(0, defects_fixture_1.u)(0x40)}`);
        strict_1.default.equal(await reason('template_slots_legacy', (0, defects_fixture_1.u)(0x610)), `slot of quarantined template ${(0, defects_fixture_1.u)(0x60)}`);
        strict_1.default.equal(await reason('template_slot_instances_legacy', (0, defects_fixture_1.u)(0x211)), `instance of quarantined slot ${(0, defects_fixture_1.u)(0x210)}`);
        strict_1.default.equal(await reason('embeddings_legacy', (0, defects_fixture_1.u)(0x510)), `embedding of quarantined chunk ${(0, defects_fixture_1.u)(0x40)}`);
    });
    (0, node_test_1.test)('quarantine reports the defects exactly as preflight does (counts, sample); preflight can leave them to it', async () => {
        for (const defectLimit of [undefined, 10]) {
            const pre = await (0, preflight_1.createPreflightActivities)({ pools }).preflight({ runId: RUN, plan: qplan, defectLimit });
            const q = await quarantine.quarantineDefects({ runId: RUN, plan: qplan, defectLimit });
            strict_1.default.deepEqual({ defects: q.defects, defectCounts: q.defectCounts }, { defects: pre.defects, defectCounts: pre.defectCounts }, `limit ${defectLimit}`);
        }
        const deferred = await (0, preflight_1.createPreflightActivities)({ pools }).preflight({ runId: RUN, plan: qplan, deferDefects: true });
        strict_1.default.deepEqual([deferred.defects, deferred.defectCounts, deferred.graph], [[], {}, { available: true, skipped: false }]);
    });
    (0, node_test_1.test)('quarantine rows are complete copies: row = to_jsonb(legacy row), timestamps in UTC', async (t) => {
        // a worker whose sessions are not in UTC writes the same bytes
        const kolkata = new pg_1.default.Pool({ connectionString: db.url, options: '-c TimeZone=Asia/Kolkata', max: 1 });
        try {
            await (0, quarantine_1.createQuarantineActivities)({ pools: { get: () => kolkata } }).quarantineDefects({ runId: RUN, plan: qplan });
        }
        finally {
            await kolkata.end();
        }
        const utc = await pool.connect();
        await utc.query(`set timezone = 'UTC'`);
        t.after(() => utc.query('reset timezone').finally(() => utc.release()));
        for (const [table, key] of [
            ['chunks_legacy', 'id::text'], ['templates_legacy', 'id::text'], ['template_slots_legacy', 'id::text'],
            ['template_slot_instances_legacy', 'id::text'], ['embeddings_legacy', 'id::text'], ['chunk_tags_legacy', `chunk_id::text || '|' || tag_content`],
        ]) {
            const { rows } = await utc.query(`select count(*)::int as n, count(*) filter (where q.row = to_jsonb(r))::int as same
           from stp_migration.quarantine q join legacy.${table} r on q.row_key = r.${key}
          where q.run_id = $1 and q.source_table = $2`, [RUN, table]);
            strict_1.default.ok(rows[0].n > 0, table);
            strict_1.default.equal(rows[0].same, rows[0].n, table);
        }
        const { rows } = await pool.query(`select q.row = to_jsonb(e) as same from stp_migration.quarantine q join ${GRAPH}."RELATES" e on q.row_key = e.id::text where q.run_id = $1`, [RUN]);
        strict_1.default.deepEqual(rows, [{ same: true }]);
    });
    (0, node_test_1.test)('quarantine is idempotent: a second run leaves the same rows; clearQuarantine removes them', async () => {
        const snapshot = async () => (await pool.query(`select source_table, row_key, kind, reason, row from stp_migration.quarantine where run_id = $1 order by 1, 2`, [RUN])).rows;
        const first = await snapshot();
        await quarantine.quarantineDefects({ runId: RUN, plan: qplan });
        strict_1.default.deepEqual(await snapshot(), first);
        await quarantine.clearQuarantine({ runId: RUN, plan: qplan });
        strict_1.default.deepEqual(await snapshot(), []);
    });
    (0, node_test_1.test)('CSV graph source: an edge record without its node record is orphan_graph_edge (file, record number)', async () => {
        const dir = node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'stp-a1-'));
        const nodesFile = node_path_1.default.join(dir, 'nodes.csv');
        const edgesFile = node_path_1.default.join(dir, 'edges.csv');
        node_fs_1.default.writeFileSync(nodesFile, 'chunk_id,entity_name,entity_type,properties\na,"A, the first",concept,{}\nb,B,concept,"{""k"": 1}"\n');
        node_fs_1.default.writeFileSync(edgesFile, 'source_chunk_id,target_chunk_id,relationship_type,properties\na,b,REL,{}\nb,zz,REL,{}\n,a,REL,{}\n');
        try {
            const source = { kind: 'csv', nodesFile, edgesFile };
            const r = await (0, preflight_1.createPreflightActivities)({ pools }).preflight({ runId: RUN, plan: planFor({ schema: 'clean', graph: { source } }) });
            strict_1.default.deepEqual(r.defects, [
                { kind: 'orphan_graph_edge', table: edgesFile, id: '2', reason: `target_chunk_id zz has no node record in ${nodesFile}` },
                { kind: 'orphan_graph_edge', table: edgesFile, id: '3', reason: `source_chunk_id (empty) has no node record in ${nodesFile}` },
            ]);
            const q = await quarantine.quarantineDefects({ runId: 'run-csv', plan: planFor({ schema: 'clean', graph: { source }, defects: { policy: 'quarantine' } }) });
            strict_1.default.deepEqual([q.defects, q.defectCounts], [r.defects, r.defectCounts]);
            const { rows } = await pool.query(`select source_table, row_key, kind, row from stp_migration.quarantine where run_id = 'run-csv' order by row_key`);
            strict_1.default.deepEqual(rows, [
                { source_table: edgesFile, row_key: '2', kind: 'orphan_graph_edge', row: { source_chunk_id: 'b', target_chunk_id: 'zz', relationship_type: 'REL', properties: '{}' } },
                { source_table: edgesFile, row_key: '3', kind: 'orphan_graph_edge', row: { source_chunk_id: '', target_chunk_id: 'a', relationship_type: 'REL', properties: '{}' } },
            ]);
        }
        finally {
            node_fs_1.default.rmSync(dir, { recursive: true, force: true });
        }
    });
    (0, node_test_1.test)('policy block: quarantineDefects does nothing', async () => {
        strict_1.default.deepEqual(await quarantine.quarantineDefects({ runId: 'run-block', plan }), { quarantined: {}, defects: [], defectCounts: {} });
        const { rows } = await pool.query(`select 1 from stp_migration.quarantine where run_id = 'run-block'`);
        strict_1.default.equal(rows.length, 0);
    });
});
//# sourceMappingURL=defects.test.js.map