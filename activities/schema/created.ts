import type pg from 'pg';
import { PreconditionError } from '../../common/errors';

/**
 * What a run created, kept in stp_migration.runs.created_objects as a jsonb array of {kind, name},
 * so compensation drops exactly that and never anything it found. Written in the same transaction as
 * the DDL where Postgres allows it (not for CREATE INDEX CONCURRENTLY: there the record comes first).
 *
 * Names: table `schema.table`, index `schema.index`, constraint `schema.table.constraint`.
 */
export type CreatedKind = 'table' | 'index' | 'constraint' | 'graph';
export interface CreatedObject {
  kind: CreatedKind | string;
  name: string;
}

/** Idempotent: recording the same object twice keeps one entry. */
export async function recordCreatedObject(client: pg.ClientBase, runId: string, kind: string, name: string): Promise<void> {
  // A run normally holds its row from acquireRun; tolerate a missing one (e.g. a step run on its own),
  // but never by stealing the lease: the partial unique index makes this a no-op when another run is active.
  await client.query(`insert into stp_migration.runs (run_id, status) values ($1, 'running') on conflict do nothing`, [runId]);
  const obj = JSON.stringify([{ kind, name }]);
  const { rowCount } = await client.query(
    `update stp_migration.runs
        set created_objects = case when created_objects @> $2::jsonb then created_objects else created_objects || $2::jsonb end
      where run_id = $1`,
    [runId, obj],
  );
  if (!rowCount) throw new PreconditionError(`run ${runId} is not registered in stp_migration.runs (another run is active?)`);
}

export async function createdObjects(client: pg.ClientBase, runId: string): Promise<CreatedObject[]> {
  const { rows } = await client.query<{ objs: CreatedObject[] | null }>(
    `select created_objects as objs from stp_migration.runs where run_id = $1`,
    [runId],
  );
  return rows[0]?.objs ?? [];
}
