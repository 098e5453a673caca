"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.targetCols = void 0;
exports.targetPass = targetPass;
const digest_1 = require("./digest");
const context_1 = require("./context");
const UUID_RE = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const KINDS = ['chunks', 'templates', 'slots', 'tags'];
/** The columns of chunks_unified in a fixed order; `meta` replaces metadata where a rule checks only part of it. */
const targetCols = (u, meta = `${u}.metadata`) => `${u}.id, ${u}.text_id, ${u}.content, ${u}.is_template, ${u}.is_slot, ${u}.parent_chunk_id, ${u}.template_chunk_id,
   ${u}.slot_value, ${u}.indent_level, ${u}.sequence_number, ${meta}, ${u}.created_at, ${u}.updated_at`;
exports.targetCols = targetCols;
/**
 * One scan of chunks_unified for everything verify asks of it: rows per kind, the target side of
 * the checksums of rules 1-5 (rule 1 without metadata.tags, which rule 5 checks alone), and the
 * runbook's consistency checks (contract section 5):
 *  - orphaned_chunks: parent_chunk_id not in the target; invalid_template_refs: template_chunk_id
 *    not a template; missing_embeddings: a regular chunk without an embedding (a warning);
 *  - invalid_metadata: metadata not a JSON object, a tag chunk without a non-empty
 *    original_chunk_ids array of chunk ids present in the target, `tags` / `slot_instances` not
 *    arrays (or slot_instances on a row that is not a slot).
 */
async function targetPass(ctx) {
    const { t } = ctx;
    const kind = `case when ${(0, context_1.kindSql)('templates')} then 'templates' when ${(0, context_1.kindSql)('slots')} then 'slots'
                     when ${(0, context_1.kindSql)('tags')} then 'tags' else 'chunks' end`;
    const inner = `select k,
       ${(0, digest_1.md5Of)((0, exports.targetCols)('u', `case when k = 'chunks' then u.metadata - 'tags' else u.metadata end`))} as h,
       case when k = 'chunks' and u.metadata ? 'tags' then ${(0, digest_1.md5Of)(`u.id, u.metadata -> 'tags'`)} end as h_tags,
       u.parent_chunk_id is not null and not exists (select 1 from ${t.target} p where p.id = u.parent_chunk_id) as orphaned,
       u.template_chunk_id is not null
         and not exists (select 1 from ${t.target} p where p.id = u.template_chunk_id and p.is_template) as bad_template,
       k = 'chunks' and not exists (select 1 from ${t.targetEmbeddings} e where e.chunk_id = u.id) as no_embedding,
       u.metadata is null or jsonb_typeof(u.metadata) <> 'object'
         or (k = 'tags' and (jsonb_typeof(u.metadata -> 'original_chunk_ids') is distinct from 'array'
              or jsonb_array_length(u.metadata -> 'original_chunk_ids') = 0
              or exists (select 1 from jsonb_array_elements(u.metadata -> 'original_chunk_ids') o
                          where case when jsonb_typeof(o) = 'string' and (o #>> '{}') ~ '${UUID_RE}'
                                     then not exists (select 1 from ${t.target} c
                                                       where c.id = (o #>> '{}')::uuid and ${(0, context_1.kindSql)('chunks', 'c')})
                                     else true end)))
         or (u.metadata ? 'tags' and jsonb_typeof(u.metadata -> 'tags') is distinct from 'array')
         or (u.metadata ? 'slot_instances' and (jsonb_typeof(u.metadata -> 'slot_instances') is distinct from 'array'
              or not coalesce(u.is_slot, false))) as bad_metadata
     from ${t.target} u cross join lateral (select ${kind} as k) kk
   offset 0`;
    const cols = [];
    for (const k of KINDS) {
        const d = (0, digest_1.digestAgg)(`case when k = '${k}' then h end`);
        cols.push(`count(*) filter (where k = '${k}')::int as ${k}`, `${d.n} as ${k}_n`, `${d.digest} as ${k}_d`);
    }
    const tags = (0, digest_1.digestAgg)('h_tags');
    cols.push(`${tags.n} as chunk_tags_n`, `${tags.digest} as chunk_tags_d`);
    for (const c of ['orphaned', 'bad_template', 'no_embedding', 'bad_metadata'])
        cols.push(`count(*) filter (where ${c})::int as ${c}`);
    const r = await (0, context_1.one)(ctx, `select ${cols.join(',\n')} from (${inner}) s`);
    const digests = {};
    for (const rule of [...KINDS, 'chunk_tags'])
        digests[rule] = { n: Number(r[`${rule}_n`]), digest: String(r[`${rule}_d`]) };
    return {
        counts: { chunks: Number(r.chunks), templates: Number(r.templates), slots: Number(r.slots), tags: Number(r.tags) },
        digests,
        checks: {
            orphaned_chunks: Number(r.orphaned),
            invalid_template_refs: Number(r.bad_template),
            missing_embeddings: Number(r.no_embedding),
            invalid_metadata: Number(r.bad_metadata),
        },
    };
}
//# sourceMappingURL=target.js.map