"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.chunksRule = void 0;
exports.chunkTagsSql = chunkTagsSql;
const db_1 = require("../db");
const sql_1 = require("./sql");
const stage_1 = require("./stage");
/**
 * `metadata.tags` of rule 5, one row per tagged chunk: its distinct tag contents sorted by code
 * point, over the tag rows not quarantined in this run. `where` filters `t` further. Exported so
 * verify computes the same value from the legacy side.
 */
function chunkTagsSql(input, runIdParam, tagsTableParam, where = 'true') {
    const tags = (0, db_1.qualified)(input.plan.schema, input.plan.legacy.tags);
    return `select t.chunk_id, jsonb_agg(distinct t.tag_content collate "C" order by t.tag_content collate "C") as tags
            from ${tags} t
           where ${(0, sql_1.notQuarantined)(runIdParam, tagsTableParam, (0, sql_1.tagRowKeySql)('t'))} and (${where})
           group by t.chunk_id`;
}
/** Rule 1 (+ rule 5): every chunks_legacy row, same id, keyset on id (uuid order = lowercase text order). */
exports.chunksRule = {
    rule: 'chunks',
    rangeTable: async (_client, { plan }) => (0, db_1.qualified)(plan.schema, plan.legacy.chunks),
    total(client, input) {
        const { plan, runId } = input;
        return (0, sql_1.countSql)(client, `select count(*) as n from ${(0, db_1.qualified)(plan.schema, plan.legacy.chunks)} c where ${(0, sql_1.notQuarantined)('$1', '$2', 'c.id::text')}`, [runId, plan.legacy.chunks]);
    },
    // The stage is read by primary-key lookups per row (a scalar subquery): with a join, the planner
    // prefers hashing the whole stage for every batch.
    async batch(client, input, afterKey, limit, upTo) {
        const { plan, runId } = input;
        const stage = await (0, stage_1.ensureStage)(client, runId, 'chunk_tags', 'chunk_id uuid primary key, tags jsonb not null', {
            sql: chunkTagsSql(input, '$1', '$2'),
            params: [runId, plan.legacy.tags],
        }, input);
        const { rows } = await client.query(`with src as (
         select c.* from ${(0, db_1.qualified)(plan.schema, plan.legacy.chunks)} c
          where ($3::uuid is null or c.id > $3::uuid) and ${(0, sql_1.upToSql)('c.id', '$5')} and ${(0, sql_1.notQuarantined)('$1', '$2', 'c.id::text')}
          order by c.id limit $4),
       ins as (
         insert into ${(0, db_1.qualified)(plan.schema, plan.target.chunks)}
           (id, text_id, content, is_template, is_slot, parent_chunk_id, template_chunk_id, slot_value,
            indent_level, sequence_number, metadata, created_at, updated_at)
         select s.id, s.text_id, s.content, false, false, s.parent_chunk_id, null, null,
                s.indent_level, s.sequence_number,
                coalesce((select jsonb_build_object('tags', tg.tags) from ${stage} tg where tg.chunk_id = s.id), '{}'::jsonb),
                s.created_at, s.updated_at
           from src s
         on conflict (id) do nothing)
       select count(*)::int as rows, min(id::text collate "C") as first_key, max(id::text collate "C") as last_key from src`, [runId, plan.legacy.chunks, afterKey, limit, upTo ?? null]);
        return { rows: rows[0].rows, firstKey: rows[0].first_key, lastKey: rows[0].last_key };
    },
    finish: (client, input) => (0, stage_1.dropStages)(client, input.runId, ['chunk_tags']),
};
//# sourceMappingURL=chunks.js.map