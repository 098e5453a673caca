import type pg from 'pg';

/**
 * Our replay writes rows the application writes too (after the switch-back, blue's users and the
 * reverse drain both write the legacy tables). If the two ever wait on each other, the deadlock
 * detector aborts whichever transaction checks first, and an aborted application transaction is a
 * failed request. So our transactions wait on a row or table lock for less than the server's
 * deadlock_timeout (a third of it, 50–300 ms): we give up first, roll back, and try again; the
 * application's transaction never waits long enough to be picked.
 */
export const YIELD_LOCKS_SQL = `select set_config('lock_timeout', greatest(50, least(300, setting::int / 3)) || 'ms', true)
  from pg_settings where name = 'deadlock_timeout'`;

const LOCK_NOT_AVAILABLE = '55P03';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sets YIELD_LOCKS_SQL for the rest of the transaction. */
export async function yieldLocks(tx: pg.ClientBase): Promise<void> {
  await tx.query(YIELD_LOCKS_SQL);
}

/**
 * Runs one whole transaction (fn rolls it back when it throws) again while it gave up on a lock,
 * with a short growing pause, up to `attempts` times. The rolled-back attempt changed nothing.
 */
export async function retryYielded<T>(fn: () => Promise<T>, attempts = 200): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if ((err as { code?: string }).code !== LOCK_NOT_AVAILABLE || attempt >= attempts) throw err;
      await sleep(Math.min(500, 10 * attempt));
    }
  }
}
