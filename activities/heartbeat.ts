import { Context } from '@temporalio/activity';

/** Heartbeats when running inside an activity; a no-op elsewhere (tests call activities directly). */
export function heartbeat(details?: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // not in an activity context
  }
}

/** Runs fn while heartbeating every intervalMs, so one long statement (an index build) keeps the activity alive. */
export async function heartbeating<T>(details: unknown, fn: () => Promise<T>, intervalMs = 5000): Promise<T> {
  heartbeat(details);
  const timer = setInterval(() => heartbeat(details), intervalMs);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

/** The activity's cancellation signal, when running inside an activity. */
export function cancellationSignal(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined;
  }
}
