import { createHash } from 'node:crypto';
import pg from 'pg';
import { BadInputError } from '../common/errors';
import { workflowIdOfActivity } from './heartbeat';

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

/** Whether a table (or any relation) of that name exists; `name` as to_regclass reads it. */
export async function relationExists(client: pg.ClientBase, name: string): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>(`select to_regclass($1) is not null as ok`, [name]);
  return rows[0].ok;
}

/** Schema-qualified, quoted name. */
export function qualified(schema: string, name: string): string {
  return `${ident(schema)}.${ident(name)}`;
}

/**
 * Connection-level failures: the server restarted or shut down (57P01-57P03), the connection broke
 * or was refused (08xxx, ECONNRESET, ...), a failover. Only the statements in flight fail; the
 * activity is retried by Temporal and resumes from its checkpoint. Never classify these as permanent.
 */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  const code = e?.code ?? '';
  if (['57P01', '57P02', '57P03'].includes(code) || code.startsWith('08')) return true;
  if (['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)) return true;
  return /Connection terminated|connection error and is not queryable|Client was closed|server closed the connection/i.test(e?.message ?? '');
}

// pg-pool listens for 'error' only while a client is idle: a checked-out client whose connection
// drops emits 'error' with no listener, and Node kills the process. The query in flight already
// fails with the error, so the listener has nothing left to do.
function ignoreClientError(): void {}

/** Makes a client's connection errors fail only its queries, never the process. Idempotent. */
export function guardClient<C extends pg.ClientBase>(client: C): C {
  if (!client.listeners('error').includes(ignoreClientError)) client.on('error', ignoreClientError);
  return client;
}

/** Every client of the pool guarded, idle or checked out (for pools built outside EnvPools). */
export function guardPool(pool: pg.Pool): pg.Pool {
  if (!pool.listeners('error').length) pool.on('error', () => undefined);
  pool.on('connect', (client) => guardClient(client));
  return pool;
}

export async function withClient<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = guardClient(await pool.connect());
  let broken: Error | undefined;
  try {
    return await fn(client);
  } catch (err) {
    if (isConnectionError(err)) broken = err as Error;
    throw err;
  } finally {
    // a broken connection is destroyed rather than handed to the next activity
    client.release(broken);
  }
}

export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, async (client) => inTransaction(client, fn));
}

/**
 * begin … commit; on any error a rollback that surely ends the transaction: a cancel (the replay's
 * lock watch, an operator's pg_cancel_backend) landing on the ROLLBACK statement itself would
 * leave the session in an aborted transaction, and its next statement would fail with 25P02.
 */
export async function inTransaction<T>(client: pg.PoolClient | pg.Client, fn: (client: any) => Promise<T>): Promise<T> {
  await client.query('begin');
  try {
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (err) {
    for (let i = 0; i < 5; i++) {
      try {
        await client.query('rollback');
        break;
      } catch (e) {
        if ((e as { code?: string }).code !== '57014') break; // a broken connection: withClient drops it
      }
    }
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

/**
 * The application_name a long statement's session carries, `stp-upgrade:<runId>:<activity>` (the
 * run id is the workflow id), so a retry finds and ends what an earlier attempt of the same run
 * left running. At most 63 bytes (PostgreSQL truncates longer names): a long or non-ASCII run id is
 * replaced by its hash.
 */
export function sessionTag(runId: string, activity: string): string {
  const plain = `stp-upgrade:${runId}:${activity}`;
  if (plain.length <= 63 && /^[\x20-\x7e]*$/.test(plain)) return plain;
  const hash = createHash('sha256').update(runId).digest('hex').slice(0, 16);
  return `stp-upgrade:#${hash}:${activity}`.slice(0, 63);
}

/**
 * Terminates the backends of earlier attempts: those tagged `tag`, and (optionally) those whose
 * query starts with `queryPrefix` (a CREATE INDEX of the same index, whoever sent it). A worker
 * killed mid-statement leaves its backend running until the statement ends, still holding its
 * locks; terminating it lets the retry go on at once (an index build left INVALID is rebuilt).
 * Waits until they are gone. Returns how many there were.
 */
export async function terminateLeftovers(client: pg.ClientBase, tag: string | null, queryPrefix?: string): Promise<number> {
  const { rows } = await client.query<{ pid: number }>(
    `select pid from pg_stat_activity
      where pid <> pg_backend_pid() and datname = current_database()
        and (application_name = $1 or ($2::text is not null and left(query, length($2)) = $2))`,
    [tag, queryPrefix ?? null],
  );
  if (!rows.length) return 0;
  const pids = rows.map((r) => r.pid);
  // Best effort: without the right to signal it (another role), the retry waits for it as before.
  const ended = await client.query('select pg_terminate_backend(pid) from unnest($1::int[]) as pid', [pids]).then(() => true, () => false);
  if (!ended) return 0;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { rows: left } = await client.query<{ n: number }>(`select count(*)::int as n from pg_stat_activity where pid = any($1::int[])`, [pids]);
    if (left[0].n === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return pids.length;
}

/** How long a cancelled statement may take to stop before its connection is dropped. */
const CANCEL_GRACE_MS = 5000;

/**
 * On activity cancellation (an abort, a timeout the server noticed, worker shutdown), cancels the
 * statement the client runs with pg_cancel_backend; if it has not stopped within CANCEL_GRACE_MS
 * (or the server cannot be reached), destroys the connection so the activity returns anyway.
 * Returns the function that stops listening.
 */
export function cancelOnAbort(pool: pg.Pool, client: pg.PoolClient, signal: AbortSignal | undefined): () => void {
  if (!signal) return () => undefined;
  const pid = (client as unknown as { processID?: number }).processID;
  let timer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    if (pid) pool.query('select pg_cancel_backend($1)', [pid]).catch(() => undefined);
    timer = setTimeout(() => (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy(), CANCEL_GRACE_MS);
    timer.unref();
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return () => {
    signal.removeEventListener('abort', onAbort);
    if (timer) clearTimeout(timer);
  };
}

/**
 * A session for long statements of one run's activity: tagged (sessionTag), leftovers of earlier
 * attempts terminated first (unless `terminate: false`), the server told to abort the statement
 * when this client goes away (client_connection_check_interval, PostgreSQL 14+), the statement
 * cancelled on activity cancellation (then the cancellation is what the activity throws). The
 * settings are reset before the connection goes back to the pool.
 */
export async function withLongSession<T>(
  pool: pg.Pool,
  session: { runId: string; activity: string; queryPrefix?: string; signal?: AbortSignal; terminate?: boolean },
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  return withClient(pool, async (client) => {
    // The workflow's id, not the plan's run id: an ad-hoc verify of a run must not end the run's own.
    const tag = sessionTag(workflowIdOfActivity() ?? session.runId, session.activity);
    if (session.terminate !== false) await terminateLeftovers(client, tag, session.queryPrefix);
    await client.query(`select set_config('application_name', $1, false)`, [tag]);
    await client.query(`set client_connection_check_interval = '2s'`).catch(() => undefined);
    const stop = cancelOnAbort(pool, client, session.signal);
    try {
      return await fn(client);
    } catch (err) {
      if (session.signal?.aborted) throw session.signal.reason instanceof Error ? session.signal.reason : err;
      throw err;
    } finally {
      stop();
      // Back to the pool's defaults (application_name as at connect). Not RESET ALL: on a server
      // whose connections share one session (PGlite in the demo) it would undo others' settings.
      await client.query('reset application_name; reset client_connection_check_interval; reset maintenance_work_mem').catch(() => undefined);
    }
  });
}
