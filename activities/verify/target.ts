import type { VerifyReport } from '../../common/steps';
import { digestAgg, md5Of } from './digest';
import { kindSql, one, type TargetKind, type VerifyCtx } from './context';
import type { Digest } from './legacy';

const KINDS: TargetKind[] = ['chunks', 'templates', 'slots', 'tags'];

/** The columns of chunks_unified in a fixed order; `meta` replaces metadata where a rule checks only part of it. */
export const targetCols = (u: string, meta = `${u}.metadata`) =>
  `${u}.id, ${u}.text_id, ${u}.content, ${u}.is_template, ${u}.is_slot, ${u}.parent_chunk_id, ${u}.template_chunk_id,
   ${u}.slot_value, ${u}.indent_level, ${u}.sequence_number, ${meta}, ${u}.created_at, ${u}.updated_at`;

export type BasicChecks = Pick<VerifyReport['checks'], 'orphaned_chunks' | 'invalid_template_refs' | 'missing_embeddings' | 'invalid_metadata'>;

/**
 * The target side of verify (contract section 5), in a few set-based statements:
 *  - one scan of chunks_unified: rows per kind, the target side of the checksums of rules 1-5
 *    (rule 1 without metadata.tags, which rule 5 checks alone), and the shape of every row's
 *    metadata (a JSON object; a tag chunk's original_chunk_ids a non-empty array; `tags` and
 *    `slot_instances` arrays, slot_instances only on slots). Row md5s are the bulk of its cost and
 *    are computed by the scan's parallel workers when the server has them (the caller's settings);
 *  - anti joins, each a hash over the table instead of one probe per row, for the references:
 *    orphaned_chunks (parent_chunk_id not in the target), invalid_template_refs (template_chunk_id
 *    not a template), missing_embeddings (a regular chunk without an embedding, a warning), and the
 *    tag chunks whose metadata is well shaped but names an original chunk that is not a regular
 *    chunk of the target (counted with invalid_metadata; a row is counted once).
 */
export async function targetPass(ctx: VerifyCtx): Promise<{ counts: Record<TargetKind, number>; digests: Record<string, Digest>; checks: BasicChecks }> {
  const { t } = ctx;
  const kind = `case when ${kindSql('templates')} then 'templates' when ${kindSql('slots')} then 'slots'
                     when ${kindSql('tags')} then 'tags' else 'chunks' end`;
  const inner = `select k,
       ${md5Of(targetCols('u', `case when k = 'chunks' then u.metadata - 'tags' else u.metadata end`))} as h,
       case when k = 'chunks' and u.metadata ? 'tags' then ${md5Of(`u.id, u.metadata -> 'tags'`)} end as h_tags,
       ${badShape('u', 'k')} as bad_shape
     from ${t.target} u cross join lateral (select ${kind} as k) kk
   offset 0`;
  const cols: string[] = [];
  for (const k of KINDS) {
    const d = digestAgg(`case when k = '${k}' then h end`);
    cols.push(`count(*) filter (where k = '${k}')::int as ${k}`, `${d.n} as ${k}_n`, `${d.digest} as ${k}_d`);
  }
  const tags = digestAgg('h_tags');
  cols.push(`${tags.n} as chunk_tags_n`, `${tags.digest} as chunk_tags_d`, `count(*) filter (where bad_shape)::int as bad_shape`);
  const r = await one<Record<string, number | string>>(ctx, `select ${cols.join(',\n')} from (${inner}) s`);
  const digests: Record<string, Digest> = {};
  for (const rule of [...KINDS, 'chunk_tags']) digests[rule] = { n: Number(r[`${rule}_n`]), digest: String(r[`${rule}_d`]) };
  const count = async (sql: string) => (await one<{ n: number }>(ctx, `select count(*)::int as n from ${sql}`)).n;
  const orphaned = await count(`${t.target} u where u.parent_chunk_id is not null
      and not exists (select 1 from ${t.target} p where p.id = u.parent_chunk_id)`);
  const badTemplate = await count(`${t.target} u where u.template_chunk_id is not null
      and not exists (select 1 from ${t.target} p where p.id = u.template_chunk_id and p.is_template)`);
  const noEmbedding = await count(`${t.target} u where ${kindSql('chunks')}
      and not exists (select 1 from ${t.targetEmbeddings} e where e.chunk_id = u.id)`);
  // An element that is not the text of a regular chunk's id (not a string, not a uuid, absent,
  // another kind) finds no partner in the left join; uuid text is lower case, as the copy writes it.
  const badOriginals = await count(`(select distinct x.id from (
        select u.id, o.v from ${t.target} u cross join lateral jsonb_array_elements_text(u.metadata -> 'original_chunk_ids') o(v)
         where ${kindSql('tags')} and not ${badShape('u', `'tags'`)}) x
        left join ${t.target} c on c.id::text = x.v and ${kindSql('chunks', 'c')}
       where c.id is null) b`);
  return {
    counts: { chunks: Number(r.chunks), templates: Number(r.templates), slots: Number(r.slots), tags: Number(r.tags) },
    digests,
    checks: {
      orphaned_chunks: orphaned,
      invalid_template_refs: badTemplate,
      missing_embeddings: noEmbedding,
      invalid_metadata: Number(r.bad_shape) + badOriginals,
    },
  };
}

/**
 * Metadata of the wrong shape, for row `u` of kind `k` (an SQL expression): not a JSON object; a
 * tag chunk's original_chunk_ids not a non-empty array; `tags` or `slot_instances` not arrays, or
 * slot_instances on a row that is not a slot. Never null: a row is either well shaped or not.
 */
function badShape(u: string, k: string): string {
  return `coalesce(${u}.metadata is null or jsonb_typeof(${u}.metadata) <> 'object'
         or (${k} = 'tags' and (jsonb_typeof(${u}.metadata -> 'original_chunk_ids') is distinct from 'array'
              or jsonb_array_length(${u}.metadata -> 'original_chunk_ids') = 0))
         or (${u}.metadata ? 'tags' and jsonb_typeof(${u}.metadata -> 'tags') is distinct from 'array')
         or (${u}.metadata ? 'slot_instances' and (jsonb_typeof(${u}.metadata -> 'slot_instances') is distinct from 'array'
              or not coalesce(${u}.is_slot, false))), false)`;
}
