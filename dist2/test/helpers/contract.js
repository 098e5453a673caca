"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.checkContract = checkContract;
/**
 * An independent computation of MIGRATION-CONTRACT.md rules 1-7 on the default table names, written
 * from the contract and not from the product's SQL, compared as row sets (EXCEPT both ways):
 *
 * - Which legacy rows migrate (section 4, policy quarantine), as reachability: a chunk migrates when
 *   it is reachable from a root (parent NULL) through chunks that all have their text and an id no
 *   other table uses; that one definition covers orphan parents, cycles, orphan texts, collisions
 *   and every cascade below them. Templates: own id, text exists. Slots: own id, template migrates.
 *   Instances and tags follow their slot and chunk; embeddings need a migrated chunk, template or
 *   slot, and rule 6 keeps the latest per (chunk, model).
 * - Tag chunks are compared without `id` (the contract fixes only that it is deterministic) and
 *   `updated_at` (not fixed by the contract); slot_instances[].updated_at as a timestamp.
 * - Every legacy row not migrated must be in stp_migration.quarantine as to_jsonb(row).
 */
const SETS = `
with recursive
coll as (select id from (select id from chunks_legacy union all select id from templates_legacy
                         union all select id from template_slots_legacy) a group by id having count(*) > 1),
ok_chunk_row as (select c.* from chunks_legacy c
                  where exists (select 1 from texts t where t.id = c.text_id) and c.id not in (select id from coll)),
good_chunks as (select r.* from ok_chunk_row r where r.parent_chunk_id is null
                union select r.* from ok_chunk_row r join good_chunks g on r.parent_chunk_id = g.id),
good_templates as (select t.* from templates_legacy t
                    where exists (select 1 from texts x where x.id = t.text_id) and t.id not in (select id from coll)),
good_slots as (select s.* from template_slots_legacy s
                where s.template_id in (select id from good_templates) and s.id not in (select id from coll)),
good_instances as (select i.* from template_slot_instances_legacy i where i.slot_id in (select id from good_slots)),
good_tags as (select g.* from chunk_tags_legacy g where g.chunk_id in (select id from good_chunks)),
emb_candidates as (select e.*, coalesce(e.model_name, 'text-embedding-ada-002') as model
                     from embeddings_legacy e
                    where e.chunk_id in (select id from good_chunks union select id from good_templates union select id from good_slots)),
good_embeddings as (select distinct on (chunk_id, model) * from emb_candidates order by chunk_id, model, created_at desc, id desc),
chunk_tags as (select chunk_id, jsonb_agg(tag order by tag collate "C") as tags
                 from (select distinct chunk_id, tag_content as tag from good_tags) d group by chunk_id),
slot_latest as (select distinct on (slot_id) slot_id, slot_value from good_instances order by slot_id, updated_at desc, id desc),
slot_list as (select slot_id, jsonb_agg(jsonb_build_object('id', id, 'slot_value', slot_value, 'updated_at', updated_at) order by updated_at, id) as list
                from good_instances group by slot_id having count(*) >= 2)`;
const EXPECTED_ROWS = `
expected as (
  select c.id, c.text_id, c.content, false as is_template, false as is_slot, c.parent_chunk_id, null::uuid as template_chunk_id,
         null::text as slot_value, c.indent_level, c.sequence_number,
         case when t.tags is null then '{}'::jsonb else jsonb_build_object('tags', t.tags) end as metadata, c.created_at, c.updated_at
    from good_chunks c left join chunk_tags t on t.chunk_id = c.id
  union all
  select id, text_id, content, true, false, null, null, null, 0, 0, '{}'::jsonb, created_at, updated_at from good_templates
  union all
  select s.id, t.text_id, s.slot_name, false, true, s.template_id, s.template_id, coalesce(l.slot_value, ''), 1, s.slot_order,
         case when sl.list is null then '{}'::jsonb else jsonb_build_object('slot_instances', sl.list) end, s.created_at, s.updated_at
    from good_slots s join good_templates t on t.id = s.template_id
    left join slot_latest l on l.slot_id = s.id left join slot_list sl on sl.slot_id = s.id),
expected_tags as (
  select d.text_id, d.tag_content as content, false as is_template, false as is_slot, null::uuid as parent_chunk_id,
         null::uuid as template_chunk_id, null::text as slot_value, 0 as indent_level, 0 as sequence_number,
         jsonb_build_object('type', 'tag', 'original_chunk_ids', jsonb_agg(d.chunk_id::text order by d.chunk_id::text collate "C")) as metadata,
         min(d.created_at) as created_at
    from (select c.text_id, g.tag_content, g.chunk_id, min(g.created_at) as created_at
            from good_tags g join good_chunks c on c.id = g.chunk_id group by 1, 2, 3) d
   group by d.text_id, d.tag_content),
actual as (
  select id, text_id, content, is_template, is_slot, parent_chunk_id, template_chunk_id, slot_value, indent_level, sequence_number,
         case when metadata ? 'slot_instances' then jsonb_set(metadata, '{slot_instances}',
           (select jsonb_agg(jsonb_build_object('id', (e->>'id')::uuid, 'slot_value', e->'slot_value', 'updated_at', (e->>'updated_at')::timestamptz) order by n)
              from jsonb_array_elements(metadata->'slot_instances') with ordinality as a(e, n)))
         else metadata end as metadata, created_at, updated_at
    from chunks_unified where coalesce(metadata->>'type', '') <> 'tag'),
actual_tags as (
  select text_id, content, is_template, is_slot, parent_chunk_id, template_chunk_id, slot_value, indent_level, sequence_number, metadata, created_at
    from chunks_unified where metadata->>'type' = 'tag')`;
