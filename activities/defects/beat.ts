import { Context } from '@temporalio/activity';

/** Heartbeats when running inside an activity; a no-op elsewhere (tests, scripts). */
export function beat(details?: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // not in an activity context
  }
}

/** Runs fn while heartbeating every intervalMs, so one long statement keeps the activity alive. */
export async function beating<T>(details: unknown, fn: () => Promise<T>, intervalMs = 5000): Promise<T> {
  beat(details);
  const timer = setInterval(() => beat(details), intervalMs);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}
