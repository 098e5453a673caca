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
 * Two guards make sure it is always ours:
 * - our own lock waits end after a third of deadlock_timeout (YIELD_LOCKS_SQL), and
 * - a watch (LockWatch) cancels our statement as soon as an application transaction has waited
 *   on one of our locks for half of deadlock_timeout, whatever our transaction is doing: a lock
 *   timeout alone is not enough, since an application that started waiting on us early reaches
 *   deadlock_timeout before our own, later, wait reaches lock_timeout.
 * Either way our transaction rolls back (the claimed changes with it) and runs again with a
 * smaller batch; the application's transaction goes on. Nothing else is cancelled: a replay that
 * blocks no one may run as long as it needs.
 */
export const YIELD_LOCKS_SQL = `select set_config('lock_timeout', greatest(50, least(300, setting::int / 3)) || 'ms', true)
  from pg_settings where name = 'deadlock_timeout'`;

const LOCK_NOT_AVAILABLE = '55P03';
const QUERY_CANCELED = '57014';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sets YIELD_LOCKS_SQL for the rest of the transaction. */
export async function yieldLocks(tx: pg.ClientBase): Promise<void> {
  await tx.query(YIELD_LOCKS_SQL);
}

/**
 * Cancels the statement of each watched backend that a transaction not of ours (application_name
 * not stp-upgrade…; advisory locks are only ours) has waited on for longer than its threshold.
 */
const CANCEL_BLOCKERS_SQL = `
  select w.pid, pg_cancel_backend(w.pid) as cancelled
    from unnest($1::int[], $2::int[]) w(pid, after_ms)
   where exists (select 1 from pg_locks l join pg_stat_activity a on a.pid = l.pid
                  where not l.granted and l.locktype <> 'advisory'
                    and coalesce(a.application_name, '') not like 'stp-upgrade%'
                    and l.waitstart < clock_timestamp() - make_interval(secs => w.after_ms / 1000.0)
                    and w.pid = any(pg_blocking_pids(l.pid)))`;

const POLL_MS = 100;

/** After cancelling a backend, leave it this long to roll back before cancelling it again. */
const RECANCEL_MS = 1000;

/** Per pool: the backends in a replay transaction now, polled while there are any. */
class LockWatch {
  private readonly watched = new Map<number, number>();
  private readonly cancelledAt = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  cancelled = 0;

  constructor(private readonly pool: pg.Pool) {}

  watch(pid: number, afterMs: number): () => void {
    this.watched.set(pid, afterMs);
    this.timer ??= setInterval(() => void this.poll(), POLL_MS);
    return () => {
      this.watched.delete(pid);
      this.cancelledAt.delete(pid);
      if (this.watched.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  private async poll(): Promise<void> {
    const now = Date.now();
    const due = [...this.watched].filter(([pid]) => now - (this.cancelledAt.get(pid) ?? 0) > RECANCEL_MS);
    if (this.polling || due.length === 0) return;
    this.polling = true;
    try {
      const { rows } = await this.pool.query<{ pid: number }>(CANCEL_BLOCKERS_SQL, [due.map(([pid]) => pid), due.map(([, ms]) => ms)]);
      for (const { pid } of rows) this.cancelledAt.set(pid, Date.now());
      this.cancelled += rows.length;
    } catch {
      // best effort: a poll that fails (server restarting, pool busy) is the next poll's job
    } finally {
      this.polling = false;
    }
  }
}

const watches = new WeakMap<pg.Pool, LockWatch>();
const sessions = new WeakMap<object, { pid: number; afterMs: number }>();

function lockWatch(pool: pg.Pool): LockWatch {
  let w = watches.get(pool);
  if (!w) watches.set(pool, (w = new LockWatch(pool)));
  return w;
}

/**
 * The session's backend pid and how long an application may wait on it (half its
 * deadlock_timeout): read once per connection, not once per batch.
 */
async function watchedSession(client: pg.ClientBase): Promise<{ pid: number; afterMs: number }> {
  let session = sessions.get(client);
  if (!session) {
    const { rows } = await client.query<{ pid: number; ms: number }>(
      `select pg_backend_pid() as pid, setting::int as ms from pg_settings where name = 'deadlock_timeout'`,
    );
    session = { pid: rows[0].pid, afterMs: Math.max(50, Math.floor(rows[0].ms / 2)) };
    sessions.set(client, session);
  }
  return session;
}

export interface YieldingOptions {
  /** The pool `client` came from: the watch polls through it. */
  pool: pg.Pool;
  /** Batch size to start with; halved each time the batch gives way. */
  limit: number;
  /** How many times in a row a batch may give way before the error reaches the caller. */
  attempts?: number;
}

/**
 * Runs one replay batch (`fn(tx, limit)`) as its own transaction, watched (see above), and again
 * while it gives way to the application: with half the batch each time (down to one writer
 * transaction) and a short growing pause. The rolled-back attempts changed nothing.
 */
export async function runYielding<T>(
  client: pg.PoolClient | pg.Client,
  fn: (tx: pg.ClientBase, limit: number) => Promise<T>,
  { pool, limit, attempts = 200 }: YieldingOptions,
): Promise<T> {
  const { pid, afterMs } = await watchedSession(client);
  const unwatch = lockWatch(pool).watch(pid, afterMs);
  try {
    let size = Math.max(1, limit);
    for (let attempt = 1; ; attempt++) {
      try {
        return await inTransaction(client, (tx: pg.PoolClient) => fn(tx, size));
      } catch (err) {
        const code = (err as { code?: string }).code;
        if ((code !== LOCK_NOT_AVAILABLE && code !== QUERY_CANCELED) || attempt >= attempts) throw err;
        size = Math.max(1, Math.floor(size / 2));
        await sleep(Math.min(500, 10 * attempt));
      }
    }
  } finally {
    unwatch();
  }
}

/** How many replay statements the watch of `pool` cancelled (tests). */
export function cancelledForApplication(pool: pg.Pool): number {
  return watches.get(pool)?.cancelled ?? 0;
}
