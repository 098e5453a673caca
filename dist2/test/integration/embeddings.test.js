"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const db_1 = require("../../activities/db");
const embeddings_1 = require("../../activities/embeddings");
const embeddings_2 = require("../../activities/rules/embeddings");
const schema_1 = require("../../activities/schema");
const plan_1 = require("../../common/plan");
const schema_2 = require("../../fixtures/schema");
const pg_1 = require("../helpers/pg");
let db;
const RUN = 'run-embeddings';
const pools = () => ({ get: () => db.pool });
function planOf(input = {}) {
    const r = (0, plan_1.parsePlan)(input);
    if (!r.ok)
        throw new Error(r.errors.join('\n'));
    return r.plan;
}
async function q(sql, params = []) {
    return (await db.pool.query(sql, params)).rows;
}
/** Runs a rule to the end in batches of `limit`, each batch in its own transaction, like the engine. */
async function runRule(rule, input, limit) {
    const client = await db.pool.connect();
    try {
        let key = null;
        let rows = 0;
        for (;;) {
            const r = await (0, db_1.inTransaction)(client, (tx) => rule.batch(tx, input, key, limit));
            if (r.lastKey === null)
                return rows;
            rows += r.rows;
            key = r.lastKey;
        }
    }
    finally {
        client.release();
    }
}
const C1 = '10000000-0000-0000-0000-000000000001';
const C2 = '10000000-0000-0000-0000-000000000002';
const GONE = '10000000-0000-0000-0000-00000000dead';
const e = (n) => `e0000000-0000-0000-0000-${String(n).padStart(12, '0')}`;
/** A legacy schema of dimension `dim` with hand-made embeddings, and the target tables made by createTargetSchema. */
async function setup(schema, dim) {
    const plan = planOf({ schema });
    await db.pool.query(`create schema "${schema}"`);
    const client = await db.pool.connect();
    try {
        await client.query(`set search_path = "${schema}", public`);
        for (const ddl of (0, schema_2.legacyDdl)(plan.legacy, dim))
            await client.query(ddl);
        await client.query('reset search_path');
    }
    finally {
        client.release();
    }
    const input = { runId: RUN, plan };
    await (0, schema_1.createSchemaActivities)({ pools: pools() }).createTargetSchema(input);
    await q(`insert into "${schema}".chunks_unified (id, content) values ($1, 'one'), ($2, 'two')`, [C1, C2]);
    const vec = (k) => `(select array_agg(${k} + g * 0.001)::real[]::vector from generate_series(1, ${dim}) g)`;
    const rows = [
        [1, C1, null, '2024-01-01 00:00:00.000001+00', 1], // default model, older
        [2, C1, 'text-embedding-ada-002', '2024-01-01 00:00:00.000002+00', 2], // same group, 1 us later: wins
        [3, C1, 'm2', '2024-02-01 00:00:00+00', 3], // tie on created_at with 4 ...
        [4, C1, 'm2', '2024-02-01 00:00:00+00', 4], // ... greatest id wins
        [5, C2, 'm2', null, 5], // NULL created_at counts as oldest
        [6, C2, 'm2', '2023-01-01 00:00:00+00', 6], // wins over 5
        [7, GONE, 'm2', '2024-01-01 00:00:00+00', 7], // orphan: chunk not migrated
        [8, C2, 'm3', '2024-01-01 00:00:00+00', 8], // quarantined below
        [9, C2, null, '2025-01-01 12:34:56.789012+00', 9], // alone in its group
    ];
    for (const [n, chunk, model, at, k] of rows) {
        await q(`insert into "${schema}".embeddings_legacy (id, chunk_id, model_name, created_at, vector) values ($1, $2, $3, $4, ${vec(k)})`, [e(n), chunk, model, at]);
    }
    await q(`insert into stp_migration.quarantine (run_id, source_table, kind, reason, row, row_key) values ($1, 'embeddings_legacy', 'orphan_embedding', 'test', '{}', $2)`, [RUN, e(8)]);
    return input;
}
const target = (schema) => q(`select id::text, chunk_id::text, model_name, created_at::text as at, vector::text as v from "${schema}".embeddings_v2 order by id`);
(0, node_test_1.before)(async () => {
    db = await (0, pg_1.createTestDatabase)('embeddings', { extensions: ['vector'] });
    await db.pool.query(`set client_min_messages = warning`);
});
(0, node_test_1.after)(async () => db?.drop());
(0, node_test_1.test)('rule 6: one row per (chunk, model), latest wins, ties by greatest id, vectors and timestamps exact', async () => {
    const input = await setup('d3', 3);
    strict_1.default.equal(await (0, db_1.withClient)(db.pool, (c) => embeddings_2.embeddingsRule.total(c, input)), 9);
    // Batch size 1 puts rows of one group in different batches; the result must not depend on it.
    await runRule(embeddings_2.embeddingsRule, input, 1);
    const rows = await target('d3');
    strict_1.default.deepEqual(rows.map((r) => [r.id, r.chunk_id, r.model_name]), [
        [e(2), C1, 'text-embedding-ada-002'],
        [e(4), C1, 'm2'],
        [e(6), C2, 'm2'],
        [e(9), C2, 'text-embedding-ada-002'],
    ]);
    const legacy = await q(`select id::text, created_at::text as at, vector::text as v from d3.embeddings_legacy where id = any($1::uuid[]) order by id`, [[e(2), e(4), e(6), e(9)]]);
    strict_1.default.deepEqual(rows.map((r) => [r.id, r.at, r.v]), legacy.map((r) => [r.id, r.at, r.v]));
    // Replays (a crash between commit and checkpoint) and a different batching change nothing.
    await runRule(embeddings_2.embeddingsRule, input, 100);
    await runRule(embeddings_2.embeddingsRule, input, 2);
    strict_1.default.deepEqual(await target('d3'), rows);
});
(0, node_test_1.test)('rule 6 keeps a 1536-dimension vector unchanged', async () => {
    const input = await setup('d1536', 1536);
    await runRule(embeddings_2.embeddingsRule, input, 1000);
    const [{ same, dims }] = await q(`select bool_and(t.vector = l.vector and t.vector::text = l.vector::text) as same, max(vector_dims(t.vector)) as dims
       from d1536.embeddings_v2 t join d1536.embeddings_legacy l on l.id = t.id`);
    strict_1.default.equal(same, true);
    strict_1.default.equal(dims, 1536);
    const [{ typ }] = await q(`select format_type(atttypid, atttypmod) as typ from pg_attribute where attrelid = 'd1536.embeddings_v2'::regclass and attname = 'vector'`);
    strict_1.default.equal(typ, 'vector(1536)');
});
const indexDef = async (schema) => q(`select pg_get_indexdef(i.indexrelid) as def, i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid
      where c.relname = 'embeddings_v2_vector_idx' and c.relnamespace = $1::regnamespace`, [schema]);
