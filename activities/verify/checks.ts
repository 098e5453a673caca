import type { VerifyReport } from '../../common/steps';
import { kindSql, one, type VerifyCtx } from './context';

/** Hierarchies deeper than this many levels are reported (the runbook's limit). */
export const MAX_DEPTH = 15;

const UUID_RE = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/**
 * The runbook's consistency checks on the target, plus the structural ones of contract section 5.
 *  - cycles: chunks not reachable from a root (a row without parent, or whose parent is missing);
 *    every such chunk is on a parent cycle or hangs below one. Walked top-down, so each row is
 *    visited once and the walk ends even when cycles exist.
 *  - deep_hierarchies: roots whose hierarchy has more than MAX_DEPTH levels (root = level 1).
 *  - invalid_metadata: metadata not a JSON object, a tag chunk without a non-empty
 *    original_chunk_ids array of chunk ids present in the target, `tags` / `slot_instances` not arrays
 *    (or slot_instances on a row that is not a slot).
 */
export async function integrityChecks(ctx: VerifyCtx): Promise<VerifyReport['checks']> {
  const { t } = ctx;
  const basic = await one<{ orphaned_chunks: number; invalid_template_refs: number; missing_embeddings: number; invalid_metadata: number }>(
    ctx,
    `select count(*) filter (where u.parent_chunk_id is not null
                               and not exists (select 1 from ${t.target} p where p.id = u.parent_chunk_id))::int as orphaned_chunks,
            count(*) filter (where u.template_chunk_id is not null
                               and not exists (select 1 from ${t.target} p where p.id = u.template_chunk_id and p.is_template))::int
              as invalid_template_refs,
            count(*) filter (where ${kindSql('chunks')}
                               and not exists (select 1 from ${t.targetEmbeddings} e where e.chunk_id = u.id))::int as missing_embeddings,
            count(*) filter (where u.metadata is null or jsonb_typeof(u.metadata) <> 'object'
               or (${kindSql('tags')} and (jsonb_typeof(u.metadata -> 'original_chunk_ids') is distinct from 'array'
                    or jsonb_array_length(u.metadata -> 'original_chunk_ids') = 0
                    or exists (select 1 from jsonb_array_elements(u.metadata -> 'original_chunk_ids') o
                                where case when jsonb_typeof(o) = 'string' and (o #>> '{}') ~ '${UUID_RE}'
                                           then not exists (select 1 from ${t.target} c
                                                             where c.id = (o #>> '{}')::uuid and ${kindSql('chunks', 'c')})
                                           else true end)))
               or (u.metadata ? 'tags' and jsonb_typeof(u.metadata -> 'tags') is distinct from 'array')
               or (u.metadata ? 'slot_instances' and (jsonb_typeof(u.metadata -> 'slot_instances') is distinct from 'array'
                    or not coalesce(u.is_slot, false))))::int as invalid_metadata
       from ${t.target} u`,
  );
  const tree = await one<{ unreached: number; deep: number }>(
    ctx,
    `with recursive walk(id, root, lvl) as (
       select u.id, u.id, 1 from ${t.target} u
        where u.parent_chunk_id is null or not exists (select 1 from ${t.target} p where p.id = u.parent_chunk_id)
       union all
       select c.id, w.root, w.lvl + 1 from ${t.target} c join walk w on c.parent_chunk_id = w.id)
     select (select count(*) from ${t.target})::int - (select count(distinct id) from walk)::int as unreached,
            (select count(distinct root) from walk where lvl > ${MAX_DEPTH})::int as deep`,
  );
  return { ...basic, cycles: tree.unreached, deep_hierarchies: tree.deep };
}
