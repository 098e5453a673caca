"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_path_1 = __importDefault(require("node:path"));
const steps_1 = require("../../common/steps");
const check_1 = require("../../fixtures/check");
const generate_1 = require("../../fixtures/generate");
const pg_1 = require("../helpers/pg");
const N = 3000;
const DIM = 16;
let db;
(0, node_test_1.before)(async () => {
    db = await (0, pg_1.createTestDatabase)('fixtures');
});
(0, node_test_1.after)(async () => {
    await db?.drop();
});
const one = async (pool, sql) => Object.values((await pool.query(sql)).rows[0])[0];
async function cypherCount(pool, graph, cypher) {
    const c = await pool.connect();
    try {
        await c.query(`load 'age'; set search_path = ag_catalog, "$user", public`);
        const { rows } = await c.query(`select n::text as n from cypher('${graph}', $$ ${cypher} $$) as (n agtype)`);
        return Number(rows[0].n);
    }
    finally {
        await c.query('reset search_path');
        c.release();
    }
}
(0, node_test_1.test)('clean fixtures: realistic structure, no defect but superseded embeddings, readable graph', async () => {
    const s = await (0, generate_1.generateFixtures)(db.pool, { chunks: N, dim: DIM, seed: 3 });
    const p = db.pool;
    strict_1.default.equal(s.counts.chunks, N);
    const found = await (0, check_1.detectDefects)(p);
    for (const kind of steps_1.DEFECT_KINDS.filter((k) => k !== 'superseded_embedding'))
        strict_1.default.deepEqual(found[kind], [], kind);
    strict_1.default.ok(found.superseded_embedding.length > 0);
    strict_1.default.deepEqual(found.superseded_embedding, s.defects.superseded_embedding);
    const parentJoin = `from chunks_legacy c join chunks_legacy p on p.id = c.parent_chunk_id`;
    strict_1.default.equal(await one(p, `select count(*)::int ${parentJoin} where p.text_id <> c.text_id`), 0);
    strict_1.default.ok((await one(p, `select count(*)::int ${parentJoin} where c.id::text < p.id::text`)) > N / 4);
    const depth = await one(p, `with recursive d(id, depth) as (
      select id, 0 from chunks_legacy where parent_chunk_id is null
      union all select c.id, d.depth + 1 from chunks_legacy c join d on c.parent_chunk_id = d.id)
    select max(depth) from d`);
    strict_1.default.ok(depth > 15, `max depth ${depth}`);
    const slotsPer = await p.query(`select n, count(*)::int as templates from (select t.id, count(s.id)::int as n
      from templates_legacy t left join template_slots_legacy s on s.template_id = t.id group by t.id) x group by n order by n`);
    strict_1.default.deepEqual(slotsPer.rows.map((r) => r.n), [0, 1, 2, 3, 4]);
    const instPer = await p.query(`select distinct n from (select s.id, count(i.id)::int as n
      from template_slots_legacy s left join template_slot_instances_legacy i on i.slot_id = s.id group by s.id) x order by n`);
    strict_1.default.deepEqual(instPer.rows.map((r) => r.n), [0, 1, 2, 3]);
    strict_1.default.ok((await one(p, `select count(*)::int from (select slot_id from template_slot_instances_legacy
      group by slot_id, updated_at having count(*) > 1) x`)) > 0, 'instance ties on updated_at');
    const tags = (await p.query(`select distinct tag_content as t from chunk_tags_legacy`)).rows.map((r) => r.t);
    for (const t of ['Tag', 'tag', ' tag', 'tag ', "O'Brien", '"quoted"', '$$', 'back\\slash', '🚀'])
        strict_1.default.ok(tags.includes(t), t);
    strict_1.default.ok((await one(p, `select count(*)::int from (select chunk_id from chunk_tags_legacy
      group by chunk_id, tag_content having count(*) > 1) x`)) > 0, 'duplicate tag rows');
    strict_1.default.ok((await one(p, `select count(*)::int from (select c.text_id from chunk_tags_legacy g join chunks_legacy c on c.id = g.chunk_id
      group by c.text_id, g.tag_content having count(distinct c.id) > 1) x`)) > 0, 'one tag on several chunks of a text');
    strict_1.default.ok((await one(p, `select count(*)::int from embeddings_legacy where model_name is null`)) > 0);
    strict_1.default.ok((await one(p, `select count(*)::int from (select 1 from embeddings_legacy group by chunk_id, model_name, created_at
      having count(*) > 1) x`)) > 0, 'duplicate embeddings with equal created_at');
    strict_1.default.ok((await one(p, `select count(*)::int from (select 1 from embeddings_legacy group by chunk_id, model_name
      having count(distinct created_at) > 1) x`)) > 0, 'duplicate embeddings with different created_at');
    strict_1.default.equal(await one(p, `select count(*)::int from embeddings_legacy where vector_dims(vector) <> ${DIM}`), 0);
    strict_1.default.equal(await one(p, `select format_type(atttypid, atttypmod) from pg_attribute
      where attrelid = 'embeddings_legacy'::regclass and attname = 'vector'`), `vector(${DIM})`);
    strict_1.default.ok((await one(p, `select count(*)::int from chunks_legacy where extract(microseconds from created_at)::int % 1000 <> 0`)) > N / 2);
    strict_1.default.ok(s.graph && s.graph.vertices > 0 && s.graph.edges > 0);
    strict_1.default.equal(await cypherCount(p, 'knowledge_graph', 'match (v:Entity) return count(v)'), s.graph.vertices);
    strict_1.default.equal(await cypherCount(p, 'knowledge_graph', 'match (:Entity)-[r:RELATES]->(:Entity) return count(r)'), s.graph.edges);
    strict_1.default.equal(await one(p, `select count(*)::int from knowledge_graph."Entity" v
      where not exists (select 1 from chunks_legacy c where c.id::text = ag_catalog.agtype_out(v.properties)::text::jsonb ->> 'id')`), 0);
});
(0, node_test_1.test)('--defects: every defect kind of the contract, matching the summary, plus cascades', async () => {
    await strict_1.default.rejects((0, generate_1.generateFixtures)(db.pool, { chunks: N, dim: DIM }), /already holds rows; rerun with --reset/);
    const s = await (0, generate_1.generateFixtures)(db.pool, { chunks: N, dim: DIM, seed: 3, defects: true, reset: true });
    const found = await (0, check_1.detectDefects)(db.pool);
    for (const kind of steps_1.DEFECT_KINDS) {
        strict_1.default.ok(found[kind].length > 0, `${kind} present`);
        strict_1.default.deepEqual(found[kind], [...s.defects[kind]].sort(), kind);
    }
    strict_1.default.ok(s.cascades.length >= 10);
    for (const table of ['chunks_legacy', 'template_slots_legacy', 'template_slot_instances_legacy', 'chunk_tags_legacy', 'embeddings_legacy']) {
        strict_1.default.ok(s.cascades.some((c) => c.table === table), `cascade in ${table}`);
    }
    // dangling edges stay in the label table but cypher patterns skip them
    strict_1.default.equal(await cypherCount(db.pool, 'knowledge_graph', 'match (:Entity)-[r:RELATES]->(:Entity) return count(r)'), s.graph.edges);
});
(0, node_test_1.test)('same seed, same bytes; another seed, other bytes; custom names and no graph', async () => {
    const digest = async (seed) => {
        await (0, generate_1.generateFixtures)(db.pool, { chunks: 2000, dim: 8, seed, defects: true, reset: true, graphName: 'kg_det' });
        return (0, check_1.tableDigests)(db.pool, undefined, 'kg_det');
    };
    const a = await digest(11);
    strict_1.default.deepEqual(await digest(11), a);
    const c = await digest(12);
    for (const name of Object.keys(a))
        strict_1.default.notEqual(c[name], a[name], name);
    const tables = { chunks: 'my_chunks', tags: 'my_tags' };
    const s = await (0, generate_1.generateFixtures)(db.pool, { chunks: 500, dim: 4, graph: false, defects: true, tables, reset: true });
    strict_1.default.equal(s.graph, null);
    strict_1.default.match(s.notes.join(), /graph skipped/);
    strict_1.default.equal(await one(db.pool, `select count(*)::int from my_chunks`), s.counts.chunks);
    strict_1.default.equal(s.defects.orphan_graph_edge.length, 0);
});
(0, node_test_1.test)('without the age extension the graph is skipped with a note', async () => {
    const noAge = await (0, pg_1.createTestDatabase)('fixtures_noage', { extensions: ['vector'] });
    try {
        const s = await (0, generate_1.generateFixtures)(noAge.pool, { chunks: 300, dim: 4, defects: true });
        strict_1.default.equal(s.graph, null);
        strict_1.default.match(s.notes.join('\n'), /age extension is not installed/);
        strict_1.default.ok(s.counts.chunks > 300);
    }
    finally {
        await noAge.drop();
    }
});
(0, node_test_1.test)('cli: a bad flag is one line naming it, exit code 2', () => {
    const cli = node_path_1.default.resolve(__dirname, '../../fixtures/cli.js');
    for (const [args, flag] of [[['--chunks', 'ten'], '--chunks'], [['--chunks', '5', '--bogus'], '--bogus'], [['--dim'], '--dim']]) {
        const r = (0, node_child_process_1.spawnSync)(process.execPath, [cli, '--database-url', db.url, ...args], { encoding: 'utf8' });
        strict_1.default.equal(r.status, 2, r.stderr);
        strict_1.default.equal(r.stderr.trim().split('\n').length, 1);
        strict_1.default.ok(r.stderr.startsWith(`fixtures: ${flag}:`), r.stderr);
    }
});
//# sourceMappingURL=fixtures.test.js.map