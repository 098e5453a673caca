"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createV1Store = createV1Store;
const config_1 = require("./config");
const sql_1 = require("./sql");
/** Version 1: the legacy tables (texts, chunks_legacy, templates_legacy, ... embeddings_legacy). */
function createV1Store(pool, t, fallbackDim) {
    const [texts, chunks, templates, slots, instances, tags, embeddings] = [
        t.texts, t.chunks_legacy, t.templates_legacy, t.template_slots_legacy,
        t.template_slot_instances_legacy, t.chunk_tags_legacy, t.embeddings_legacy,
    ].map(config_1.q);
    const chunkColumns = 'id, text_id, content, parent_chunk_id, indent_level, sequence_number, created_at, updated_at';
    let dim;
    const checks = {
        'orphaned-chunks': `select count(*)::int as n from ${chunks} c where c.parent_chunk_id is not null
      and not exists (select 1 from ${chunks} p where p.id = c.parent_chunk_id)`,
        'invalid-templates': `select count(*)::int as n from ${slots} s
      where not exists (select 1 from ${templates} t where t.id = s.template_id)`,
        'missing-embeddings': `select count(*)::int as n from ${chunks} c
      where not exists (select 1 from ${embeddings} e where e.chunk_id = c.id)`,
    };
    return {
        schemaVersion: 1,
        ping: () => (0, sql_1.requireTables)(pool, [t.texts, t.chunks_legacy, t.templates_legacy, t.template_slots_legacy, t.embeddings_legacy]),
        async embeddingDimension() {
            dim ??= (await (0, sql_1.vectorDimension)(pool, t.embeddings_legacy)) ?? fallbackDim;
            return dim;
        },
        async createText({ id, title, content, chunks: drafts, model }) {
            await (0, sql_1.withTx)(pool, async (c) => {
                await (0, sql_1.insertText)(c, t.texts, id, title, content);
                await c.query(`insert into ${chunks} (id, text_id, content, parent_chunk_id, indent_level, sequence_number)
           select x.id, $1, x.content, x.parent, x.lvl, x.seq
           from unnest($2::uuid[], $3::text[], $4::uuid[], $5::int[], $6::int[]) as x(id, content, parent, lvl, seq)`, [id, drafts.map((d) => d.id), drafts.map((d) => d.content), drafts.map((d) => d.parentChunkId),
                    drafts.map((d) => d.indentLevel), drafts.map((d) => d.sequenceNumber)]);
                await c.query(`insert into ${embeddings} (id, chunk_id, vector, model_name)
           select gen_random_uuid(), x.chunk_id, x.v::vector, $3 from unnest($1::uuid[], $2::text[]) as x(chunk_id, v)`, [drafts.map((d) => d.id), drafts.map((d) => d.vector), model]);
            });
        },
        async getText(id) {
            const text = await (0, sql_1.selectText)(pool, t.texts, id);
            if (!text)
                return null;
            const { rows } = await pool.query(`select ${chunkColumns} from ${chunks} where text_id = $1 order by sequence_number nulls last, id`, [id]);
            return { ...text, chunks: rows };
        },
        async deleteText(id) {
            return (0, sql_1.withTx)(pool, async (c) => {
                const own = `select id from ${chunks} where text_id = $1`;
                const ownTemplates = `select id from ${templates} where text_id = $1`;
                await c.query(`delete from ${embeddings} where chunk_id in (${own})`, [id]);
                await c.query(`delete from ${tags} where chunk_id in (${own})`, [id]);
                await c.query(`delete from ${instances} where slot_id in
          (select id from ${slots} where template_id in (${ownTemplates}))`, [id]);
                await c.query(`delete from ${slots} where template_id in (${ownTemplates})`, [id]);
                await c.query(`delete from ${templates} where text_id = $1`, [id]);
                await c.query(`delete from ${chunks} where text_id = $1`, [id]);
                const r = await c.query(`delete from ${texts} where id = $1`, [id]);
                return (r.rowCount ?? 0) > 0;
            });
        },
        listTexts: (limit, offset) => (0, sql_1.page)(pool, t.texts, sql_1.TEXT_COLUMNS, 'created_at, id', limit, offset),
        listChunks: (limit, offset) => (0, sql_1.page)(pool, t.chunks_legacy, chunkColumns, 'created_at, id', limit, offset),
        async search(vector, limit) {
            const { rows } = await pool.query(`select c.id as chunk_id, c.content, 1 - (e.vector <=> $1::vector) as score
         from ${embeddings} e join ${chunks} c on c.id = e.chunk_id
         order by e.vector <=> $1::vector limit $2`, [vector, limit]);
            return rows;
        },
        async createTemplate({ templateId, textId, name, slots: s }) {
            await (0, sql_1.withTx)(pool, async (c) => {
                await (0, sql_1.insertText)(c, t.texts, textId, name, name);
                await c.query(`insert into ${templates} (id, text_id, content) values ($1, $2, $3)`, [templateId, textId, name]);
                await c.query(`insert into ${slots} (id, template_id, slot_name, slot_order)
           select x.id, $1, x.name, x.ord - 1 from unnest($2::uuid[], $3::text[]) with ordinality as x(id, name, ord)`, [templateId, s.map((x) => x.id), s.map((x) => x.name)]);
            });
        },
        async listTemplates() {
            const { rows } = await pool.query(`select t.id as template_id, t.content as template_name, t.text_id, t.created_at,
           coalesce((select json_agg(json_build_object('slot_id', s.id, 'slot_name', s.slot_name, 'slot_order', s.slot_order)
                     order by s.slot_order, s.id) from ${slots} s where s.template_id = t.id), '[]') as slots
         from ${templates} t order by t.created_at, t.id limit 1000`);
            return rows;
        },
        consistency: (check) => (0, sql_1.count)(pool, checks[check]),
    };
}
//# sourceMappingURL=v1.js.map