import pg from 'pg';
import { BadInputError } from '../common/errors';

/** Resolves a database name from workflow input to a pool; built once by the worker. */
export interface Pools {
  get(database: string): pg.Pool;
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

/** Quotes a validated identifier. Plans are validated before they reach SQL; this is the last guard. */
export function ident(name: string): string {
  if (!IDENT.test(name)) throw new BadInputError(`invalid SQL identifier ${JSON.stringify(name)}`);
  return `"${name}"`;
}

/** Schema-qualified, quoted name. */
export function qualified(schema: string, name: string): string {
  return `${ident(schema)}.${ident(name)}`;
}

export async function withClient<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await fn(client);
  } finally {
    client.release();
  }
}

export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, async (client) => inTransaction(client, fn));
}

export async function inTransaction<T>(client: pg.PoolClient | pg.Client, fn: (client: any) => Promise<T>): Promise<T> {
  await client.query('begin');
  try {
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  }
}

/** A stable 64-bit advisory lock key for a name, computed by the server (hashtext is stable). */
export const ADVISORY_LOCK_SQL = `select pg_try_advisory_lock(hashtextextended($1, 0)) as locked`;

/**
 * Runs fn while holding a session-level advisory lock; returns undefined without running fn when
 * another session holds it.
 */
export async function withAdvisoryLock<T>(
  pool: pg.Pool,
  name: string,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<{ locked: true; value: T } | { locked: false }> {
  return withClient(pool, async (client) => {
    const { rows } = await client.query<{ locked: boolean }>(ADVISORY_LOCK_SQL, [name]);
    if (!rows[0]?.locked) return { locked: false as const };
    try {
      return { locked: true as const, value: await fn(client) };
    } finally {
      await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [name]);
    }
  });
}

/** Keeps Postgres' code, detail and hint in the message that reaches Temporal and the operator. */
export function describePgError(err: unknown): string {
  const e = err as { message?: string; code?: string; detail?: string; hint?: string };
  const parts = [e.message ?? String(err)];
  if (e.code) parts.push(`(SQLSTATE ${e.code})`);
  if (e.detail) parts.push(`detail: ${e.detail}`);
  if (e.hint) parts.push(`hint: ${e.hint}`);
  return parts.join(' ');
}
