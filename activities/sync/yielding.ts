import type pg from 'pg';
import { inTransaction } from '../db';

/**
 * Our replay writes rows the application writes too (after the switch-back, blue's users and the
 * reverse drain both write the legacy tables), and not in the application's order: the reference
 * service deletes a text's embeddings before its chunks, the reverse replay writes chunks first.
 * When the two wait on each other, PostgreSQL's deadlock detector runs in whichever transaction
 * has waited deadlock_timeout first and aborts *that* one; an aborted application transaction is
 * a failed request.
 *
 * A lock_timeout under deadlock_timeout is not enough: an application transaction that started
 * waiting on us early reaches deadlock_timeout before our own, later, wait reaches lock_timeout.
 * So a replay transaction runs on a budget, half of deadlock_timeout from its first write:
 * before each statement statement_timeout is set to what is left of it (and lock_timeout to at
 * most a third of deadlock_timeout). An application transaction therefore never waits on a lock
 * of ours for as long as deadlock_timeout; we give up first, roll back, and run again with a
 * smaller batch. Nothing is lost: the claimed changes are deleted in the same transaction.
 */
export const YIELD_LOCKS_SQL = `select set_config('lock_timeout', greatest(50, least(300, setting::int / 3)) || 'ms', true)
  from pg_settings where name = 'deadlock_timeout'`;

const LOCK_NOT_AVAILABLE = '55P03';
const QUERY_CANCELED = '57014';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A replay transaction gave up (a lock wait or its budget ran out); it changed nothing. */
export class Yielded extends Error {
  readonly code = LOCK_NOT_AVAILABLE;
  constructor(readonly reason: 'lock' | 'budget', cause?: unknown) {
    super(reason === 'lock' ? 'gave up a lock wait to the application' : 'the transaction ran out of its lock budget', { cause });
  }
}

/** Sets YIELD_LOCKS_SQL for the rest of the transaction. */
export async function yieldLocks(tx: pg.ClientBase): Promise<void> {
  await tx.query(YIELD_LOCKS_SQL);
}

/** The server's deadlock_timeout in ms, as this session sees it. */
async function deadlockTimeoutMs(client: pg.ClientBase): Promise<number> {
  const { rows } = await client.query<{ ms: number }>(`select setting::int as ms from pg_settings where name = 'deadlock_timeout'`);
  return rows[0]?.ms ?? 1000;
}

/** Statements that take no lock the application's writes wait on: they do not start the clock. */
const BEFORE_FIRST_LOCK = /^\s*(set local |select pg_advisory_xact_lock\(|select set_config\('lock_timeout')/;

/**
 * `tx` with every statement from the first one that may lock a row bounded by what is left of
 * `budgetMs` (statement_timeout and lock_timeout set before it). A timeout or a lock wait given
 * up becomes Yielded. Statements must not rely on statement_timeout themselves.
 */
export function onBudget(tx: pg.ClientBase, budgetMs: number, lockWaitMs: number): pg.ClientBase {
  let deadline: number | undefined;
  const query = async (sql: unknown, params?: unknown[]) => {
    const text = typeof sql === 'string' ? sql : '';
    if (deadline === undefined && !BEFORE_FIRST_LOCK.test(text)) deadline = Date.now() + budgetMs;
    if (deadline !== undefined) {
      const left = Math.floor(deadline - Date.now());
      if (left < 5) throw new Yielded('budget');
      await tx.query(`select set_config('statement_timeout', $1, true), set_config('lock_timeout', $2, true)`, [`${left}ms`, `${Math.min(left, lockWaitMs)}ms`]);
    }
    try {
      return await (tx.query as (s: unknown, p?: unknown[]) => Promise<pg.QueryResult>)(sql, params);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === LOCK_NOT_AVAILABLE) throw new Yielded('lock', err);
      if (code === QUERY_CANCELED && deadline !== undefined) throw new Yielded('budget', err);
      throw err;
    }
  };
  return new Proxy(tx, { get: (t, p, r) => (p === 'query' ? query : Reflect.get(t, p, r)) });
}

export interface YieldingOptions {
  /** Batch size to start with; halved each time a batch gives up, back to it after a success. */
  limit: number;
  /** How many times in a row a batch may give up before the error reaches the caller. */
  attempts?: number;
}

/**
 * Runs one replay batch (`fn(tx, limit)`) as its own transaction on a lock budget (see above),
 * again while it gives up: with half the batch each time (down to one writer transaction), and
 * with a short growing pause. When even a single writer transaction does not fit the budget
 * (a very large one on a slow server), the budget doubles, up to 4× deadlock_timeout: progress
 * matters more then, and a deadlock needs the application to wait on those rows as well.
 */
export async function runYielding<T>(
  client: pg.PoolClient | pg.Client,
  fn: (tx: pg.ClientBase, limit: number) => Promise<T>,
  { limit, attempts = 200 }: YieldingOptions,
): Promise<T> {
  const dt = await deadlockTimeoutMs(client);
  const lockWait = Math.max(50, Math.min(300, Math.floor(dt / 3)));
  let budget = Math.max(100, Math.floor(dt / 2));
  let size = Math.max(1, limit);
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction(client, async (tx: pg.PoolClient) => {
        const value = await fn(onBudget(tx, budget, lockWait), size);
        await tx.query(`set local statement_timeout = 0`); // the commit is not on the budget
        return value;
      });
    } catch (err) {
      if (!(err instanceof Yielded) || attempt >= attempts) throw err;
      if (err.reason === 'budget') {
        if (size > 1) size = Math.max(1, Math.floor(size / 2));
        else budget = Math.min(4 * dt, budget * 2);
      }
      await sleep(Math.min(500, 10 * attempt));
    }
  }
}
