import { createHash } from 'node:crypto';
import type pg from 'pg';
import { ident } from '../db';

/**
 * Per-run staging tables in stp_migration. The legacy tags and instances tables have no index on
 * chunk_id / slot_id (and we do not add any to legacy tables), so looking them up per batch would
 * scan them once per batch: quadratic on a large database. Instead the first batch that needs one
 * builds it once, aggregated and keyed, in its own transaction (so a crash leaves it complete or
 * absent), and the rule drops it in the transaction that marks the rule finished.
 * Regular (logged) tables: an unlogged one would come back empty after a server crash.
 */
export const STAGES = ['chunk_tags', 'tag_groups', 'slot_values'] as const;
export type Stage = (typeof STAGES)[number];

export function stageTable(runId: string, stage: Stage): string {
  const hash = createHash('md5').update(runId).digest('hex').slice(0, 16);
  return `stp_migration.${ident(`stage_${hash}_${stage}`)}`;
}

// Stages known to exist, per activity input (one slice): its later batches skip the two lookups.
const known = new WeakMap<object, Set<string>>();

/**
 * Creates and fills the stage unless it exists. `columns` is the column list of the create,
 * `fill` an `insert … select` body (after `insert into <table>`) with its params. `slice` (the
 * activity's input object) remembers that the stage exists for the rest of that slice: only the
 * transaction that marks the rule finished drops it, and that ends the slice.
 */
export async function ensureStage(
  client: pg.ClientBase,
  runId: string,
  stage: Stage,
  columns: string,
  fill: { sql: string; params: unknown[] },
  slice?: object,
): Promise<string> {
  const table = stageTable(runId, stage);
  const seen = slice ? (known.get(slice) ?? new Set<string>()) : undefined;
  if (slice && seen) known.set(slice, seen);
  if (seen?.has(table)) return table;
  const made = await create(client, table, columns, fill);
  seen?.add(table);
  return made;
}

/** The slice's batch was rolled back: a stage it made is gone, so look again. */
export function forgetStages(slice: object): void {
  known.delete(slice);
}

async function create(client: pg.ClientBase, table: string, columns: string, fill: { sql: string; params: unknown[] }): Promise<string> {
  await client.query(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [table]);
  const { rows } = await client.query<{ reg: string | null }>(`select to_regclass($1)::text as reg`, [table]);
  if (rows[0].reg) return table;
  await client.query(`create table ${table} (${columns})`);
  await client.query(`insert into ${table} ${fill.sql}`, fill.params);
  await client.query(`analyze ${table}`);
  return table;
}

export async function dropStages(client: pg.ClientBase, runId: string, stages: readonly Stage[] = STAGES): Promise<void> {
  for (const stage of stages) await client.query(`drop table if exists ${stageTable(runId, stage)}`);
}
