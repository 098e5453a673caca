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
  await waitFor(`attempt ${attempt + 1} of ${type} to start`, async () => {
    const a = await pendingActivity(handle, type);
    return a && (a.attempt ?? 0) > attempt && a.state === temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;
  }, timeoutMs, 100);
  return Date.now();
}
