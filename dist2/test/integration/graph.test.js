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
const db_1 = require("../../activities/db");
const graph_1 = require("../../activities/graph");
const csv_1 = require("../../activities/graph/csv");
const graph_2 = require("../../activities/rules/graph");
const plan_1 = require("../../common/plan");
const pg_1 = require("../helpers/pg");
let db;
let acts;
const tmp = node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'stp-graph-'));
function planOf(input = {}) {
    const r = (0, plan_1.parsePlan)(input);
    if (!r.ok)
        throw new Error(r.errors.join('\n'));
    return r.plan;
}
/** A new run id, after closing the previous test's run (one active run per database). */
async function run(id, plan) {
    await db.pool.query(`update stp_migration.runs set status = 'completed' where status = 'running'`).catch(() => undefined);
    return { runId: id, plan };
}
async function runRule(input, limit) {
    return (0, db_1.withClient)(db.pool, async (client) => {
        let key = null;
        let rows = 0;
        for (;;) {
            const r = await (0, db_1.inTransaction)(client, (tx) => graph_2.graphRule.batch(tx, input, key, limit));
            if (r.lastKey === null)
                return rows;
            rows += r.rows;
            key = r.lastKey;
        }
    });
}
async function cypher(graph, query, columns = 'r') {
    return (0, db_1.withClient)(db.pool, async (c) => {
        await c.query(`load 'age'; set search_path = ag_catalog, "$user", public`);
        const cols = columns.split(',').map((x) => `${x.trim()} agtype`).join(', ');
        const { rows } = await c.query(`select * from cypher('${graph}', $$ ${query} $$) as (${cols})`);
        await c.query('reset search_path');
        return rows.map((r) => Object.values(r).map(String)).sort();
    });
}
/** Every edge as (label, start properties, edge properties, end properties), and every vertex as (label, properties). */
const shape = async (graph) => ({
    vertices: await cypher(graph, 'match (v) return label(v), properties(v)', 'l, v'),
    edges: await cypher(graph, 'match (a)-[e]->(b) return label(e), properties(a), properties(e), properties(b)', 'l, a, e, b'),
});
(0, node_test_1.before)(async () => {
    db = await (0, pg_1.createTestDatabase)('graph', { extensions: ['vector', 'age'] });
    acts = (0, graph_1.createGraphActivities)({ pools: { get: () => db.pool } });
    await (0, db_1.withClient)(db.pool, async (c) => {
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
(0, node_test_1.after)(async () => {
    node_fs_1.default.rmSync(tmp, { recursive: true, force: true });
    await db?.drop();
});
(0, node_test_1.test)('AGE to AGE: every vertex and edge with the same properties, readable by cypher, idempotent', async () => {
    const input = await run('run-age', planOf({ graph: { source: { kind: 'age', graph: 'legacy_graph' }, target: 'graph_v2' } }));
    strict_1.default.deepEqual(await acts.prepareGraph(input), { skipped: false });
    strict_1.default.deepEqual(await acts.prepareGraph(input), { skipped: false }); // a retry of the same run
    const { rows: [q] } = await db.pool.query(`select id::text from legacy_graph."RELATES" where ag_catalog.agtype_out(properties)::text like '%QUARANTINED%'`);
    await db.pool.query(`insert into stp_migration.quarantine (run_id, source_table, kind, reason, row, row_key) values ($1, 'legacy_graph.RELATES', 'orphan_graph_edge', 'test', '{}', $2)`, [input.runId, q.id]);
    const total = await (0, db_1.withClient)(db.pool, (c) => graph_2.graphRule.total(c, input));
    strict_1.default.equal(total, 6 + 6); // vertices: 4 Entity, 1 Other, 1 unlabelled; edges: 5 RELATES, 1 MENTIONS
    strict_1.default.equal(await runRule(input, 2), total);
    const src = await shape('legacy_graph');
    const dst = await shape('graph_v2');
    strict_1.default.deepEqual(dst.vertices, src.vertices);
    const expectedEdges = src.edges.filter(([, , e]) => !e.includes('QUARANTINED'));
    strict_1.default.deepEqual(dst.edges, expectedEdges);
    strict_1.default.equal(dst.edges.length, 4);
    strict_1.default.deepEqual(await cypher('graph_v2', `match (a:Entity {name: 'Alpha'})-[r:RELATES]->(b:Entity) return b.name`), [['"Beta \\"quoted\\", with comma"']]);
    // A rerun from the start makes no duplicates; cypher CREATE afterwards does not collide with copied ids.
    await runRule(input, 100);
    strict_1.default.deepEqual(await shape('graph_v2'), dst);
    await cypher('graph_v2', `match (a:Entity {id: 'c1'}) create (a)-[:RELATES {type: 'NEW'}]->(:Entity {id: 'c9'})`);
    strict_1.default.equal((await cypher('graph_v2', 'match (v:Entity) return count(v)'))[0][0], '5');
    // Not ours: refused. Compensation: dropped only by the run that created it.
    const other = await run('run-other', input.plan);
    await strict_1.default.rejects(acts.prepareGraph(other), { name: 'PreconditionError', message: /not created by this run/ });
    await acts.dropTargetGraph(other);
    strict_1.default.equal((await db.pool.query(`select count(*)::int as n from ag_catalog.ag_graph where name = 'graph_v2'`)).rows[0].n, 1);
    await acts.dropTargetGraph(input);
    strict_1.default.equal((await db.pool.query(`select count(*)::int as n from ag_catalog.ag_graph where name = 'graph_v2'`)).rows[0].n, 0);
});
(0, node_test_1.test)('CSV reader: quoting, embedded newlines and commas, CRLF, resumable by byte offset', async () => {
    const file = node_path_1.default.join(tmp, 'q.csv');
    node_fs_1.default.writeFileSync(file, '\ufeffa,b\r\n"x, ""y""","line1\nline2"\r\n\r\nplain,ünïcode\nlast,"no newline"');
    const all = await (0, csv_1.readCsv)(file, 0, 100, 7);
    strict_1.default.deepEqual(all.records, [['a', 'b'], ['x, "y"', 'line1\nline2'], ['plain', 'ünïcode'], ['last', 'no newline']]);
    const first = await (0, csv_1.readCsv)(file, 0, 2, 5);
    strict_1.default.equal(first.records.length, 2);
    const rest = await (0, csv_1.readCsv)(file, first.next, 100, 3);
    strict_1.default.deepEqual(rest.records, all.records.slice(2));
});
(0, node_test_1.test)('CSV to AGE: vertices and edges from the two exports, properties parsed, idempotent', async () => {
    const nodes = node_path_1.default.join(tmp, 'nodes.csv');
    const edges = node_path_1.default.join(tmp, 'edges.csv');
    node_fs_1.default.writeFileSync(nodes, [
        'chunk_id,entity_name,entity_type,properties',
        'c1,Alpha,person,"{""mentions"": 3, ""aliases"": [""A"", ""α""]}"',
        'c2,"Beta ""quoted"", with comma",place,{}',
        'c3,"Multi\nline",concept,',
    ].join('\n') + '\n');
    node_fs_1.default.writeFileSync(edges, [
        'source_chunk_id,target_chunk_id,relationship_type,properties',
        'c1,c2,KNOWS,"{""weight"": 10}"',
        'c2,c3,NEAR,not json',
        'c3,missing,DANGLING,{}',
    ].join('\r\n') + '\r\n');
    const input = await run('run-csv', planOf({ graph: { source: { kind: 'csv', nodesFile: nodes, edgesFile: edges }, target: 'graph_csv' } }));
    strict_1.default.deepEqual(await acts.prepareGraph(input), { skipped: false });
    strict_1.default.equal(await (0, db_1.withClient)(db.pool, (c) => graph_2.graphRule.total(c, input)), 6);
    strict_1.default.equal(await runRule(input, 2), 6);
    await runRule(input, 1); // replay from the start: nothing new
    const vertices = await cypher('graph_csv', 'match (v:Entity) return properties(v)');
    strict_1.default.deepEqual(vertices.map(([v]) => JSON.parse(v)).sort((a, b) => a.id.localeCompare(b.id)), [
        { id: 'c1', name: 'Alpha', type: 'person', properties: { mentions: 3, aliases: ['A', 'α'] } },
        { id: 'c2', name: 'Beta "quoted", with comma', type: 'place', properties: {} },
        { id: 'c3', name: 'Multi\nline', type: 'concept' },
    ]);
    const rels = await cypher('graph_csv', 'match (a:Entity)-[r:RELATES]->(b:Entity) return a.id, properties(r), b.id', 'a, r, b');
    strict_1.default.deepEqual(rels.map(([a, r, b]) => [JSON.parse(a), JSON.parse(r), JSON.parse(b)]), [
        ['c1', { type: 'KNOWS', properties: { weight: 10 } }, 'c2'],
        ['c2', { type: 'NEAR', properties: 'not json' }, 'c3'],
    ]);
    await acts.dropTargetGraph(input);
});
(0, node_test_1.test)('AGE absent: skipped when plan.graph.optional, refused otherwise', async () => {
    const noAge = await (0, pg_1.createTestDatabase)('graph_noage', { extensions: ['vector'] });
    try {
        const a = (0, graph_1.createGraphActivities)({ pools: { get: () => noAge.pool } });
        const optional = { runId: 'r1', plan: planOf({ graph: { optional: true } }) };
        const res = await a.prepareGraph(optional);
        strict_1.default.equal(res.skipped, true);
        strict_1.default.match(res.reason ?? '', /age extension is not installed/);
        strict_1.default.equal(await (0, db_1.withClient)(noAge.pool, (c) => graph_2.graphRule.total(c, optional)), 0);
        await a.dropTargetGraph(optional);
        await strict_1.default.rejects(a.prepareGraph({ runId: 'r1', plan: planOf() }), { name: 'PreconditionError', message: /age extension is not installed/ });
    }
    finally {
        await noAge.drop();
    }
});
//# sourceMappingURL=graph.test.js.map