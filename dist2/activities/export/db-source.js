"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.chooseSource = chooseSource;
const errors_1 = require("../../common/errors");
const plan_1 = require("../../common/plan");
const db_1 = require("../db");
const legacy = plan_1.LegacyTables.parse({});
const target = plan_1.TargetTables.parse({});
async function has(client, schema, table) {
    const { rows } = await client.query(`select to_regclass($1)::text as reg`, [(0, db_1.qualified)(schema, table)]);
    return rows[0].reg !== null;
}
// Rows leave Postgres as JSON text (row_to_json), so every column survives as the database has it.
const page = (table, where = 'true', select = 'row_to_json(t)::text') => `select t.id, ${select} as j from ${table} t where ${where} and ($1::uuid is null or t.id > $1::uuid) order by t.id limit $2`;
/**
 * Which tables to read. auto: unified when stp_migration.schema_version says 2 or more (finalized),
 * else legacy when its tables exist, else unified.
 */
async function chooseSource(client, input) {
    const s = input.schema;
    const hasLegacy = (await has(client, s, legacy.chunks)) && (await has(client, s, legacy.templates));
    const hasUnified = await has(client, s, target.chunks);
    if (!(await has(client, s, legacy.texts)))
        throw new errors_1.PreconditionError(`table ${s}.${legacy.texts} does not exist: is this an STP database?`);
    let kind = input.source;
    if (kind === 'auto') {
        let finalized = false;
        if (hasUnified && (await has(client, 'stp_migration', 'schema_version'))) {
            const { rows } = await client.query(`select version as v from stp_migration.schema_version`);
            finalized = (rows[0]?.v ?? 0) >= 2;
        }
        kind = finalized || !hasLegacy ? 'unified' : 'legacy';
    }
    if (kind === 'legacy' && !hasLegacy)
        throw new errors_1.PreconditionError(`legacy tables ${s}.${legacy.chunks} / ${legacy.templates} do not exist`);
    if (kind === 'unified' && !hasUnified)
        throw new errors_1.PreconditionError(`table ${s}.${target.chunks} does not exist`);
    const texts = (0, db_1.qualified)(s, legacy.texts);
    if (kind === 'legacy') {
        const [chunks, templates, slots, instances] = [legacy.chunks, legacy.templates, legacy.slots, legacy.instances].map((t) => (0, db_1.qualified)(s, t));
        const withInstances = await has(client, s, legacy.instances);
        const slot = withInstances
            ? `to_jsonb(sl) || jsonb_build_object('instances', coalesce((select jsonb_agg(to_jsonb(i) order by i.id) from ${instances} i where i.slot_id = sl.id), '[]'))`
            : 'to_jsonb(sl)';
        const slotsJson = (await has(client, s, legacy.slots))
            ? `coalesce((select jsonb_agg(${slot} order by sl.slot_order, sl.id) from ${slots} sl where sl.template_id = t.id), '[]')`
            : `'[]'::jsonb`;
        return {
            kind: 'legacy',
            queries: { texts: page(texts), chunks: page(chunks), templates: page(templates, 'true', `(to_jsonb(t) || jsonb_build_object('slots', ${slotsJson}))::text`) },
            counts: { texts: `select count(*) from ${texts}`, chunks: `select count(*) from ${chunks}`, templates: `select count(*) from ${templates}` },
        };
    }
    const cu = (0, db_1.qualified)(s, target.chunks);
    const slotsJson = `coalesce((select jsonb_agg(to_jsonb(sl) order by sl.sequence_number, sl.id) from ${cu} sl where sl.is_slot and sl.template_chunk_id = t.id), '[]')`;
    return {
        kind: 'unified',
        queries: { texts: page(texts), chunks: page(cu), templates: page(cu, 't.is_template', `(to_jsonb(t) || jsonb_build_object('slots', ${slotsJson}))::text`) },
        counts: { texts: `select count(*) from ${texts}`, chunks: `select count(*) from ${cu}`, templates: `select count(*) from ${cu} where is_template` },
    };
}
//# sourceMappingURL=db-source.js.map