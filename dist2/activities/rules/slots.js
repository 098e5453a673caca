"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.slotsRule = void 0;
exports.slotValueSql = slotValueSql;
exports.slotInstancesSql = slotInstancesSql;
exports.slotInstanceAggSql = slotInstanceAggSql;
const db_1 = require("../db");
const sql_1 = require("./sql");
const stage_1 = require("./stage");
/**
 * Rule 3's aggregates over the instances of one slot, exported for verify so both sides use the
 * same bytes. `i` is the instance alias; use inside `group by i.slot_id`. A NULL updated_at counts
 * as the oldest (nulls first ascending, last descending).
 */
function slotValueSql(i = 'i') {
    // The value of the instance with the latest updated_at (ties: greatest id); '' applied by the caller.
    return `(array_agg(${i}.slot_value order by ${i}.updated_at desc nulls last, ${i}.id desc))[1]`;
}
/** `[{id, slot_value, updated_at}, ...]` ordered by updated_at, then id; timestamps as UTC text. */
function slotInstancesSql(i = 'i') {
    return `jsonb_agg(jsonb_build_object('id', ${i}.id, 'slot_value', ${i}.slot_value, 'updated_at', ${(0, sql_1.jsonTimestampSql)(`${i}.updated_at`)})
                    order by ${i}.updated_at asc nulls first, ${i}.id asc)`;
}
/** Per slot id: value, count and instances list of its instances not quarantined in this run. */
function slotInstanceAggSql(input, runIdParam, instancesTableParam, where = 'true') {
    return `select i.slot_id, ${slotValueSql('i')} as slot_value, count(*)::int as n, ${slotInstancesSql('i')} as instances
            from ${(0, db_1.qualified)(input.plan.schema, input.plan.legacy.instances)} i
           where ${(0, sql_1.notQuarantined)(runIdParam, instancesTableParam, 'i.id::text')} and (${where})
           group by i.slot_id`;
}
/** Rule 3: every template_slots_legacy row becomes a slot chunk under its template. */
exports.slotsRule = {
    rule: 'slots',
    rangeTable: async (_client, { plan }) => (0, db_1.qualified)(plan.schema, plan.legacy.slots),
    total(client, { plan, runId }) {
        return (0, sql_1.countSql)(client, `select count(*) as n from ${(0, db_1.qualified)(plan.schema, plan.legacy.slots)} s where ${(0, sql_1.notQuarantined)('$1', '$2', 's.id::text')}`, [runId, plan.legacy.slots]);
    },
    // `limit 1` keeps the lateral lookups as per-row index probes (primary keys): as plain joins
    // the planner hashes the whole templates table and stage for every batch.
    async batch(client, input, afterKey, limit, upTo) {
        const { plan, runId } = input;
        const stage = await (0, stage_1.ensureStage)(client, runId, 'slot_values', 'slot_id uuid primary key, slot_value text, n int not null, instances jsonb', {
            sql: slotInstanceAggSql(input, '$1', '$2'),
            params: [runId, plan.legacy.instances],
        }, input);
        const { rows } = await client.query(`with src as (
         select s.* from ${(0, db_1.qualified)(plan.schema, plan.legacy.slots)} s
          where ($3::uuid is null or s.id > $3::uuid) and ${(0, sql_1.upToSql)('s.id', '$5')} and ${(0, sql_1.notQuarantined)('$1', '$2', 's.id::text')}
          order by s.id limit $4),
       ins as (
         insert into ${(0, db_1.qualified)(plan.schema, plan.target.chunks)}
           (id, text_id, content, is_template, is_slot, parent_chunk_id, template_chunk_id, slot_value,
            indent_level, sequence_number, metadata, created_at, updated_at)
         select s.id, t.text_id, s.slot_name, false, true, s.template_id, s.template_id, coalesce(a.slot_value, ''),
                1, s.slot_order,
                case when a.n >= 2 then jsonb_build_object('slot_instances', a.instances) else '{}'::jsonb end,
                s.created_at, s.updated_at
           from src s
           cross join lateral (select t.text_id from ${(0, db_1.qualified)(plan.schema, plan.legacy.templates)} t
                                where t.id = s.template_id limit 1) t
           left join lateral (select a.* from ${stage} a where a.slot_id = s.id limit 1) a on true
         on conflict (id) do nothing)
       select count(*)::int as rows, min(id::text collate "C") as first_key, max(id::text collate "C") as last_key from src`, [runId, plan.legacy.slots, afterKey, limit, upTo ?? null]);
        return { rows: rows[0].rows, firstKey: rows[0].first_key, lastKey: rows[0].last_key };
    },
    finish: (client, input) => (0, stage_1.dropStages)(client, input.runId, ['slot_values']),
};
//# sourceMappingURL=slots.js.map