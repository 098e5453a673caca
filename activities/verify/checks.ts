import type { VerifyReport } from '../../common/steps';
import { WALK_HASH_BYTES_PER_ROW } from '../defects/hierarchy';
import { one, type VerifyCtx } from './context';

/** Hierarchies deeper than this many levels are reported (the runbook's limit). */
export const MAX_DEPTH = 15;

/** Above this the walk probes the parent index instead: about 5M rows of chunks_unified. */
export const WALK_HASH_MAX_MB = 512;

/**
 * The structural checks of contract section 5 on the parent hierarchy of chunks_unified:
 *  - cycles: chunks not reachable from a root (a row without parent, or whose parent is missing);
 *    every such chunk is on a parent cycle or hangs below one. Walked top-down from the roots:
 *    a row has one parent, so the walk reaches it at most once (count(*), no distinct) and ends
 *    even when cycles exist.
 *  - deep_hierarchies: roots whose hierarchy has more than MAX_DEPTH levels (root = level 1).
 * How each level finds its children:
 *  - a hash of the whole table by parent_chunk_id, built once and probed by every level (a hash
 *    join whose inner side does not change is not rebuilt when the walk rescans it), when that
 *    hash fits in WALK_HASH_MAX_MB of memory; work_mem is raised for this statement to hold it;
 *  - else the parent index (finishTargetSchema builds it), one probe per row, instead of
 *    hash-joining a fresh scan of the whole table per level. Without that index (a verify before
 *    the schema was finished) the planner chooses as it likes.
 */
export async function hierarchyChecks(ctx: VerifyCtx): Promise<Pick<VerifyReport['checks'], 'cycles' | 'deep_hierarchies'>> {
  const { t, client } = ctx;
  const { rows } = await client.query<{ indexed: boolean; rows: number; mult: number }>(
    `select exists (select 1 from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
                     where i.indrelid = to_regclass($1) and a.attname = 'parent_chunk_id' and i.indisvalid) as indexed,
            greatest((select reltuples from pg_class where oid = to_regclass($1)), 0)::float8 as rows,
            current_setting('hash_mem_multiplier')::float8 as mult`,
    [t.target],
  );
  // reltuples: verify ANALYZEs the target first; -1 (never analyzed) takes the index, as before.
  const hashMb = Math.ceil((rows[0].rows * WALK_HASH_BYTES_PER_ROW) / 2 ** 20);
  const settings: Record<string, string> = rows[0].rows > 0 && hashMb <= WALK_HASH_MAX_MB
    ? { work_mem: `${Math.max(4, Math.ceil(hashMb / Math.max(1, rows[0].mult)))}MB`, enable_nestloop: 'off', enable_mergejoin: 'off' }
    : rows[0].indexed ? { enable_hashjoin: 'off', enable_mergejoin: 'off' } : {};
  const before: Record<string, string> = {};
  for (const [name, value] of Object.entries(settings)) {
    const { rows: old } = await client.query<{ v: string }>(`select current_setting($1) as v, set_config($1, $2, true)`, [name, value]);
    before[name] = old[0].v;
  }
  try {
    const tree = await one<{ unreached: number; deep: number }>(
      ctx,
      `with recursive walk(id, root, lvl) as (
         select u.id, u.id, 1 from ${t.target} u
          where u.parent_chunk_id is null or not exists (select 1 from ${t.target} p where p.id = u.parent_chunk_id)
         union all
         select c.id, w.root, w.lvl + 1 from walk w join ${t.target} c on c.parent_chunk_id = w.id)
       select (select count(*) from ${t.target})::int - (select count(*) from walk)::int as unreached,
              (select count(distinct root) from walk where lvl > ${MAX_DEPTH})::int as deep`,
    );
    return { cycles: tree.unreached, deep_hierarchies: tree.deep };
  } finally {
    for (const [name, value] of Object.entries(before)) await client.query(`select set_config($1, $2, true)`, [name, value]).catch(() => undefined);
  }
}
