import { CancellationScope, log, patched, proxyActivities } from '@temporalio/workflow';
import type { AlertActivities } from '../activities/alerts';
import { type AlertEventName, type AlertsPlan, subscribers } from '../common/alerts';

/** Runs that started before alerts existed replay without the alert activities. */
export const ALERTS_PATCH = 'alerts';

// The activity retries each webhook itself and never throws; one attempt here is enough.
const alertActs = proxyActivities<AlertActivities>({ startToCloseTimeout: '3 minutes', heartbeatTimeout: '30s', retry: { maximumAttempts: 1 } });

export interface AlertSource {
  runId: string;
  plan: { database: string; alerts?: AlertsPlan };
}

/**
 * Tells the plan's webhooks about an event of the run. Never fails the run, and not cancelled with
 * it (a rollback's own alert must go out). Nothing is scheduled when no webhook wants the event, so
 * runs without alerts keep their history unchanged.
 */
export async function notify(src: AlertSource, event: AlertEventName, message: string, at?: { phase?: string; step?: string }): Promise<void> {
  if (subscribers(src.plan.alerts, event).length === 0 || !patched(ALERTS_PATCH)) return;
  const alerts = src.plan.alerts as AlertsPlan;
  const payload = { event, runId: src.runId, database: src.plan.database, message, at: new Date().toISOString(), ...at };
  try {
    const r = await CancellationScope.nonCancellable(() => alertActs.sendAlert({ alerts, event: payload }));
    if (r.failed.length > 0) log.warn('alert not delivered to every webhook', { event, delivered: r.delivered, failed: r.failed });
    else log.info('alert sent', { event, delivered: r.delivered });
  } catch (err) {
    log.warn('alert could not be sent', { event, error: err instanceof Error ? err.message : String(err) });
  }
}
