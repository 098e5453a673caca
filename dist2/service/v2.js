"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createV2Store = createV2Store;
const config_1 = require("./config");
const sql_1 = require("./sql");
/** Version 2: the unified tables (chunks_unified with is_template/is_slot, embeddings_v2). */
function createV2Store(pool, t, fallbackDim) {
    const texts = (0, config_1.q)(t.texts);
    const cu = (0, config_1.q)(t.chunks_unified);
    const ev = (0, config_1.q)(t.embeddings_v2);
    const chunkColumns = `id, text_id, content, is_template, is_slot, parent_chunk_id, template_chunk_id, slot_value,
    indent_level, sequence_number, metadata, created_at, updated_at`;
    let dim;
    // Content chunks are those that are neither templates, slots nor tag chunks (metadata.type = 'tag').
    const checks = {
        'orphaned-chunks': `select count(*)::int as n from ${cu} c where c.parent_chunk_id is not null
      and not exists (select 1 from ${cu} p where p.id = c.parent_chunk_id)`,
        'invalid-templates': `select count(*)::int as n from ${cu} c where c.template_chunk_id is not null
      and not exists (select 1 from ${cu} t where t.id = c.template_chunk_id and t.is_template)`,
        'missing-embeddings': `select count(*)::int as n from ${cu} c
      where c.is_template is not true and c.is_slot is not true and coalesce(c.metadata->>'type', '') <> 'tag'
      and not exists (select 1 from ${ev} e where e.chunk_id = c.id)`,
    };
    return {
        schemaVersion: 2,
        ping: () => (0, sql_1.requireTables)(pool, [t.texts, t.chunks_unified, t.embeddings_v2]),
        async embeddingDimension() {
            dim ??= (await (0, sql_1.vectorDimension)(pool, t.embeddings_v2)) ?? fallbackDim;
            return dim;
        },
        async createText({ id, title, content, chunks: drafts, model }) {
            await (0, sql_1.withTx)(pool, async (c) => {
                await (0, sql_1.insertText)(c, t.texts, id, title, content);
                await c.query(`insert into ${cu} (id, text_id, content, is_template, is_slot, parent_chunk_id, indent_level, sequence_number)
           select x.id, $1, x.content, false, false, x.parent, x.lvl, x.seq
           from unnest($2::uuid[], $3::text[], $4::uuid[], $5::int[], $6::int[]) as x(id, content, parent, lvl, seq)`, [id, drafts.map((d) => d.id), drafts.map((d) => d.content), drafts.map((d) => d.parentChunkId),
                    drafts.map((d) => d.indentLevel), drafts.map((d) => d.sequenceNumber)]);
                await c.query(`insert into ${ev} (chunk_id, vector, model_name)
           select x.chunk_id, x.v::vector, $3 from unnest($1::uuid[], $2::text[]) as x(chunk_id, v)
           on conflict (chunk_id, model_name) do nothing`, [drafts.map((d) => d.id), drafts.map((d) => d.vector), model]);
            });
        },
        async getText(id) {
            const text = await (0, sql_1.selectText)(pool, t.texts, id);
            if (!text)
                return null;
            const { rows } = await pool.query(`select ${chunkColumns} from ${cu} where text_id = $1
         order by sequence_number nulls last, created_at, id`, [id]);
            return { ...text, chunks: rows };
        },
        async deleteText(id) {
            return (0, sql_1.withTx)(pool, async (c) => {
                await c.query(`delete from ${ev} where chunk_id in (select id from ${cu} where text_id = $1)`, [id]);
                await c.query(`delete from ${cu} where text_id = $1`, [id]);
                const r = await c.query(`delete from ${texts} where id = $1`, [id]);
                return (r.rowCount ?? 0) > 0;
            });
        },
        listTexts: (limit, offset) => (0, sql_1.page)(pool, t.texts, sql_1.TEXT_COLUMNS, 'created_at, id', limit, offset),
        listChunks: (limit, offset) => (0, sql_1.page)(pool, t.chunks_unified, chunkColumns, 'created_at, id', limit, offset),
        async search(vector, limit) {
            const { rows } = await pool.query(`select c.id as chunk_id, c.content, 1 - (e.vector <=> $1::vector) as score
         from ${ev} e join ${cu} c on c.id = e.chunk_id
         order by e.vector <=> $1::vector limit $2`, [vector, limit]);
            return rows;
        },
        async createTemplate({ templateId, textId, name, slots }) {
            await (0, sql_1.withTx)(pool, async (c) => {
                await (0, sql_1.insertText)(c, t.texts, textId, name, name);
                await c.query(`insert into ${cu} (id, text_id, content, is_template, is_slot, indent_level, sequence_number)
           values ($1, $2, $3, true, false, 0, 0)`, [templateId, textId, name]);
                await c.query(`insert into ${cu} (id, text_id, content, is_template, is_slot, parent_chunk_id, template_chunk_id,
             slot_value, indent_level, sequence_number)
           select x.id, $2, x.name, false, true, $1, $1, '', 1, x.ord - 1
           from unnest($3::uuid[], $4::text[]) with ordinality as x(id, name, ord)`, [templateId, textId, slots.map((s) => s.id), slots.map((s) => s.name)]);
            });
        },
        async listTemplates() {
            const { rows } = await pool.query(`select t.id as template_id, t.content as template_name, t.text_id, t.created_at,
           coalesce((select json_agg(json_build_object('slot_id', s.id, 'slot_name', s.content,
                       'slot_order', s.sequence_number, 'slot_value', s.slot_value) order by s.sequence_number, s.id)
                     from ${cu} s where s.is_slot and s.template_chunk_id = t.id), '[]') as slots
         from ${cu} t where t.is_template order by t.created_at, t.id limit 1000`);
            return rows;
        },
        consistency: (check) => (0, sql_1.count)(pool, checks[check]),
    };
}
//# sourceMappingURL=v2.js.map