(0, node_test_1.test)('ivfflat lists follow pgvector advice: rows/1000 up to 1M, sqrt above, at least 10', () => {
    strict_1.default.equal((0, embeddings_1.ivfflatLists)(0), 10);
    strict_1.default.equal((0, embeddings_1.ivfflatLists)(50_000), 50);
    strict_1.default.equal((0, embeddings_1.ivfflatLists)(1_000_000), 1000);
    strict_1.default.equal((0, embeddings_1.ivfflatLists)(4_000_000), 2000);
    strict_1.default.equal((0, embeddings_1.ivfflatLists)(4_000_000, 7), 7);
});
(0, node_test_1.test)('buildVectorIndex: ivfflat with derived lists, idempotent, INVALID rebuilt, then hnsw and none', async () => {
    const acts = (0, embeddings_1.createEmbeddingsActivities)({ pools: pools() });
    const base = { runId: RUN, plan: planOf({ schema: 'd3' }) };
    strict_1.default.deepEqual(await acts.buildVectorIndex(base), { index: 'embeddings_v2_vector_idx', kind: 'ivfflat', lists: 10 });
    let [idx] = await indexDef('d3');
    strict_1.default.match(idx.def, /USING ivfflat \(vector vector_cosine_ops\) WITH \(lists='10'\)/);
    strict_1.default.equal(idx.valid, true);
    const [{ oid }] = await q(`select 'd3.embeddings_v2_vector_idx'::regclass::oid::text as oid`);
    await acts.buildVectorIndex(base); // valid and of the planned kind: kept as is
    strict_1.default.equal((await q(`select 'd3.embeddings_v2_vector_idx'::regclass::oid::text as oid`))[0].oid, oid);
    const [{ objs }] = await q(`select created_objects as objs from stp_migration.runs where run_id = $1`, [RUN]);
    strict_1.default.ok(objs.some((o) => o.kind === 'index' && o.name === 'd3.embeddings_v2_vector_idx'));
    // What a crashed CREATE INDEX CONCURRENTLY leaves behind.
    await q(`update pg_index set indisvalid = false where indexrelid = 'd3.embeddings_v2_vector_idx'::regclass`);
    await acts.buildVectorIndex(base);
    [idx] = await indexDef('d3');
    strict_1.default.equal(idx.valid, true);
    strict_1.default.notEqual((await q(`select 'd3.embeddings_v2_vector_idx'::regclass::oid::text as oid`))[0].oid, oid);
    const hnsw = { runId: RUN, plan: planOf({ schema: 'd3', embeddings: { index: { kind: 'hnsw', m: 8, efConstruction: 32 } } }) };
    strict_1.default.deepEqual(await acts.buildVectorIndex(hnsw), { index: 'embeddings_v2_vector_idx', kind: 'hnsw' });
    [idx] = await indexDef('d3');
    strict_1.default.match(idx.def, /USING hnsw \(vector vector_cosine_ops\) WITH \(m='8', ef_construction='32'\)/);
    const fixed = { runId: RUN, plan: planOf({ schema: 'd1536', embeddings: { index: { lists: 3 } } }) };
    strict_1.default.equal((await acts.buildVectorIndex(fixed))?.lists, 3);
    strict_1.default.match((await indexDef('d1536'))[0].def, /lists='3'/);
    strict_1.default.equal(await acts.buildVectorIndex({ runId: RUN, plan: planOf({ schema: 'd3', embeddings: { index: { kind: 'none' } } }) }), null);
});
//# sourceMappingURL=embeddings.test.js.map