import type pg from 'pg';
import { q } from './config';
import type { Page } from './store';

/** Helpers shared by the v1 and v2 data layers. */
export async function withTx<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query('begin');
    const out = await fn(c);
    await c.query('commit');
    return out;
  } catch (err) {
    await c.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}

export async function page(pool: pg.Pool, table: string, columns: string, order: string, limit: number, offset: number): Promise<Page<Record<string, unknown>>> {
  const [rows, count] = await Promise.all([
    pool.query(`select ${columns} from ${q(table)} order by ${order} limit $1 offset $2`, [limit, offset]),
    pool.query<{ n: number }>(`select count(*)::int as n from ${q(table)}`),
  ]);
  return { rows: rows.rows, total: count.rows[0].n };
}

export async function count(pool: pg.Pool, sql: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(sql);
  return rows[0].n;
}

export class MissingTableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingTableError';
  }
}

/** Connectivity plus the existence of the tables a version needs. */
export async function requireTables(pool: pg.Pool, tables: string[]): Promise<void> {
  const { rows } = await pool.query<{ name: string }>(
    `select name from unnest($1::text[]) as name where to_regclass(quote_ident(name)) is null`,
    [tables],
  );
  if (rows.length) throw new MissingTableError(`missing tables: ${rows.map((r) => r.name).join(', ')}`);
}

/** The dimension of a pgvector column (its typmod), or null when the column has none. */
export async function vectorDimension(pool: pg.Pool, table: string): Promise<number | null> {
  const { rows } = await pool.query<{ dim: number }>(
    `select atttypmod as dim from pg_attribute where attrelid = to_regclass(quote_ident($1)) and attname = 'vector'`,
    [table],
  );
  const dim = rows[0]?.dim;
  return dim && dim > 0 ? dim : null;
}

export const TEXT_COLUMNS = 'id, title, content, created_at, updated_at';

export async function insertText(c: pg.PoolClient, table: string, id: string, title: string | null, content: string): Promise<void> {
  await c.query(`insert into ${q(table)} (id, title, content) values ($1, $2, $3)`, [id, title, content]);
}

export async function selectText(pool: pg.Pool, table: string, id: string): Promise<Record<string, unknown> | null> {
  const { rows } = await pool.query(`select ${TEXT_COLUMNS} from ${q(table)} where id = $1`, [id]);
  return rows[0] ?? null;
}
