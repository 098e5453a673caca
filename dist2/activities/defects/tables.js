"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.tableDefects = tableDefects;
const steps_1 = require("../../common/steps");
const context_1 = require("./context");
const hierarchy_1 = require("./hierarchy");
/** Plan identifiers as an SQL string literal (identifiers are validated: [a-z0-9_] only). */
function lit(name) {
    if (!/^[a-z0-9_, ]*$/.test(name))
        throw new Error(`not an identifier list: ${name}`);
    return `'${name}'`;
}
const idText = (expr) => `coalesce(${expr}::text, 'null')`;
/**
 * The legacy-table defects of MIGRATION-CONTRACT section 4, in contract order (the graph's
 * orphan_graph_edge lives in graph.ts). One entry per (kind, table); a row with several defects
 * appears under each of its kinds here.
 */
function tableDefects(t) {
    const n = t.name;
    const inTable = (role, col) => `exists (select 1 from ${t.q[role]} x where x.id = r.${col})`;
    const collision = (role) => {
        const others = ['chunks', 'templates', 'slots'].filter((o) => o !== role);
        return {
            kind: 'id_collision',
            role,
            where: others.map((o) => inTable(o, 'id')).join(' or '),
            reason: `'id also in ' || concat_ws(', ', ${others.map((o) => `case when ${inTable(o, 'id')} then ${lit(n[o])} end`).join(', ')})`,
        };
    };
    const orphanText = (role) => ({
        kind: 'orphan_text',
        role,
        where: `not ${inTable('texts', 'text_id')}`,
        reason: `'text_id ' || ${idText('r.text_id')} || ' not in ' || ${lit(n.texts)}`,
    });
    const winners = `select id, first_value(id) over w as winner, row_number() over w as rn
      from ${t.q.embeddings}
    window w as (partition by chunk_id, coalesce(model_name, ${context_1.DEFAULT_MODEL}) order by created_at desc nulls last, id desc)`;
    const defects = [
        collision('chunks'),
        collision('templates'),
        collision('slots'),
        orphanText('chunks'),
        orphanText('templates'),
        {
            kind: 'orphan_parent',
            role: 'chunks',
            where: `r.parent_chunk_id is not null and not ${inTable('chunks', 'parent_chunk_id')}`,
            reason: `'parent_chunk_id ' || r.parent_chunk_id::text || ' is not a chunk of ' || ${lit(n.chunks)}`,
        },
        {
            kind: 'cycle',
            role: 'chunks',
            join: `join (${(0, hierarchy_1.cycleSql)(t)}) cy on cy.id = r.id`,
            where: 'true',
            reason: `'on a parent_chunk_id cycle of ' || cy.cycle_len || ' chunk(s)'`,
        },
        {
            kind: 'orphan_slot',
            role: 'slots',
            where: `not ${inTable('templates', 'template_id')}`,
            reason: `'template_id ' || ${idText('r.template_id')} || ' not in ' || ${lit(n.templates)}`,
        },
        {
            kind: 'orphan_instance',
            role: 'instances',
            where: `not ${inTable('slots', 'slot_id')}`,
            reason: `'slot_id ' || ${idText('r.slot_id')} || ' not in ' || ${lit(n.slots)}`,
        },
        {
            kind: 'orphan_tag',
            role: 'tags',
            key: context_1.TAG_KEY,
            where: `not ${inTable('chunks', 'chunk_id')}`,
            reason: `'chunk_id ' || ${idText('r.chunk_id')} || ' not in ' || ${lit(n.chunks)}`,
        },
        {
            kind: 'orphan_embedding',
            role: 'embeddings',
            where: `not ${inTable('chunks', 'chunk_id')} and not ${inTable('templates', 'chunk_id')} and not ${inTable('slots', 'chunk_id')}`,
            reason: `'chunk_id ' || ${idText('r.chunk_id')} || ' in none of ' || ${lit(`${n.chunks}, ${n.templates}, ${n.slots}`)}`,
        },
        {
            kind: 'superseded_embedding',
            role: 'embeddings',
            join: `join (${winners}) sup on sup.id = r.id and sup.rn > 1`,
            where: 'true',
            reason: `'superseded by embedding ' || sup.winner::text || ' (same chunk_id and model, rule 6 keeps the latest)'`,
        },
    ];
    return defects.sort((a, b) => steps_1.DEFECT_KINDS.indexOf(a.kind) - steps_1.DEFECT_KINDS.indexOf(b.kind));
}
//# sourceMappingURL=tables.js.map