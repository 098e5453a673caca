import type { RuleChecksum } from '../../common/steps';
import { tagRowKeySql } from '../rules/sql';
import { tagIdSql } from '../rules/tags';
import { digestAgg, digestSql, md5Of, md5Row, vectorBytes } from './digest';
import { notQ, one, type VerifyCtx } from './context';
import type { Digest } from './legacy';

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
 * aggregate the tag rows, and both sides of rule 6.
 */
export const RULE_ORDER = ['chunks', 'templates', 'slots', 'tags', 'chunk_tags', 'embeddings'] as const;

export async function remainingDigests(ctx: VerifyCtx, vectorSchema: string, beat: (what: string) => void): Promise<{ source: Record<string, Digest>; target: Record<string, Digest> }> {
  const { t, plan } = ctx;
  const L = plan.legacy;
  const liveChunk = (c: string) => notQ(L.chunks, `${c}.id::text`);
  const liveTag = (x: string) => notQ(L.tags, tagRowKeySql(x));
  const vec = (e: string) => vectorBytes(vectorSchema, `${e}.vector`);
  const source: Record<string, Digest> = {};
  const target: Record<string, Digest> = {};
  beat('checksum tags');
  // Rules 4 and 5 over the live tag rows, one statement each: rule 4 one tag chunk per (text_id,
  // tag_content), updated_at = created_at (the copy's deterministic choice: the runbook's now()
  // could never verify); rule 5 metadata.tags of every tagged chunk, distinct and sorted by code
  // point. Grouped alone, each sorts its rows once by the group and the aggregate's order (the
  // aggregates then read presorted input) instead of one sort per group.
  const live = `from ${t.tags} x join ${t.chunks} c on c.id = x.chunk_id where ${liveTag('x')} and ${liveChunk('c')}`;
  source.tags = await one<Digest>(ctx, digestSql(`select ${md5Row(`${tagIdSql('c.text_id', 'x.tag_content')}, c.text_id, x.tag_content, false, false, null::uuid, null::uuid, null::text, 0, 0,
               jsonb_build_object('type', 'tag', 'original_chunk_ids',
                                  jsonb_agg(distinct x.chunk_id::text collate "C" order by x.chunk_id::text collate "C")),
               min(x.created_at), min(x.created_at)`)}
      ${live} group by c.text_id, x.tag_content`));
  source.chunk_tags = await one<Digest>(ctx, digestSql(`select ${md5Row(`x.chunk_id, jsonb_agg(distinct x.tag_content collate "C" order by x.tag_content collate "C")`)}
      ${live} group by x.chunk_id`));
  if (plan.steps.includes('embeddings')) {
    beat('checksum embeddings');
    // Rule 6: the winner of each (chunk, model) group.
    source.embeddings = await one<Digest>(
      ctx,
      digestSql(`select distinct on (e.chunk_id, coalesce(e.model_name, $2))
                      ${md5Row(`e.id, e.chunk_id, ${vec('e')}, coalesce(e.model_name, $2), e.created_at`)}
                 from ${t.embeddings} e where ${notQ(L.embeddings, 'e.id::text')}
                order by e.chunk_id, coalesce(e.model_name, $2), coalesce(e.created_at, '-infinity') desc, e.id desc`),
      [plan.embeddings.defaultModel],
    );
    target.embeddings = await one<Digest>(ctx, digestSql(`select ${md5Row(`e.id, e.chunk_id, ${vec('e')}, e.model_name, e.created_at`)} from ${t.targetEmbeddings} e`));
  }
  return { source, target };
}

/** The checksums in the report's order, from the digests of both sides. */
export function ruleChecksums(source: Record<string, Digest>, target: Record<string, Digest>): RuleChecksum[] {
  return RULE_ORDER.filter((rule) => source[rule] && target[rule]).map((rule) => {
    const s = source[rule];
    const d = target[rule];
    return { rule, source: s.digest, target: d.digest, rows: { source: s.n, target: d.n }, match: s.digest === d.digest };
  });
}

/** The schema of the vector extension, for vector_send. */
export async function vectorSchemaOf(ctx: VerifyCtx): Promise<string> {
  const { rows } = await ctx.client.query<{ s: string | null }>(
    `select quote_ident(n.nspname) as s from pg_extension x join pg_namespace n on n.oid = x.extnamespace where x.extname = 'vector'`,
  );
  return rows[0]?.s ?? 'public';
}
