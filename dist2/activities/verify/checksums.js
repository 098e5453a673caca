"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RULE_ORDER = void 0;
exports.remainingDigests = remainingDigests;
exports.ruleChecksums = ruleChecksums;
exports.vectorSchemaOf = vectorSchemaOf;
const sql_1 = require("../rules/sql");
const tags_1 = require("../rules/tags");
const digest_1 = require("./digest");
const context_1 = require("./context");
/**
 * A content checksum per mapping rule, computed in SQL on both sides: each side yields one md5 per
 * row over `row(...)::text` of the row as the contract maps it (legacy side: the mapping applied
 * here, independently of the copy's SQL except the shared tag-id and slot-instance expressions;
 * target side: the stored columns). Rows are combined order-independently (digest.ts): a changed
 * byte changes its row's md5 and hence the sums unless two 64-bit halves collide at once (2^-128
 * by chance); unlike xor, duplicated rows do not cancel out. No row leaves the server.
 *
 * Rules 1-3 (legacy side) ride on the legacy table passes and rules 1-5 (target side) on the one
 * scan of the target (legacy.ts, target.ts); here are the legacy sides of rules 4 and 5, which
 * aggregate the tag rows (one pass for both), and both sides of rule 6.
 */
exports.RULE_ORDER = ['chunks', 'templates', 'slots', 'tags', 'chunk_tags', 'embeddings'];
async function remainingDigests(ctx, vectorSchema, beat) {
    const { t, plan } = ctx;
    const L = plan.legacy;
    const liveChunk = (c) => (0, context_1.notQ)(L.chunks, `${c}.id::text`);
    const liveTag = (x) => (0, context_1.notQ)(L.tags, (0, sql_1.tagRowKeySql)(x));
    const vec = (e) => (0, digest_1.vectorBytes)(vectorSchema, `${e}.vector`);
    const source = {};
    const target = {};
    beat('checksum tags');
    // Rules 4 and 5 in one pass over the live tag rows, grouped two ways (grouping sets):
    // rule 4 one tag chunk per (text_id, tag_content), updated_at = created_at (the copy's
    // deterministic choice: the runbook's now() could never verify); rule 5 metadata.tags of every
    // tagged chunk, distinct and sorted by code point.
    const rows = `select case when grouping(x.chunk_id) = 1
        then ${(0, digest_1.md5Of)(`${(0, tags_1.tagIdSql)('c.text_id', 'x.tag_content')}, c.text_id, x.tag_content, false, false, null::uuid, null::uuid, null::text, 0, 0,
               jsonb_build_object('type', 'tag', 'original_chunk_ids',
                                  jsonb_agg(distinct x.chunk_id::text collate "C" order by x.chunk_id::text collate "C")),
               min(x.created_at), min(x.created_at)`)}
        else ${(0, digest_1.md5Of)(`x.chunk_id, jsonb_agg(distinct x.tag_content collate "C" order by x.tag_content collate "C")`)} end as h,
        grouping(x.chunk_id) = 1 as rule4
      from ${t.tags} x join ${t.chunks} c on c.id = x.chunk_id
     where ${liveTag('x')} and ${liveChunk('c')}
     group by grouping sets ((c.text_id, x.tag_content), (x.chunk_id))`;
    const r4 = (0, digest_1.digestAgg)('case when rule4 then h end');
    const r5 = (0, digest_1.digestAgg)('case when not rule4 then h end');
    const tags = await (0, context_1.one)(ctx, `select ${r4.n} as n4, ${r4.digest} as d4, ${r5.n} as n5, ${r5.digest} as d5 from (${rows}) s`);
    source.tags = { n: tags.n4, digest: tags.d4 };
    source.chunk_tags = { n: tags.n5, digest: tags.d5 };
    if (plan.steps.includes('embeddings')) {
        beat('checksum embeddings');
        // Rule 6: the winner of each (chunk, model) group.
        source.embeddings = await (0, context_1.one)(ctx, (0, digest_1.digestSql)(`select distinct on (e.chunk_id, coalesce(e.model_name, $2))
                      ${(0, digest_1.md5Row)(`e.id, e.chunk_id, ${vec('e')}, coalesce(e.model_name, $2), e.created_at`)}
                 from ${t.embeddings} e where ${(0, context_1.notQ)(L.embeddings, 'e.id::text')}
                order by e.chunk_id, coalesce(e.model_name, $2), coalesce(e.created_at, '-infinity') desc, e.id desc`), [plan.embeddings.defaultModel]);
        target.embeddings = await (0, context_1.one)(ctx, (0, digest_1.digestSql)(`select ${(0, digest_1.md5Row)(`e.id, e.chunk_id, ${vec('e')}, e.model_name, e.created_at`)} from ${t.targetEmbeddings} e`));
    }
    return { source, target };
}
/** The checksums in the report's order, from the digests of both sides. */
function ruleChecksums(source, target) {
    return exports.RULE_ORDER.filter((rule) => source[rule] && target[rule]).map((rule) => {
        const s = source[rule];
        const d = target[rule];
        return { rule, source: s.digest, target: d.digest, rows: { source: s.n, target: d.n }, match: s.digest === d.digest };
    });
}
/** The schema of the vector extension, for vector_send. */
async function vectorSchemaOf(ctx) {
    const { rows } = await ctx.client.query(`select quote_ident(n.nspname) as s from pg_extension x join pg_namespace n on n.oid = x.extnamespace where x.extname = 'vector'`);
    return rows[0]?.s ?? 'public';
}
//# sourceMappingURL=checksums.js.map