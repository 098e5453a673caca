import { Context } from '@temporalio/activity';

/**
 * How often a running activity heartbeats while it waits (on one long statement, a child process).
 * Well under the profiles' heartbeat timeouts (15-20 s), so a live worker never times out and a
 * dead one is noticed within the timeout.
 */
export const KEEP_ALIVE_MS = 5000;

// The last details each activity reported, so the keep-alive repeats them instead of erasing them.
const lastDetails = new WeakMap<Context, unknown>();

function current(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined; // not in an activity (tests call activities directly)
  }
}

/** Heartbeats when running inside an activity; a no-op elsewhere (tests call activities directly). */
export function heartbeat(details?: unknown): void {
  const ctx = current();
  if (!ctx) return;
  lastDetails.set(ctx, details);
  ctx.heartbeat(details);
}

/** Runs fn while heartbeating every intervalMs, so one long statement (an index build) keeps the activity alive. */
export async function heartbeating<T>(details: unknown, fn: () => Promise<T>, intervalMs = KEEP_ALIVE_MS): Promise<T> {
  heartbeat(details);
  const timer = setInterval(() => heartbeat(details), intervalMs);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

const WRAPPED = Symbol('stp-upgrade.keepAlive');

/**
 * Wraps an activity so it heartbeats (repeating its last details) every KEEP_ALIVE_MS for as long
 * as it runs, whatever it waits on. A heartbeat says "this worker still runs this attempt": with a
 * heartbeat timeout of 15-20 s a killed worker costs that much, not the start-to-close timeout, and
 * cancellation reaches the activity within seconds. A stuck attempt stays bounded by start-to-close.
 */
export function keepAlive<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  if ((fn as unknown as Record<symbol, boolean>)[WRAPPED]) return fn;
  const wrapped = async (...args: A): Promise<R> => {
    const ctx = current();
    if (!ctx) return fn(...args);
    const timer = setInterval(() => ctx.heartbeat(lastDetails.has(ctx) ? lastDetails.get(ctx) : ctx.info.heartbeatDetails), KEEP_ALIVE_MS);
    try {
      return await fn(...args);
    } finally {
      clearInterval(timer);
    }
  };
  Object.defineProperty(wrapped, 'name', { value: fn.name });
  (wrapped as unknown as Record<symbol, boolean>)[WRAPPED] = true;
  return wrapped;
}

/** keepAlive for every function of an activity family. */
export function keepAliveAll<T extends object>(activities: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(activities)) {
    out[name] = typeof fn === 'function' ? keepAlive(fn as (...args: unknown[]) => Promise<unknown>) : fn;
  }
  return out as T;
}

/** The activity's cancellation signal, when running inside an activity. */
export function cancellationSignal(): AbortSignal | undefined {
  return current()?.cancellationSignal;
}

/** The id of the workflow that runs this activity (stable across attempts and continue-as-new). */
export function workflowIdOfActivity(): string | undefined {
  return current()?.info.workflowExecution?.workflowId;
}
