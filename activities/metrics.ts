import { Context } from '@temporalio/activity';
import type { MetricMeter } from '@temporalio/common';
import { Metrics } from '../common/metric-names';

/**
 * One-line metric calls for activities, through the SDK's metric meter of the running activity
 * (tagged with namespace, task queue and activity type; one Prometheus endpoint for everything).
 * Outside an activity (tests that call activities directly) they do nothing.
 */
function meter(): MetricMeter | undefined {
  try {
    return Context.current().metricMeter;
  } catch {
    return undefined;
  }
}

/** A committed copy batch: rows and duration, per rule. */
export function recordBatch(rule: string, rows: number, ms: number): void {
  const m = meter();
  if (!m) return;
  m.createCounter(Metrics.rowsCopied.name, Metrics.rowsCopied.unit, Metrics.rowsCopied.help).add(rows, { rule });
  m.createHistogram(Metrics.batchDuration.name, 'float', Metrics.batchDuration.unit, Metrics.batchDuration.help).record(ms / 1000, { rule });
}

/** The replay backlog after a replay call: changes waiting and the age of the oldest. */
export function recordBacklog(direction: string, changes: number, oldestAgeMs: number | null): void {
  const m = meter();
  if (!m) return;
  m.createGauge(Metrics.replayBacklog.name, 'int', Metrics.replayBacklog.unit, Metrics.replayBacklog.help).set(changes, { direction });
  m.createGauge(Metrics.replayLag.name, 'float', Metrics.replayLag.unit, Metrics.replayLag.help).set((oldestAgeMs ?? 0) / 1000, { direction });
}

/** One verify, its duration and outcome. */
export function recordVerify(ms: number, ok: boolean): void {
  meter()?.createHistogram(Metrics.verifyDuration.name, 'float', Metrics.verifyDuration.unit, Metrics.verifyDuration.help).record(ms / 1000, { ok: String(ok) });
}
