import type pg from 'pg';
import type { LegacyNames } from './context';

/**
 * The chunks on a parent_chunk_id cycle, as `select id, cycle_len`.
 *
 * Walking up from every chunk with a path array costs O(n·depth) rows. Instead: walk DOWN from the
 * roots (no parent, or a parent that is not a chunk); that reaches every chunk not on or below a
 * cycle exactly once, so it costs O(n) rows and `depth` iterations. Only the few chunks left over
 * (cycles and what hangs below them) are walked up with a path, and a chunk is on a cycle when
 * its walk comes back to itself. Each iteration reuses the hash of the chunks table as long as it
 * fits in one batch: see tuneForHierarchy.
 */
export function cycleSql(t: LegacyNames): string {
  const chunks = t.q.chunks;
  return `with recursive reach(id) as (
      select c.id from ${chunks} c
       where c.parent_chunk_id is null
          or not exists (select 1 from ${chunks} p where p.id = c.parent_chunk_id)
      union all
      select c.id from reach h join ${chunks} c on c.parent_chunk_id = h.id
    ), rest as materialized (
      select c.id, c.parent_chunk_id as parent from ${chunks} c
       where not exists (select 1 from reach h where h.id = c.id)
    ), walk(start, node, path) as (
      select id, parent, array[id] from rest
      union all
      select w.start, x.parent, w.path || x.id from walk w join rest x on x.id = w.node
       where not (w.node = any(w.path))
    )
    select start as id, cardinality(path) as cycle_len from walk where node = start`;
}

/** A recursive walk's hash of (id, parent) per row: tuple, bucket and join overhead, measured on PostgreSQL 17 with some margin. */
export const WALK_HASH_BYTES_PER_ROW = 100;

/**
 * Session settings for the recursive walks of the current transaction: a hash join inside a
 * recursive CTE is rebuilt on every iteration unless it fits in one batch, which turns O(n) into
 * O(n·depth); so work_mem is raised for this transaction to hold the chunks' (id, parent) hash
 * (bounded at 1 GB). JIT only adds compile time to these plans.
 */
export async function tuneForHierarchy(client: pg.ClientBase, t: LegacyNames): Promise<void> {
  const { rows } = await client.query<{ n: string }>(
    // reltuples is -1 before the first analyze: fall back to the size (legacy chunk rows are > 100 bytes)
    `select greatest(reltuples, pg_relation_size(oid) / 100, 0)::bigint::text as n from pg_class where oid = to_regclass($1)`,
    [t.q.chunks],
  );
  const estimate = Number(rows[0]?.n ?? 0);
  const mb = Math.min(1024, Math.max(64, Math.ceil((estimate * WALK_HASH_BYTES_PER_ROW) / 2 ** 20)));
  await client.query(`select set_config('work_mem', $1, true), set_config('jit', 'off', true)`, [`${mb}MB`]);
}
