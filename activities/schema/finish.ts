import type pg from 'pg';
import type { Plan } from '../../common/plan';
import { ident, inTransaction, qualified, terminateLeftovers } from '../db';
import { KEEP_ALIVE_MS } from '../heartbeat';
import { recordCreatedObject } from './created';
import { chunkIndexes, foreignKeys } from './ddl';

/** Heartbeat stand-in; the activity passes Temporal's. */
export type Beat = (detail: unknown) => void;

/** Runs one long statement while beating every KEEP_ALIVE_MS, so the activity's heartbeat timeout can be short. */
async function beatingQuery(client: pg.ClientBase, sql: string, beat: Beat, detail: unknown): Promise<void> {
  beat(detail);
  const timer = setInterval(() => beat(detail), KEEP_ALIVE_MS);
  try {
    await client.query(sql);
  } finally {
    clearInterval(timer);
  }
}

async function indexState(client: pg.ClientBase, schema: string, name: string): Promise<'absent' | 'valid' | 'invalid'> {
  const { rows } = await client.query<{ valid: boolean }>(
    `select i.indisvalid and i.indisready as valid
       from pg_class c join pg_namespace n on n.oid = c.relnamespace join pg_index i on i.indexrelid = c.oid
      where n.nspname = $1 and c.relname = $2`,
    [schema, name],
  );
  if (!rows[0]) return 'absent';
  return rows[0].valid ? 'valid' : 'invalid';
}

/**
 * CREATE INDEX CONCURRENTLY cannot run in a transaction, so the client must be idle (autocommit).
 * A build killed half way leaves an INVALID index under the same name: it is dropped
 * (concurrently too) and built again. The object is recorded before the build so a crash during it
 * still leaves the index on the compensation list.
 */
export async function ensureIndexes(client: pg.ClientBase, runId: string, plan: Plan, beat: Beat): Promise<string[]> {
  const done: string[] = [];
  for (const idx of chunkIndexes(plan)) {
    await ensureIndex(client, runId, plan.schema, idx, beat);
    done.push(idx.name);
  }
  return done;
}

/**
 * One index as above: built when absent, dropped and rebuilt when INVALID. A build of the same
 * index still running on a dead connection (its worker was killed; the backend goes on until the
 * statement ends) is terminated first: it would otherwise block the drop and the rebuild. Returns
 * whether it was built.
 */
export async function ensureIndex(
  client: pg.ClientBase,
  runId: string,
  schema: string,
  idx: { name: string; sql: string },
  beat: Beat,
): Promise<boolean> {
  await terminateLeftovers(client, null, idx.sql);
  const state = await indexState(client, schema, idx.name);
  if (state === 'valid') return false;
  await recordCreatedObject(client, runId, 'index', `${schema}.${idx.name}`);
  if (state === 'invalid') await beatingQuery(client, `drop index concurrently if exists ${qualified(schema, idx.name)}`, beat, { drop: idx.name });
  await beatingQuery(client, idx.sql, beat, { index: idx.name });
  return true;
}

async function constraintState(client: pg.ClientBase, schema: string, table: string, name: string) {
  const { rows } = await client.query<{ validated: boolean }>(
    `select con.convalidated as validated
       from pg_constraint con join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relname = $2 and con.conname = $3`,
    [schema, table, name],
  );
  return rows[0] ? (rows[0].validated ? 'valid' : 'not_valid') : 'absent';
}

/**
 * Each FK is added NOT VALID (a short lock, no scan) and then validated under SHARE UPDATE
 * EXCLUSIVE, which lets writes go on. lock_timeout keeps us from queueing behind a long
 * transaction on `texts` and blocking the application; the activity's retry tries again.
 *
 * `beforeValidate` runs after every FK exists and before the first VALIDATE: under live writes
 * it replays what is left, so a text the application deleted after its chunks were copied is gone
 * from the target too (from then on the FK's ON DELETE CASCADE keeps it so).
 */
export async function ensureForeignKeys(
  client: pg.ClientBase,
  runId: string,
  plan: Plan,
  beat: Beat,
  beforeValidate?: () => Promise<void>,
): Promise<string[]> {
  const toValidate: { table: string; name: string }[] = [];
  for (const fk of foreignKeys(plan)) {
    let state = await constraintState(client, plan.schema, fk.table, fk.name);
    if (state === 'absent') {
      await inTransaction(client as pg.Client, async (tx) => {
        await tx.query(`set local lock_timeout = '10s'`);
        await tx.query(fk.sql);
        await recordCreatedObject(tx, runId, 'constraint', `${plan.schema}.${fk.table}.${fk.name}`);
      });
      state = 'not_valid';
    }
    if (state === 'not_valid') toValidate.push(fk);
  }
  if (toValidate.length > 0 && beforeValidate) await beforeValidate();
  for (const fk of toValidate) {
    await client.query(`set lock_timeout = '10s'`);
    try {
      await beatingQuery(client, `alter table ${qualified(plan.schema, fk.table)} validate constraint ${ident(fk.name)}`, beat, { constraint: fk.name });
    } finally {
      await client.query(`reset lock_timeout`);
    }
  }
  return foreignKeys(plan).map((fk) => fk.name);
}

/**
 * Fresh statistics for the target tables before verify plans its joins over them: right after the
 * bulk copy they have none until autovacuum gets there, minutes later. ANALYZE reads a sample
 * (30,000 rows by default), so it costs seconds, not a scan.
 */
export async function analyzeTargets(client: pg.ClientBase, plan: Plan, beat: Beat): Promise<void> {
  for (const table of [plan.target.chunks, plan.target.embeddings]) {
    await beatingQuery(client, `analyze ${qualified(plan.schema, table)}`, beat, { analyze: table });
  }
}
