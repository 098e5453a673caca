"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.u = void 0;
exports.legacyDdl = legacyDdl;
exports.insertClean = insertClean;
exports.insertDefects = insertDefects;
exports.insertGraph = insertGraph;
/**
 * A small hand-made legacy database (contract section 1) with every defect kind and cascade, for
 * the exact tests of preflight and quarantine. `u(n)` makes a readable uuid; the comments name
 * what each row is meant to be.
 */
const u = (n) => `00000000-0000-0000-0000-${n.toString(16).padStart(12, '0')}`;
exports.u = u;
function legacyDdl(schema, vectorType = 'vector(3)') {
    return `
  create schema if not exists ${schema};
  create table ${schema}.texts (id uuid primary key, title text, content text,
    created_at timestamptz default now(), updated_at timestamptz default now());
  create table ${schema}.chunks_legacy (id uuid primary key, text_id uuid not null, content text not null,
    parent_chunk_id uuid, indent_level integer default 0, sequence_number integer,
    created_at timestamptz default now(), updated_at timestamptz default now());
  create table ${schema}.templates_legacy (id uuid primary key, text_id uuid not null, content text not null,
    created_at timestamptz default now(), updated_at timestamptz default now());
  create table ${schema}.template_slots_legacy (id uuid primary key, template_id uuid not null, slot_name text not null,
    slot_order integer, created_at timestamptz default now(), updated_at timestamptz default now());
  create table ${schema}.template_slot_instances_legacy (id uuid primary key, slot_id uuid not null, slot_value text,
    created_at timestamptz default now(), updated_at timestamptz default now());
  create table ${schema}.chunk_tags_legacy (chunk_id uuid not null, tag_content text not null, created_at timestamptz default now());
  create table ${schema}.embeddings_legacy (id uuid primary key, chunk_id uuid not null, vector ${vectorType},
    model_name text, created_at timestamptz default now());`;
}
/** Clean rows only: a text, a small hierarchy, a template with a slot and an instance, tags, embeddings. */
async function insertClean(db, s) {
    await db.query(`
  insert into ${s}.texts (id, title) values ('${(0, exports.u)(1)}', 'one'), ('${(0, exports.u)(2)}', 'two');
  insert into ${s}.chunks_legacy (id, text_id, content, parent_chunk_id) values
    ('${(0, exports.u)(0x10)}', '${(0, exports.u)(1)}', 'root', null), ('${(0, exports.u)(0x11)}', '${(0, exports.u)(1)}', 'child', '${(0, exports.u)(0x10)}'),
    ('${(0, exports.u)(0x12)}', '${(0, exports.u)(1)}', 'grandchild', '${(0, exports.u)(0x11)}'), ('${(0, exports.u)(0x80)}', '${(0, exports.u)(2)}', 'tagged', null);
  insert into ${s}.templates_legacy (id, text_id, content) values ('${(0, exports.u)(0x100)}', '${(0, exports.u)(1)}', 'template');
  insert into ${s}.template_slots_legacy (id, template_id, slot_name, slot_order) values ('${(0, exports.u)(0x110)}', '${(0, exports.u)(0x100)}', 'name', 1);
  insert into ${s}.template_slot_instances_legacy (id, slot_id, slot_value) values ('${(0, exports.u)(0x111)}', '${(0, exports.u)(0x110)}', 'v');
  insert into ${s}.chunk_tags_legacy (chunk_id, tag_content) values ('${(0, exports.u)(0x80)}', 'alpha'), ('${(0, exports.u)(0x80)}', 'Beta ');
  insert into ${s}.embeddings_legacy (id, chunk_id, vector, model_name, created_at) values
    ('${(0, exports.u)(0x501)}', '${(0, exports.u)(0x80)}', '[1,2,3]', 'm1', '2024-01-02'),
    ('${(0, exports.u)(0x503)}', '${(0, exports.u)(0x80)}', '[1,2,3]', 'text-embedding-ada-002', '2024-01-01'),
    ('${(0, exports.u)(0x505)}', '${(0, exports.u)(0x100)}', '[1,2,3]', null, '2024-01-01'),
    ('${(0, exports.u)(0x512)}', '${(0, exports.u)(0x12)}', '[1,2,3]', 'm1', '2024-01-01');`);
}
/** Every defect kind of contract section 4 and every cascade, on top of insertClean. */
async function insertDefects(db, s) {
    await db.query(`
  insert into ${s}.chunks_legacy (id, text_id, content, parent_chunk_id) values
    ('${(0, exports.u)(0x20)}', '${(0, exports.u)(0x999)}', 'orphan text', null),
    ('${(0, exports.u)(0x21)}', '${(0, exports.u)(1)}', 'under orphan text', '${(0, exports.u)(0x20)}'),
    ('${(0, exports.u)(0x22)}', '${(0, exports.u)(1)}', 'deeper under orphan text', '${(0, exports.u)(0x21)}'),
    ('${(0, exports.u)(0x30)}', '${(0, exports.u)(1)}', 'orphan parent', '${(0, exports.u)(0x998)}'),
    ('${(0, exports.u)(0x31)}', '${(0, exports.u)(1)}', 'under orphan parent', '${(0, exports.u)(0x30)}'),
    ('${(0, exports.u)(0x40)}', '${(0, exports.u)(1)}', 'cycle a', '${(0, exports.u)(0x41)}'),
    ('${(0, exports.u)(0x41)}', '${(0, exports.u)(1)}', 'cycle b', '${(0, exports.u)(0x42)}'),
    ('${(0, exports.u)(0x42)}', '${(0, exports.u)(1)}', 'cycle c', '${(0, exports.u)(0x40)}'),
    ('${(0, exports.u)(0x43)}', '${(0, exports.u)(1)}', 'tail below the cycle', '${(0, exports.u)(0x40)}'),
    ('${(0, exports.u)(0x44)}', '${(0, exports.u)(1)}', 'tail below the tail', '${(0, exports.u)(0x43)}'),
    ('${(0, exports.u)(0x50)}', '${(0, exports.u)(1)}', 'own parent', '${(0, exports.u)(0x50)}'),
    ('${(0, exports.u)(0x60)}', '${(0, exports.u)(1)}', 'id shared with a template', null),
    ('${(0, exports.u)(0x61)}', '${(0, exports.u)(1)}', 'id shared with a slot', null),
    ('${(0, exports.u)(0x70)}', '${(0, exports.u)(0x996)}', 'orphan text and orphan parent', '${(0, exports.u)(0x997)}');
  insert into ${s}.templates_legacy (id, text_id, content) values
    ('${(0, exports.u)(0x200)}', '${(0, exports.u)(0x995)}', 'orphan text template'), ('${(0, exports.u)(0x60)}', '${(0, exports.u)(1)}', 'id shared with a chunk');
  insert into ${s}.template_slots_legacy (id, template_id, slot_name, slot_order) values
    ('${(0, exports.u)(0x210)}', '${(0, exports.u)(0x200)}', 'slot of orphan template', 1),
    ('${(0, exports.u)(0x610)}', '${(0, exports.u)(0x60)}', 'slot of colliding template', 1),
    ('${(0, exports.u)(0x300)}', '${(0, exports.u)(0x994)}', 'orphan slot', 1),
    ('${(0, exports.u)(0x61)}', '${(0, exports.u)(0x100)}', 'id shared with a chunk', 2);
  insert into ${s}.template_slot_instances_legacy (id, slot_id, slot_value) values
    ('${(0, exports.u)(0x211)}', '${(0, exports.u)(0x210)}', 'under cascade slot'), ('${(0, exports.u)(0x301)}', '${(0, exports.u)(0x300)}', 'under orphan slot'),
    ('${(0, exports.u)(0x612)}', '${(0, exports.u)(0x61)}', 'under colliding slot'), ('${(0, exports.u)(0x400)}', '${(0, exports.u)(0x993)}', 'orphan instance');
  insert into ${s}.chunk_tags_legacy (chunk_id, tag_content) values
    ('${(0, exports.u)(0x992)}', 'gamma'), ('${(0, exports.u)(0x20)}', 'delta'), ('${(0, exports.u)(0x21)}', 'eps');
  insert into ${s}.embeddings_legacy (id, chunk_id, vector, model_name, created_at) values
    ('${(0, exports.u)(0x500)}', '${(0, exports.u)(0x80)}', '[1,2,3]', 'm1', '2024-01-01'),
    ('${(0, exports.u)(0x502)}', '${(0, exports.u)(0x80)}', '[1,2,3]', null, '2024-01-01'),
    ('${(0, exports.u)(0x504)}', '${(0, exports.u)(0x991)}', '[1,2,3]', 'm1', '2024-01-01'),
    ('${(0, exports.u)(0x506)}', '${(0, exports.u)(0x20)}', '[1,2,3]', 'm1', '2024-01-01'),
    ('${(0, exports.u)(0x507)}', '${(0, exports.u)(0x990)}', '[1,2,3]', 'm1', '2024-01-01'),
    ('${(0, exports.u)(0x508)}', '${(0, exports.u)(0x990)}', '[1,2,3]', 'm1', '2024-01-02'),
    ('${(0, exports.u)(0x509)}', '${(0, exports.u)(0x40)}', '[1,2,3]', 'm1', '2024-01-01'),
    ('${(0, exports.u)(0x510)}', '${(0, exports.u)(0x40)}', '[1,2,3]', 'm1', '2024-01-02'),
    ('${(0, exports.u)(0x511)}', '${(0, exports.u)(0x12)}', '[1,2,3]', 'm1', null);`);
}
/**
 * A legacy AGE graph: three entities a -> b -> c, then c's row deleted with SQL so the edge b -> c
 * dangles. Returns that edge's graphid as text.
 */
async function insertGraph(db, graph, dangling) {
    const c = await db.connect();
    try {
        await c.query(`load 'age'; set search_path = ag_catalog, "$user", public`);
        await c.query(`select create_graph('${graph}')`);
        await c.query(`select * from cypher('${graph}', $$
      create (:Entity {id: 'a', name: 'A'})-[:RELATES {type: 'x'}]->(:Entity {id: 'b', name: 'B'})-[:RELATES {type: 'y'}]->(:Entity {id: 'c', name: 'C'})
      $$) as (r agtype)`);
        await c.query(`reset search_path`);
        if (!dangling)
            return null;
        const { rows } = await c.query(`select e.id::text as id from ${graph}."RELATES" e join ${graph}."Entity" v on v.id operator(ag_catalog.=) e.end_id where ag_catalog.agtype_out(v.properties)::text like '%"C"%'`);
        await c.query(`delete from ${graph}."Entity" where ag_catalog.agtype_out(properties)::text like '%"C"%'`);
        return rows[0].id;
    }
    finally {
        await c.query(`reset search_path`);
        c.release();
    }
}
//# sourceMappingURL=defects-fixture.js.map