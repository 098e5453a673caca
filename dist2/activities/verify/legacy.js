"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.legacyPass = legacyPass;
const slots_1 = require("../rules/slots");
const sql_1 = require("../rules/sql");
const tags_1 = require("../rules/tags");
const digest_1 = require("./digest");
const context_1 = require("./context");
/**
 * One pass per legacy table: rows, rows that reached the target, rows in the run's quarantine,
 * rows counted as both (a copy that ignored the quarantine), and for rules 1-3 the legacy side of
 * the rule's checksum over the rows not quarantined. The target and the quarantine keys are hash
 * joined (each read once), not probed per row; each row is classified once, so "rows = migrated +
 * quarantined" holds exactly when nothing was lost or doubled. Legacy ids are primary keys
 * (contract section 1) and target ids too, so no join multiplies a row.
 */
async function legacyPass(ctx) {
    const { t, plan } = ctx;
    const L = plan.legacy;
    const qkeys = (table, key) => `left join (select distinct row_key from stp_migration.quarantine where run_id = $1 and source_table = ${(0, context_1.literal)(table)}) qk on qk.row_key = ${key}`;
    const target = (kind, id) => `left join ${t.target} u on u.id = ${id} and ${(0, context_1.kindSql)(kind)}`;
    const live = `qk.row_key is null`;
    const passes = [
        { name: L.texts, from: `${t.texts} x ${qkeys(L.texts, 'x.id::text')}`, migrated: 'true' },
        {
            name: L.chunks,
            from: `${t.chunks} x ${target('chunks', 'x.id')} ${qkeys(L.chunks, 'x.id::text')}`,
            migrated: 'u.id is not null',
            // Rule 1; metadata.tags is rule 5's and checked there.
            h: { rule: 'chunks', when: live, cols: `x.id, x.text_id, x.content, false, false, x.parent_chunk_id, null::uuid, null::text,
                x.indent_level, x.sequence_number, '{}'::jsonb, x.created_at, x.updated_at` },
        },
        {
            name: L.templates,
            from: `${t.templates} x ${target('templates', 'x.id')} ${qkeys(L.templates, 'x.id::text')}`,
            migrated: 'u.id is not null',
            h: { rule: 'templates', when: live, cols: `x.id, x.text_id, x.content, true, false, null::uuid, null::uuid, null::text, 0, 0,
                '{}'::jsonb, x.created_at, x.updated_at` },
        },
        {
            name: L.slots,
            from: `${t.slots} x ${target('slots', 'x.id')} ${qkeys(L.slots, 'x.id::text')}
             left join ${t.templates} p on p.id = x.template_id
             left join (select i.slot_id, ${(0, slots_1.slotValueSql)('i')} as v, count(*) as n, ${(0, slots_1.slotInstancesSql)('i')} as inst
                          from ${t.instances} i
                          left join (select distinct row_key from stp_migration.quarantine where run_id = $1 and source_table = ${(0, context_1.literal)(L.instances)}) iq
                            on iq.row_key = i.id::text
                         where iq.row_key is null group by i.slot_id) a on a.slot_id = x.id`,
            migrated: 'u.id is not null',
            h: { rule: 'slots', when: `${live} and p.id is not null`, cols: `x.id, p.text_id, x.slot_name, false, true, x.template_id, x.template_id, coalesce(a.v, ''),
                1, x.slot_order, case when a.n >= 2 then jsonb_build_object('slot_instances', a.inst) else '{}'::jsonb end,
                x.created_at, x.updated_at` },
        },
        // An instance lives on in its slot's slot_value / metadata.slot_instances.
        { name: L.instances, from: `${t.instances} x ${target('slots', 'x.slot_id')} ${qkeys(L.instances, 'x.id::text')}`, migrated: 'u.id is not null' },
        {
            name: L.tags,
            from: `${t.tags} x ${qkeys(L.tags, (0, sql_1.tagRowKeySql)('x'))}
             left join ${t.chunks} c on c.id = x.chunk_id
             left join ${t.target} u on u.id = ${(0, tags_1.tagIdSql)('c.text_id', 'x.tag_content')} and ${(0, context_1.kindSql)('tags')}
                                    and u.metadata -> 'original_chunk_ids' ? x.chunk_id::text`,
            migrated: 'u.id is not null',
        },
        {
            name: L.embeddings,
            from: `${t.embeddings} x left join ${t.targetEmbeddings} u on u.id = x.id ${qkeys(L.embeddings, 'x.id::text')}`,
            migrated: 'u.id is not null',
        },
    ];
    const counts = {};
    const digests = {};
    for (const p of passes) {
        const d = (0, digest_1.digestAgg)('h');
        // offset 0 keeps m, q and h computed once per row (a pulled-up subquery repeats them per aggregate)
        const r = await (0, context_1.one)(ctx, `select count(*)::int as rows, count(*) filter (where m)::int as migrated, count(*) filter (where q)::int as quarantined,
              count(*) filter (where m and q)::int as both ${p.h ? `, ${d.n} as n, ${d.digest} as digest` : ''}
         from (select ${p.migrated} as m, qk.row_key is not null as q ${p.h ? `, case when ${p.h.when} then ${(0, digest_1.md5Of)(p.h.cols)} end as h` : ''}
                 from ${p.from} offset 0) s`);
        counts[p.name] = { rows: r.rows, migrated: r.migrated, quarantined: r.quarantined, both: r.both };
        if (p.h)
            digests[p.h.rule] = { n: r.n ?? 0, digest: r.digest ?? '' };
    }
    return { counts, digests };
}
//# sourceMappingURL=legacy.js.map