"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const schema_1 = require("../../activities/schema");
const plan_1 = require("../../common/plan");
const schema_2 = require("../../fixtures/schema");
const pg_1 = require("../helpers/pg");
let db;
let acts;
function planOf(input = {}) {
    const r = (0, plan_1.parsePlan)(input);
    if (!r.ok)
        throw new Error(r.errors.join('\n'));
    return r.plan;
}
async function createLegacy(plan, dim) {
    const client = await db.pool.connect();
    try {
        await client.query('begin');
        await client.query(`create schema if not exists "${plan.schema}"`);
        await client.query(`set local search_path = "${plan.schema}", public`);
        for (const ddl of (0, schema_2.legacyDdl)(plan.legacy, dim ?? 3))
            await client.query(ddl);
        if (dim === null)
            await client.query(`alter table "${plan.legacy.embeddings}" alter column vector type vector`);
        await client.query('commit');
    }
    finally {
        client.release();
    }
}
async function q(sql, params = []) {
    return (await db.pool.query(sql, params)).rows;
}
/** Tables, indexes and constraints in a schema, by name. */
async function relations(schema) {
    const rel = await q(`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 order by 1`, [schema]);
    const con = await q(`select conname as name from pg_constraint con join pg_namespace n on n.oid = con.connamespace where n.nspname = $1 order by 1`, [schema]);
    return [...rel.map((r) => r.name), ...con.map((r) => `constraint:${r.name}`)];
}
(0, node_test_1.before)(async () => {
    db = await (0, pg_1.createTestDatabase)('schema', { extensions: ['vector'] });
    acts = (0, schema_1.createSchemaActivities)({ pools: { get: () => db.pool } });
    await createLegacy(planOf(), 3);
});
(0, node_test_1.after)(async () => db?.drop());
// One active run at a time (the lease): close the previous test's runs.
(0, node_test_1.beforeEach)(async () => {
    await q(`update stp_migration.runs set status = 'completed' where status = 'running'`).catch(() => undefined);
});
(0, node_test_1.test)('createTargetSchema makes both tables without FKs or secondary indexes, with the legacy dimension', async () => {
    const plan = planOf();
    const before = await relations('public');
    const res = await acts.createTargetSchema({ runId: 'run-create', plan });
    strict_1.default.deepEqual(res.created, ['chunks_unified', 'embeddings_v2']);
    const type = await q(`select format_type(atttypid, atttypmod) as t from pg_attribute where attrelid = 'embeddings_v2'::regclass and attname = 'vector'`);
    strict_1.default.equal(type[0].t, 'vector(3)');
    const cons = await q(`select conname, contype from pg_constraint where conrelid in ('chunks_unified'::regclass, 'embeddings_v2'::regclass) order by 1`);
    strict_1.default.deepEqual(cons.map((c) => c.contype).sort(), ['p', 'p', 'u']);
    const idx = await q(`select count(*)::int as n from pg_index where indrelid = 'chunks_unified'::regclass`);
    strict_1.default.equal(idx[0].n, 1, 'only the primary key');
    // retry of the same run: accepted, nothing new
    await acts.createTargetSchema({ runId: 'run-create', plan });
    const objs = await q(`select created_objects as o from stp_migration.runs where run_id = 'run-create'`);
    strict_1.default.deepEqual(objs[0].o, [
        { kind: 'table', name: 'public.chunks_unified' },
        { kind: 'table', name: 'public.embeddings_v2' },
    ]);
    // another run finds tables it did not create
    await q(`update stp_migration.runs set status = 'completed'`);
    await strict_1.default.rejects(acts.createTargetSchema({ runId: 'run-other', plan }), { name: 'PreconditionError' });
    await acts.dropTargetSchema({ runId: 'run-other', plan }); // created nothing: drops nothing
    strict_1.default.ok((await relations('public')).includes('chunks_unified'));
    await acts.dropTargetSchema({ runId: 'run-create', plan });
    await acts.dropTargetSchema({ runId: 'run-create', plan }); // idempotent
    strict_1.default.deepEqual(await relations('public'), before, 'no trace left, legacy tables intact');
});
(0, node_test_1.test)('a table that exists before the run is refused and never dropped', async () => {
    const plan = planOf();
    await q(`create table chunks_unified (id uuid primary key)`);
    try {
        await strict_1.default.rejects(acts.createTargetSchema({ runId: 'run-pre', plan }), /not created by run run-pre/);
        await acts.dropTargetSchema({ runId: 'run-pre', plan });
        strict_1.default.ok((await relations('public')).includes('chunks_unified'));
    }
    finally {
        await q(`drop table chunks_unified`);
    }
});
(0, node_test_1.test)('untyped legacy vector, other schema and table names', async () => {
    const plan = planOf({ schema: 'other', target: { chunks: 'cu', embeddings: 'ev' }, legacy: { chunks: 'old_chunks' } });
    await createLegacy(plan, null);
    const before = await relations('other');
    await acts.createTargetSchema({ runId: 'run-other-schema', plan });
    const type = await q(`select format_type(atttypid, atttypmod) as t from pg_attribute where attrelid = 'other.ev'::regclass and attname = 'vector'`);
    strict_1.default.equal(type[0].t, 'vector');
    const fin = await acts.finishTargetSchema({ runId: 'run-other-schema', plan });
    strict_1.default.deepEqual(fin.indexes, ['idx_cu_text_id', 'idx_cu_parent_id', 'idx_cu_template_id', 'idx_cu_is_template', 'idx_cu_metadata']);
    await acts.dropTargetSchema({ runId: 'run-other-schema', plan });
    strict_1.default.deepEqual(await relations('other'), before);
});
(0, node_test_1.test)('finishTargetSchema: indexes, FKs NOT VALID then validated; INVALID index rebuilt; idempotent', async () => {
    const plan = planOf();
    const runId = 'run-finish';
    await acts.createTargetSchema({ runId, plan });
    const text = '10000000-0000-0000-0000-000000000001';
    await q(`insert into texts (id, title) values ($1, 't')`, [text]);
    // child sorts before its parent; a template and its slot
    await q(`insert into chunks_unified (id, text_id, content, parent_chunk_id, template_chunk_id, is_template) values
       ('a0000000-0000-0000-0000-000000000001', $1, 'child', 'b0000000-0000-0000-0000-000000000001', null, false),
       ('b0000000-0000-0000-0000-000000000001', $1, 'parent', null, null, false),
       ('c0000000-0000-0000-0000-000000000001', $1, 'tpl', null, null, true),
       ('c0000000-0000-0000-0000-000000000002', $1, 'slot', 'c0000000-0000-0000-0000-000000000001', 'c0000000-0000-0000-0000-000000000001', false)`, [text]);
    // a crashed concurrent build leaves an INVALID index under the runbook's name
    await strict_1.default.rejects(q(`create unique index concurrently idx_chunks_unified_text_id on chunks_unified (text_id)`));
    const inv = await q(`select indisvalid as valid from pg_index where indexrelid = 'idx_chunks_unified_text_id'::regclass`);
    strict_1.default.equal(inv[0].valid, false);
    // an FK left NOT VALID by a crash between add and validate, plus an orphan that makes validation fail
    await q(`insert into embeddings_v2 (chunk_id, vector, model_name) values ('dddddddd-0000-0000-0000-000000000000', '[1,2,3]', 'm')`);
    await q(`alter table embeddings_v2 add constraint embeddings_v2_chunk_id_fkey foreign key (chunk_id) references chunks_unified (id) on delete cascade not valid`);
    await strict_1.default.rejects(acts.finishTargetSchema({ runId, plan }), /violates foreign key/);
    const notValid = await q(`select conname, convalidated from pg_constraint where contype = 'f' and conrelid in ('chunks_unified'::regclass, 'embeddings_v2'::regclass) order by 1`);
    strict_1.default.ok(notValid.every((c) => c.convalidated === (c.conname !== 'embeddings_v2_chunk_id_fkey')));
    await q(`delete from embeddings_v2`);
    const res = await acts.finishTargetSchema({ runId, plan });
    strict_1.default.deepEqual(res.constraints, [
        'chunks_unified_text_id_fkey',
        'chunks_unified_parent_chunk_id_fkey',
        'chunks_unified_template_chunk_id_fkey',
        'embeddings_v2_chunk_id_fkey',
    ]);
    const idx = await q(`select c.relname as name, i.indisvalid as valid, i.indisunique as uniq
       from pg_index i join pg_class c on c.oid = i.indexrelid where i.indrelid = 'chunks_unified'::regclass order by 1`);
    strict_1.default.deepEqual(idx, [
        { name: 'chunks_unified_pkey', valid: true, uniq: true },
        { name: 'idx_chunks_unified_is_template', valid: true, uniq: false },
        { name: 'idx_chunks_unified_metadata', valid: true, uniq: false },
        { name: 'idx_chunks_unified_parent_id', valid: true, uniq: false },
        { name: 'idx_chunks_unified_template_id', valid: true, uniq: false },
        { name: 'idx_chunks_unified_text_id', valid: true, uniq: false },
    ]);
    const fks = await q(`select conname, convalidated, confdeltype from pg_constraint where contype = 'f' order by 1`);
    strict_1.default.deepEqual(fks, [
        { conname: 'chunks_unified_parent_chunk_id_fkey', convalidated: true, confdeltype: 'c' },
        { conname: 'chunks_unified_template_chunk_id_fkey', convalidated: true, confdeltype: 'n' },
        { conname: 'chunks_unified_text_id_fkey', convalidated: true, confdeltype: 'c' },
        { conname: 'embeddings_v2_chunk_id_fkey', convalidated: true, confdeltype: 'c' },
    ]);
    const oids = await q(`select oid from pg_class where relname like 'idx_chunks_unified%' order by relname`);
    await acts.finishTargetSchema({ runId, plan });
    strict_1.default.deepEqual(await q(`select oid from pg_class where relname like 'idx_chunks_unified%' order by relname`), oids, 'nothing rebuilt');
    await acts.dropTargetSchema({ runId, plan });
    strict_1.default.equal((await q(`select 1 from pg_class where relname like '%chunks_unified%' or relname like '%embeddings_v2%'`)).length, 0);
    strict_1.default.equal((await q(`select 1 from pg_constraint where contype = 'f'`)).length, 0);
    strict_1.default.equal((await q(`select 1 from texts`)).length, 1, 'legacy data untouched');
    await q(`delete from texts`);
});
//# sourceMappingURL=schema.test.js.map