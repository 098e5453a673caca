"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.templatesRule = void 0;
const db_1 = require("../db");
const sql_1 = require("./sql");
/** Rule 2: every templates_legacy row becomes a template chunk with the same id. */
exports.templatesRule = {
    rule: 'templates',
    rangeTable: async (_client, { plan }) => (0, db_1.qualified)(plan.schema, plan.legacy.templates),
    total(client, { plan, runId }) {
        return (0, sql_1.countSql)(client, `select count(*) as n from ${(0, db_1.qualified)(plan.schema, plan.legacy.templates)} t where ${(0, sql_1.notQuarantined)('$1', '$2', 't.id::text')}`, [runId, plan.legacy.templates]);
    },
    async batch(client, { plan, runId }, afterKey, limit, upTo) {
        const { rows } = await client.query(`with src as (
         select t.* from ${(0, db_1.qualified)(plan.schema, plan.legacy.templates)} t
          where ($3::uuid is null or t.id > $3::uuid) and ${(0, sql_1.upToSql)('t.id', '$5')} and ${(0, sql_1.notQuarantined)('$1', '$2', 't.id::text')}
          order by t.id limit $4),
       ins as (
         insert into ${(0, db_1.qualified)(plan.schema, plan.target.chunks)}
           (id, text_id, content, is_template, is_slot, parent_chunk_id, template_chunk_id, slot_value,
            indent_level, sequence_number, metadata, created_at, updated_at)
         select s.id, s.text_id, s.content, true, false, null, null, null, 0, 0, '{}'::jsonb, s.created_at, s.updated_at
           from src s
         on conflict (id) do nothing)
       select count(*)::int as rows, min(id::text collate "C") as first_key, max(id::text collate "C") as last_key from src`, [runId, plan.legacy.templates, afterKey, limit, upTo ?? null]);
        return { rows: rows[0].rows, firstKey: rows[0].first_key, lastKey: rows[0].last_key };
    },
};
//# sourceMappingURL=templates.js.map