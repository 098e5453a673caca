import type pg from 'pg';

/**
 * A small hand-made legacy database (contract section 1) with every defect kind and cascade, for
 * the exact tests of preflight and quarantine. `u(n)` makes a readable uuid; the comments name
 * what each row is meant to be.
 */
export const u = (n: number) => `00000000-0000-0000-0000-${n.toString(16).padStart(12, '0')}`;

export function legacyDdl(schema: string, vectorType = 'vector(3)'): string {
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
export async function insertClean(db: pg.Pool, s: string): Promise<void> {
  await db.query(`
  insert into ${s}.texts (id, title) values ('${u(1)}', 'one'), ('${u(2)}', 'two');
  insert into ${s}.chunks_legacy (id, text_id, content, parent_chunk_id) values
    ('${u(0x10)}', '${u(1)}', 'root', null), ('${u(0x11)}', '${u(1)}', 'child', '${u(0x10)}'),
    ('${u(0x12)}', '${u(1)}', 'grandchild', '${u(0x11)}'), ('${u(0x80)}', '${u(2)}', 'tagged', null);
  insert into ${s}.templates_legacy (id, text_id, content) values ('${u(0x100)}', '${u(1)}', 'template');
  insert into ${s}.template_slots_legacy (id, template_id, slot_name, slot_order) values ('${u(0x110)}', '${u(0x100)}', 'name', 1);
  insert into ${s}.template_slot_instances_legacy (id, slot_id, slot_value) values ('${u(0x111)}', '${u(0x110)}', 'v');
  insert into ${s}.chunk_tags_legacy (chunk_id, tag_content) values ('${u(0x80)}', 'alpha'), ('${u(0x80)}', 'Beta ');
  insert into ${s}.embeddings_legacy (id, chunk_id, vector, model_name, created_at) values
    ('${u(0x501)}', '${u(0x80)}', '[1,2,3]', 'm1', '2024-01-02'),
    ('${u(0x503)}', '${u(0x80)}', '[1,2,3]', 'text-embedding-ada-002', '2024-01-01'),
    ('${u(0x505)}', '${u(0x100)}', '[1,2,3]', null, '2024-01-01'),
    ('${u(0x512)}', '${u(0x12)}', '[1,2,3]', 'm1', '2024-01-01');`);
}

/** Every defect kind of contract section 4 and every cascade, on top of insertClean. */
export async function insertDefects(db: pg.Pool, s: string): Promise<void> {
  await db.query(`
  insert into ${s}.chunks_legacy (id, text_id, content, parent_chunk_id) values
    ('${u(0x20)}', '${u(0x999)}', 'orphan text', null),
    ('${u(0x21)}', '${u(1)}', 'under orphan text', '${u(0x20)}'),
    ('${u(0x22)}', '${u(1)}', 'deeper under orphan text', '${u(0x21)}'),
    ('${u(0x30)}', '${u(1)}', 'orphan parent', '${u(0x998)}'),
    ('${u(0x31)}', '${u(1)}', 'under orphan parent', '${u(0x30)}'),
    ('${u(0x40)}', '${u(1)}', 'cycle a', '${u(0x41)}'),
    ('${u(0x41)}', '${u(1)}', 'cycle b', '${u(0x42)}'),
    ('${u(0x42)}', '${u(1)}', 'cycle c', '${u(0x40)}'),
    ('${u(0x43)}', '${u(1)}', 'tail below the cycle', '${u(0x40)}'),
    ('${u(0x44)}', '${u(1)}', 'tail below the tail', '${u(0x43)}'),
    ('${u(0x50)}', '${u(1)}', 'own parent', '${u(0x50)}'),
    ('${u(0x60)}', '${u(1)}', 'id shared with a template', null),
    ('${u(0x61)}', '${u(1)}', 'id shared with a slot', null),
    ('${u(0x70)}', '${u(0x996)}', 'orphan text and orphan parent', '${u(0x997)}');
  insert into ${s}.templates_legacy (id, text_id, content) values
    ('${u(0x200)}', '${u(0x995)}', 'orphan text template'), ('${u(0x60)}', '${u(1)}', 'id shared with a chunk');
  insert into ${s}.template_slots_legacy (id, template_id, slot_name, slot_order) values
    ('${u(0x210)}', '${u(0x200)}', 'slot of orphan template', 1),
    ('${u(0x610)}', '${u(0x60)}', 'slot of colliding template', 1),
    ('${u(0x300)}', '${u(0x994)}', 'orphan slot', 1),
    ('${u(0x61)}', '${u(0x100)}', 'id shared with a chunk', 2);
  insert into ${s}.template_slot_instances_legacy (id, slot_id, slot_value) values
    ('${u(0x211)}', '${u(0x210)}', 'under cascade slot'), ('${u(0x301)}', '${u(0x300)}', 'under orphan slot'),
    ('${u(0x612)}', '${u(0x61)}', 'under colliding slot'), ('${u(0x400)}', '${u(0x993)}', 'orphan instance');
  insert into ${s}.chunk_tags_legacy (chunk_id, tag_content) values
    ('${u(0x992)}', 'gamma'), ('${u(0x20)}', 'delta'), ('${u(0x21)}', 'eps');
  insert into ${s}.embeddings_legacy (id, chunk_id, vector, model_name, created_at) values
    ('${u(0x500)}', '${u(0x80)}', '[1,2,3]', 'm1', '2024-01-01'),
    ('${u(0x502)}', '${u(0x80)}', '[1,2,3]', null, '2024-01-01'),
    ('${u(0x504)}', '${u(0x991)}', '[1,2,3]', 'm1', '2024-01-01'),
    ('${u(0x506)}', '${u(0x20)}', '[1,2,3]', 'm1', '2024-01-01'),
    ('${u(0x507)}', '${u(0x990)}', '[1,2,3]', 'm1', '2024-01-01'),
    ('${u(0x508)}', '${u(0x990)}', '[1,2,3]', 'm1', '2024-01-02'),
    ('${u(0x509)}', '${u(0x40)}', '[1,2,3]', 'm1', '2024-01-01'),
    ('${u(0x510)}', '${u(0x40)}', '[1,2,3]', 'm1', '2024-01-02'),
    ('${u(0x511)}', '${u(0x12)}', '[1,2,3]', 'm1', null);`);
}

/**
 * A legacy AGE graph: three entities a -> b -> c, then c's row deleted with SQL so the edge b -> c
 * dangles. Returns that edge's graphid as text.
 */
export async function insertGraph(db: pg.Pool, graph: string, dangling: boolean): Promise<string | null> {
  const c = await db.connect();
  try {
    await c.query(`load 'age'; set search_path = ag_catalog, "$user", public`);
    await c.query(`select create_graph('${graph}')`);
    await c.query(`select * from cypher('${graph}', $$
      create (:Entity {id: 'a', name: 'A'})-[:RELATES {type: 'x'}]->(:Entity {id: 'b', name: 'B'})-[:RELATES {type: 'y'}]->(:Entity {id: 'c', name: 'C'})
      $$) as (r agtype)`);
    await c.query(`reset search_path`);
    if (!dangling) return null;
    const { rows } = await c.query<{ id: string }>(
      `select e.id::text as id from ${graph}."RELATES" e join ${graph}."Entity" v on v.id operator(ag_catalog.=) e.end_id where ag_catalog.agtype_out(v.properties)::text like '%"C"%'`,
    );
    await c.query(`delete from ${graph}."Entity" where ag_catalog.agtype_out(properties)::text like '%"C"%'`);
    return rows[0].id;
  } finally {
    await c.query(`reset search_path`);
    c.release();
  }
}
