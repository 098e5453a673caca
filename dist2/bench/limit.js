"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.limitTotal = void 0;
exports.runLimit = runLimit;
const embeddings_1 = require("../activities/embeddings");
const db_1 = require("../activities/db");
const ddl_1 = require("../activities/schema/ddl");
async function runLimit(client, plan, dim, log) {
    const q = (t) => (0, db_1.qualified)(plan.schema, t);
    const L = plan.legacy;
    const target = q(plan.target.chunks);
    const emb = q(plan.target.embeddings);
    const times = {};
    const timed = async (label, sql, params = []) => {
        const t = Date.now();
        await client.query(sql, params);
        times[label] = (times[label] ?? 0) + (Date.now() - t);
        log(`    limit ${label}: ${((Date.now() - t) / 1000).toFixed(2)} s`);
    };
    await client.query(`set jit = off; set timezone = 'UTC'`);
    await client.query((0, ddl_1.chunksTableDdl)(plan));
    await client.query((0, ddl_1.embeddingsTableDdl)(plan, await (0, ddl_1.legacyVectorType)(client, plan)));
    const cols = `(id, text_id, content, is_template, is_slot, parent_chunk_id, template_chunk_id, slot_value,
                 indent_level, sequence_number, metadata, created_at, updated_at)`;
    await timed('chunks', `insert into ${target} ${cols}
    select c.id, c.text_id, c.content, false, false, c.parent_chunk_id, null, null, c.indent_level, c.sequence_number,
           coalesce(jsonb_build_object('tags', tg.tags), '{}'::jsonb), c.created_at, c.updated_at
      from ${q(L.chunks)} c
      left join (select chunk_id, jsonb_agg(distinct tag_content collate "C" order by tag_content collate "C") as tags
                   from ${q(L.tags)} group by chunk_id) tg on tg.chunk_id = c.id
    on conflict (id) do nothing`);
    await timed('templates', `insert into ${target} ${cols}
    select t.id, t.text_id, t.content, true, false, null, null, null, 0, 0, '{}'::jsonb, t.created_at, t.updated_at
      from ${q(L.templates)} t on conflict (id) do nothing`);
    await timed('slots', `insert into ${target} ${cols}
    select s.id, t.text_id, s.slot_name, false, true, s.template_id, s.template_id, coalesce(a.v, ''), 1, s.slot_order,
           case when a.n >= 2 then jsonb_build_object('slot_instances', a.inst) else '{}'::jsonb end, s.created_at, s.updated_at
      from ${q(L.slots)} s join ${q(L.templates)} t on t.id = s.template_id
      left join (select i.slot_id, (array_agg(i.slot_value order by i.updated_at desc nulls last, i.id desc))[1] as v, count(*) as n,
                        jsonb_agg(jsonb_build_object('id', i.id, 'slot_value', i.slot_value, 'updated_at', i.updated_at)
                                  order by i.updated_at asc nulls first, i.id) as inst
                   from ${q(L.instances)} i group by i.slot_id) a on a.slot_id = s.id
    on conflict (id) do nothing`);
    await timed('tags', `insert into ${target} ${cols}
    select md5('stp-tag:' || c.text_id::text || ':' || t.tag_content)::uuid, c.text_id, t.tag_content, false, false, null, null, null, 0, 0,
           jsonb_build_object('type', 'tag', 'original_chunk_ids', jsonb_agg(distinct t.chunk_id order by t.chunk_id)),
           min(t.created_at), min(t.created_at)
      from ${q(L.tags)} t join ${q(L.chunks)} c on c.id = t.chunk_id
     group by c.text_id, t.tag_content
    on conflict (id) do nothing`);
    await timed('embeddings', `insert into ${emb} (id, chunk_id, vector, model_name, created_at)
    select distinct on (e.chunk_id, coalesce(e.model_name, $1)) e.id, e.chunk_id, e.vector, coalesce(e.model_name, $1), e.created_at
      from ${q(L.embeddings)} e
     where exists (select 1 from ${target} c where c.id = e.chunk_id)
     order by e.chunk_id, coalesce(e.model_name, $1), coalesce(e.created_at, '-infinity') desc, e.id desc
    on conflict do nothing`, [plan.embeddings.defaultModel]);
    for (const idx of (0, ddl_1.chunkIndexes)(plan))
        await timed('indexes', idx.sql.replace('create index concurrently', 'create index'));
    // Plain (validating) foreign keys: legacy defects would fail them, so the references they reject are cleared first, untimed.
    await client.query(`update ${target} u set parent_chunk_id = null where u.parent_chunk_id is not null and not exists (select 1 from ${target} p where p.id = u.parent_chunk_id)`);
    await client.query(`update ${target} u set text_id = null where u.text_id is not null and not exists (select 1 from ${q(L.texts)} x where x.id = u.text_id)`);
    await client.query(`update ${target} u set template_chunk_id = null where template_chunk_id is not null and not exists (select 1 from ${target} p where p.id = u.template_chunk_id)`);
    await client.query(`delete from ${emb} e where not exists (select 1 from ${target} c where c.id = e.chunk_id)`);
    for (const fk of (0, ddl_1.foreignKeys)(plan))
        await timed('foreign keys', fk.sql.replace(/\s+not valid\s*$/, ''));
    const { rows } = await client.query(`select count(*)::int as n from ${emb}`);
    const lists = (0, embeddings_1.ivfflatLists)(rows[0].n, plan.embeddings.index.lists);
    await client.query(`set maintenance_work_mem = '${(0, embeddings_1.maintenanceWorkMemMb)(rows[0].n, dim)}MB'`);
    if (plan.embeddings.index.kind === 'ivfflat') {
        await timed('vector index', `create index ${(0, embeddings_1.vectorIndexName)(plan.target.embeddings)} on ${emb} using ivfflat (vector vector_cosine_ops) with (lists = ${lists})`);
    }
    await client.query(`analyze ${target}; analyze ${emb}`);
    for (const t of [...Object.values(L).map(q), target, emb]) {
        await timed('full scan', `select count(*), sum(hashtext(t::text)) from ${t} t`);
    }
    return times;
}
/** The limit of the whole data run: every statement above. */
const limitTotal = (t) => Object.values(t).reduce((a, b) => a + b, 0);
exports.limitTotal = limitTotal;
//# sourceMappingURL=limit.js.map