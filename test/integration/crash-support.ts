import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type pg from 'pg';
import { startWorkerProcess } from '../helpers/processes';
import { TEMPORAL_ADDRESS } from '../helpers/temporal';
import { waitFor } from './upgrade-support';

/** Shared by the crash-*.test.ts files: real worker processes, the sessions they run, attempts. */

export type WorkerProc = Awaited<ReturnType<typeof startWorkerProcess>>;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts `stp-upgrade worker` on a queue against one database; the caller stops it. */
export function worker(queue: string, databaseUrl: string, env: NodeJS.ProcessEnv = {}): Promise<WorkerProc> {
  return startWorkerProcess({ TEMPORAL_ADDRESS, STP_TASK_QUEUE: queue, STP_DATABASE_URL: databaseUrl, ...env });
}

/** The backend of a tagged session (application_name), when one runs a statement starting with `query`. */
export async function taggedBackend(pool: pg.Pool, tag: string, query = ''): Promise<{ pid: number; query: string } | undefined> {
  const { rows } = await pool.query<{ pid: number; query: string }>(
    `select pid, query from pg_stat_activity where application_name = $1 and state = 'active' and query ilike $2 || '%'`,
    [tag, query],
  );
  return rows[0];
}

/** The pending activity of a type, as the server sees it. */
export async function pendingActivity(handle: WorkflowHandle, type: string) {
  const d = await handle.describe();
  return d.raw.pendingActivities?.find((a) => a.activityType?.name === type);
}

/**
 * Waits until an attempt after `attempt` of the activity runs on a worker; returns when that was
 * seen. This is the moment the step resumed after a crash.
 */
export async function nextAttemptStarted(handle: WorkflowHandle, type: string, attempt: number, timeoutMs = 60_000): Promise<number> {
  let seenAt = 0;
  await waitFor(`attempt ${attempt + 1} of ${type} to start`, async () => {
    const a = await pendingActivity(handle, type);
    if (a && (a.attempt ?? 0) > attempt && a.state === temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED) return true;
    // A short retry can start and finish between two polls: then its started event is in the history.
    if (!a || (a.attempt ?? 0) > attempt) {
      const t = await laterAttemptStartedAt(handle, type, attempt);
      if (t) seenAt = Math.min(t, Date.now());
      return t !== undefined;
    }
    return false;
  }, timeoutMs, 100);
  return seenAt || Date.now();
}

/** When an attempt after `attempt` of the activity started, from the history (started events carry the attempt). */
async function laterAttemptStartedAt(handle: WorkflowHandle, type: string, attempt: number): Promise<number | undefined> {
  const history = await handle.fetchHistory();
  const scheduled = new Map<string, string>();
  let last: number | undefined;
  for (const e of history.events ?? []) {
    const id = String(e.eventId);
    if (e.activityTaskScheduledEventAttributes) scheduled.set(id, e.activityTaskScheduledEventAttributes.activityType?.name ?? '');
    const started = e.activityTaskStartedEventAttributes;
    if (started && scheduled.get(String(started.scheduledEventId)) === type && (started.attempt ?? 0) > attempt) {
      const at = e.eventTime?.seconds ? Number(e.eventTime.seconds) * 1000 + Math.floor((e.eventTime.nanos ?? 0) / 1e6) : Date.now();
      last = Math.max(last ?? 0, at);
    }
  }
  return last;
}

/**
 * A PostgreSQL 17 instance of this test alone (the dev server is shared and must not be
 * restarted): initdb in the Debian root of scripts/install.sh on a free loopback port, trust auth.
 * restart() is `pg_ctl restart -m fast|immediate`; stop() stops it and removes its data.
 */
export interface OwnPostgres {
  port: number;
  url(database: string): string;
  restart(mode: 'fast' | 'immediate'): void;
  stop(): void;
}

const PG_ROOT = process.env.STP_PG_ROOT ?? path.join(process.env.STP_CACHE ?? path.join(os.homedir(), '.cache', 'stp-upgrade'), 'trixie-root');
const PG_BIN = '/usr/lib/postgresql/17/bin';

function inRoot(script: string, user = 'postgres'): string {
  const r = spawnSync('chroot', [PG_ROOT, 'su', user, '-c', script], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`in ${PG_ROOT}: ${script}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export async function startOwnPostgres(name: string): Promise<OwnPostgres> {
  if (!fs.existsSync(path.join(PG_ROOT, PG_BIN.slice(1), 'pg_ctl'))) throw new Error(`no PostgreSQL 17 in ${PG_ROOT}: run npm run install:servers`);
  const port = await freePort();
  const data = `/var/lib/stp-pg-${name}-${port}`;
  inRoot(`rm -rf ${data} && mkdir -p ${data} && chown postgres ${data}`, 'root');
  inRoot(`${PG_BIN}/initdb -D ${data} -A trust -U postgres >/dev/null`);
  fs.appendFileSync(
    path.join(PG_ROOT, data.slice(1), 'postgresql.conf'),
    `listen_addresses = '127.0.0.1'\nport = ${port}\nunix_socket_directories = ''\nmax_connections = 60\nshared_buffers = 64MB\nfsync = off\n`,
  );
  const ctl = (args: string) => inRoot(`${PG_BIN}/pg_ctl -D ${data} -l ${data}/server.log -w -t 60 ${args} >/dev/null`);
  ctl('start');
  let stopped = false;
  return {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    restart: (mode) => ctl(`restart -m ${mode}`),
    stop: () => {
      if (stopped) return;
      stopped = true;
      try {
        ctl('stop -m immediate');
      } finally {
        inRoot(`rm -rf ${data}`, 'root');
      }
    },
  };
}