/** One comparison: rows in `a` not in `b` and back, counted, with a sample of each. */
async function diff(client, label, ctes, a, b) {
    const sql = `${ctes},
    diff_missing as (select * from ${a} except select * from ${b}),
    diff_extra as (select * from ${b} except select * from ${a})
    select (select count(*) from diff_missing)::int as missing, (select count(*) from diff_extra)::int as extra,
           (select x::text from diff_missing x limit 1) as missing_sample, (select y::text from diff_extra y limit 1) as extra_sample`;
    const r = (await client.query(sql)).rows[0];
    const out = [];
    if (r.missing > 0)
        out.push(`${label}: ${r.missing} row(s) expected but not in the target, e.g. ${r.missing_sample?.slice(0, 300)}`);
    if (r.extra > 0)
        out.push(`${label}: ${r.extra} row(s) in the target but not expected, e.g. ${r.extra_sample?.slice(0, 300)}`);
    return out;
}
/** Problems found (empty: the target equals the contract). Read-only. */
async function checkContract(pool, runId, graphs = { legacy: 'knowledge_graph', target: 'knowledge_graph_v2' }) {
    const client = await pool.connect();
    try {
        await client.query(`set statement_timeout = '120s'; set timezone = 'UTC'`);
        const problems = [];
        const chunkCtes = `${SETS},${EXPECTED_ROWS}`;
        problems.push(...(await diff(client, 'rules 1-3,5 (chunks_unified)', chunkCtes, 'expected', 'actual')));
        problems.push(...(await diff(client, 'rule 4 (tag chunks)', chunkCtes, 'expected_tags', 'actual_tags')));
        const dup = await client.query(`select count(*) - count(distinct (text_id, content)) as n from chunks_unified where metadata->>'type' = 'tag'`);
        if (Number(dup.rows[0].n) !== 0)
            problems.push(`rule 4: ${dup.rows[0].n} duplicate tag chunk(s) for one (text_id, tag)`);
        const embCtes = `${SETS},
      expected_e as (select chunk_id, model as model_name, vector::text as vector, created_at from good_embeddings),
      actual_e as (select chunk_id, model_name, vector::text as vector, created_at from embeddings_v2)`;
        problems.push(...(await diff(client, 'rule 6 (embeddings_v2)', embCtes, 'expected_e', 'actual_e')));
        const edup = await client.query(`select count(*) - count(distinct (chunk_id, model_name)) as n from embeddings_v2`);
        if (Number(edup.rows[0].n) !== 0)
            problems.push(`rule 6: ${edup.rows[0].n} duplicate (chunk, model) row(s)`);
        // Every legacy row not migrated is quarantined by this run, as a complete copy of the row.
        const qCtes = `${SETS},
      not_migrated as (
        select 'chunks_legacy' as t, to_jsonb(x) as r from chunks_legacy x where x.id not in (select id from good_chunks)
        union all select 'templates_legacy', to_jsonb(x) from templates_legacy x where x.id not in (select id from good_templates)
        union all select 'template_slots_legacy', to_jsonb(x) from template_slots_legacy x where x.id not in (select id from good_slots)
        union all select 'template_slot_instances_legacy', to_jsonb(x) from template_slot_instances_legacy x where x.id not in (select id from good_instances)
        union all select 'chunk_tags_legacy', to_jsonb(x) from chunk_tags_legacy x where not exists (select 1 from good_tags g where g.chunk_id = x.chunk_id and g.tag_content = x.tag_content)
        union all select 'embeddings_legacy', to_jsonb(x) from embeddings_legacy x where x.id not in (select id from good_embeddings)),
      quarantined as (select distinct source_table as t, "row" as r from stp_migration.quarantine
                       where run_id = '${runId.replace(/'/g, "''")}' and source_table not like '%.%')`;
        problems.push(...(await diff(client, 'section 4 (quarantine)', qCtes, 'not_migrated', 'quarantined')));
        if (!graphs)
            return problems;
        // Rule 7: every vertex (label, properties) and every edge whose endpoints exist (label, start and
        // end vertex properties, edge properties) in the target graph, as multisets.
        await client.query(`load 'age'; set search_path = ag_catalog, "$user", public`);
        const g = (name) => `
      ${name}_v as (select c.relname::text as label, ag_catalog.agtype_out(v.properties)::text as p from "${name}"._ag_label_vertex v join pg_class c on c.oid = v.tableoid),
      ${name}_e as (select c.relname::text as label, ag_catalog.agtype_out(s.properties)::text as s, ag_catalog.agtype_out(t.properties)::text as t, ag_catalog.agtype_out(e.properties)::text as p
                      from "${name}"._ag_label_edge e join pg_class c on c.oid = e.tableoid
                      join "${name}"._ag_label_vertex s on s.id = e.start_id join "${name}"._ag_label_vertex t on t.id = e.end_id)`;
        const gCtes = `with ${g(graphs.legacy)}, ${g(graphs.target)}`;
        problems.push(...(await diff(client, 'rule 7 (graph vertices)', gCtes, `${graphs.legacy}_v`, `${graphs.target}_v`)));
        problems.push(...(await diff(client, 'rule 7 (graph edges)', gCtes, `${graphs.legacy}_e`, `${graphs.target}_e`)));
        const counts = await client.query(`${gCtes} select (select count(*) from ${graphs.legacy}_v) || '/' || (select count(*) from ${graphs.legacy}_e) as a,
        (select count(*) from ${graphs.target}_v) || '/' || (select count(*) from ${graphs.target}_e) as b`);
        if (counts.rows[0].a !== counts.rows[0].b)
            problems.push(`rule 7: vertices/edges legacy ${counts.rows[0].a}, target ${counts.rows[0].b} (duplicates?)`);
        return problems;
    }
    finally {
        client.release();
    }
}
//# sourceMappingURL=contract.js.map