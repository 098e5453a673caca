import type { RuleChecksum } from '../../common/steps';
import { slotInstancesSql, slotValueSql } from '../rules/slots';
import { tagRowKeySql } from '../rules/sql';
import { tagIdSql } from '../rules/tags';
import { kindSql, notQ, one, type VerifyCtx } from './context';

/**
 * A content checksum per mapping rule, computed in SQL on both sides: each side yields one md5 per
 * row over `row(...)::text` of the row as the contract maps it (legacy side: the mapping applied
 * here, independently of the copy's SQL except the shared tag-id and slot-instance expressions;
 * target side: the stored columns). Rows are combined order-independently: the count and the sums,
 * as numeric, of both 64-bit halves of every md5. A changed byte changes its row's md5 and hence the
 * sums unless two 64-bit halves collide at once (2^-128 by chance); unlike xor, duplicated rows do
 * not cancel out. No row leaves the server; each side is one scan (rule 6's legacy side one sort).
 */
export const digestSql = (rowsSql: string) => `
  select count(*)::int as n,
         md5(count(*) || ':' || coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0)
                      || ':' || coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0)) as digest
    from (${rowsSql}) r`;

const md5Row = (cols: string) => `md5(row(${cols})::text) as h`;

/** The columns of chunks_unified in a fixed order; `meta` replaces metadata where a rule checks only part of it. */
const targetCols = (u: string, meta = `${u}.metadata`) =>
  `${u}.id, ${u}.text_id, ${u}.content, ${u}.is_template, ${u}.is_slot, ${u}.parent_chunk_id, ${u}.template_chunk_id,
   ${u}.slot_value, ${u}.indent_level, ${u}.sequence_number, ${meta}, ${u}.created_at, ${u}.updated_at`;

interface RuleSql {
  rule: string;
  source: string;
  target: string;
  params?: unknown[];
}

export function ruleSql(ctx: VerifyCtx): RuleSql[] {
  const { t, plan } = ctx;
  const L = plan.legacy;
  const liveChunk = (c: string) => notQ(L.chunks, `${c}.id::text`);
  const liveTag = (x: string) => notQ(L.tags, tagRowKeySql(x));
  return [
    {
      // Rule 1; metadata.tags is rule 5's and checked there.
      rule: 'chunks',
      source: `select ${md5Row(`c.id, c.text_id, c.content, false, false, c.parent_chunk_id, null::uuid, null::text,
                 c.indent_level, c.sequence_number, '{}'::jsonb, c.created_at, c.updated_at`)}
                 from ${t.chunks} c where ${liveChunk('c')}`,
      target: `select ${md5Row(targetCols('u', `u.metadata - 'tags'`))} from ${t.target} u where ${kindSql('chunks')}`,
    },
    {
      rule: 'templates',
      source: `select ${md5Row(`x.id, x.text_id, x.content, true, false, null::uuid, null::uuid, null::text, 0, 0,
                 '{}'::jsonb, x.created_at, x.updated_at`)}
                 from ${t.templates} x where ${notQ(L.templates, 'x.id::text')}`,
      target: `select ${md5Row(targetCols('u'))} from ${t.target} u where ${kindSql('templates')}`,
    },
    {
      rule: 'slots',
      source: `select ${md5Row(`s.id, p.text_id, s.slot_name, false, true, s.template_id, s.template_id, coalesce(a.v, ''),
                 1, s.slot_order, case when a.n >= 2 then jsonb_build_object('slot_instances', a.inst) else '{}'::jsonb end,
                 s.created_at, s.updated_at`)}
                 from ${t.slots} s join ${t.templates} p on p.id = s.template_id
                 left join (select i.slot_id, ${slotValueSql('i')} as v, count(*) as n, ${slotInstancesSql('i')} as inst
                              from ${t.instances} i where ${notQ(L.instances, 'i.id::text')} group by i.slot_id) a on a.slot_id = s.id
                where ${notQ(L.slots, 's.id::text')}`,
      target: `select ${md5Row(targetCols('u'))} from ${t.target} u where ${kindSql('slots')}`,
    },
    {
      // Rule 4: one tag chunk per (text_id, tag_content); updated_at = created_at (the copy's
      // deterministic choice: the runbook's now() could never verify).
      rule: 'tags',
      source: `select ${md5Row(`${tagIdSql('g.text_id', 'g.tag_content')}, g.text_id, g.tag_content, false, false, null::uuid,
                 null::uuid, null::text, 0, 0, jsonb_build_object('type', 'tag', 'original_chunk_ids', g.ids), g.at, g.at`)}
                 from (select c.text_id, x.tag_content, min(x.created_at) as at,
                              jsonb_agg(distinct x.chunk_id::text collate "C" order by x.chunk_id::text collate "C") as ids
                         from ${t.tags} x join ${t.chunks} c on c.id = x.chunk_id
                        where ${liveTag('x')} and ${liveChunk('c')}
                        group by c.text_id, x.tag_content) g`,
      target: `select ${md5Row(targetCols('u'))} from ${t.target} u where ${kindSql('tags')}`,
    },
    {
      // Rule 5: metadata.tags of every tagged chunk, distinct and sorted by code point.
      rule: 'chunk_tags',
      source: `select ${md5Row(`x.chunk_id, jsonb_agg(distinct x.tag_content collate "C" order by x.tag_content collate "C")`)}
                 from ${t.tags} x join ${t.chunks} c on c.id = x.chunk_id
                where ${liveTag('x')} and ${liveChunk('c')} group by x.chunk_id`,
      target: `select ${md5Row(`u.id, u.metadata -> 'tags'`)} from ${t.target} u where ${kindSql('chunks')} and u.metadata ? 'tags'`,
    },
    {
      // Rule 6: the winner of each (chunk, model) group.
      rule: 'embeddings',
      source: `select distinct on (e.chunk_id, coalesce(e.model_name, $2))
                      ${md5Row(`e.id, e.chunk_id, e.vector, coalesce(e.model_name, $2), e.created_at`)}
                 from ${t.embeddings} e where ${notQ(L.embeddings, 'e.id::text')}
                order by e.chunk_id, coalesce(e.model_name, $2), coalesce(e.created_at, '-infinity') desc, e.id desc`,
      target: `select ${md5Row('e.id, e.chunk_id, e.vector, e.model_name, e.created_at')} from ${t.targetEmbeddings} e`,
      params: [plan.embeddings.defaultModel],
    },
  ];
}

export async function ruleChecksums(ctx: VerifyCtx, beat: (what: string) => void): Promise<RuleChecksum[]> {
  const out: RuleChecksum[] = [];
  for (const r of ruleSql(ctx)) {
    beat(`checksum ${r.rule}`);
    const s = await one<{ n: number; digest: string }>(ctx, digestSql(r.source), r.params);
    const d = await one<{ n: number; digest: string }>(ctx, digestSql(r.target));
    out.push({ rule: r.rule, source: s.digest, target: d.digest, rows: { source: s.n, target: d.n }, match: s.digest === d.digest });
  }
  return out;
}
