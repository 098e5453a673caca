import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { DEFAULT_TASK_QUEUE } from '../common/names';

/**
 * Whether a worker serves a task queue. Temporal remembers a poller for minutes after its worker
 * died; a live worker polls again at least every ~70 s (one long poll), so older ones are not counted.
 */
const POLLER_FRESH_MS = 90_000;

/** How long the CLI waits for a worker to answer a query before saying so. */
export const QUERY_TIMEOUT_MS = 10_000;

/** Workflow pollers of the task queue seen lately; undefined when the server would not say (permissions). */
export async function workflowPollers(client: Client, taskQueue: string): Promise<number | undefined> {
  try {
    const r = await client.withDeadline(Date.now() + 5000, () =>
      client.workflowService.describeTaskQueue({
        namespace: client.options.namespace,
        taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      }),
    );
    const now = Date.now();
    return (r.pollers ?? []).filter((p) => {
      const s = p.lastAccessTime?.seconds;
      return s === undefined || s === null || now - Number(s) * 1000 < POLLER_FRESH_MS;
    }).length;
  } catch {
    return undefined;
  }
}

/** The plain sentence for an empty task queue: which queue, and how to start a worker for it. */
export function noWorkerMessage(taskQueue: string): string {
  const queueEnv = taskQueue === DEFAULT_TASK_QUEUE ? '' : `STP_TASK_QUEUE=${taskQueue} `;
  return (
    `no worker is polling task queue "${taskQueue}", so nothing runs the upgrade or answers for it. ` +
    `Start one: \`${queueEnv}STP_DATABASE_URL=postgres://USER@HOST:5432/DB stp-upgrade worker\` ` +
    `(or \`${queueEnv}STP_DATABASE_URL=... npm run worker\` in the stp-upgrade checkout), with the same TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE as here.`
  );
}

/** Resolves with the message when the task queue has no worker, else with undefined. */
export async function missingWorker(client: Client, taskQueue: string): Promise<string | undefined> {
  return (await workflowPollers(client, taskQueue)) === 0 ? noWorkerMessage(taskQueue) : undefined;
}

/** Runs a query (or any call) with a deadline, so a worker that does not answer cannot hold the CLI. */
export function withQueryDeadline<T>(client: Client, fn: () => Promise<T>, ms = QUERY_TIMEOUT_MS): Promise<T> {
  return client.withDeadline(Date.now() + ms, fn);
}

/** A gRPC deadline (the worker never answered the query), as opposed to a real query failure. */
export function isDeadline(err: unknown): boolean {
  const e = err as { code?: number; cause?: { code?: number }; message?: string };
  return e?.code === 4 || e?.cause?.code === 4 || /DEADLINE_EXCEEDED|deadline/i.test(e?.message ?? '');
}

/**
 * Says when the task queue loses or regains its worker, checking every few seconds until stopped:
 * `start --wait` and `watch` wait for the run, but never silently on an empty task queue.
 */
export function reportWorkers(client: Client, taskQueue: string, say: (line: string) => void, opts: { missing?: boolean; everyMs?: number } = {}): () => void {
  let missing = opts.missing ?? false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const check = async () => {
    const now = await missingWorker(client, taskQueue).catch(() => undefined);
    if (stopped) return;
    if (now && !missing) say(now);
    if (!now && missing) say(`a worker polls task queue "${taskQueue}" now: the run goes on.`);
    missing = Boolean(now);
    timer = setTimeout(() => void check(), opts.everyMs ?? 5000);
  };
  timer = setTimeout(() => void check(), opts.missing === undefined ? 0 : opts.everyMs ?? 5000);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
