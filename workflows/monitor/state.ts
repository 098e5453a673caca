import { monitoringWindowMs, type Evaluation, type MonitoringPlan, type MonitorState, type ServiceSample, type WindowFigures } from '../../common/monitor';

/** Pure bookkeeping of the monitor loop, kept apart from the Temporal calls. */
const RECENT_FAILURES = 5;

export function initialState(plan: MonitoringPlan, now: number): MonitorState {
  return {
    checks: 0,
    failures: 0,
    consecutiveFailures: 0,
    startedAt: now,
    deadline: now + monitoringWindowMs(plan),
    nextCheckAt: now,
    run: 1,
    summary: { missing: 0, recentFailures: [] },
  };
}

/** What a check judged: the figures that go into the summary (interval figures where there were some). */
export interface Judged {
  verdict: Evaluation;
  window?: WindowFigures;
  p95Ms?: number;
  hitRate?: number;
}

/** Counts one check. `failed` is the verdict after the missing-data policy was applied. */
export function recordCheck(st: MonitorState, at: string, sample: ServiceSample, judged: Judged, failed: boolean): void {
  const { verdict, p95Ms, hitRate } = judged;
  st.checks += 1;
  // The counters are kept once, in `recent`; the status shows the figures.
  const shown = { ...sample };
  delete shown.counters;
  st.lastSample = shown;
  st.lastReasons = verdict.reasons.length > 0 ? verdict.reasons : undefined;
  st.lastExcused = verdict.excused;
  st.lastWindow = judged.window;
  const sum = st.summary;
  if (!sample.ok) sum.missing += 1;
  if (p95Ms !== undefined) sum.worstP95Ms = Math.max(sum.worstP95Ms ?? p95Ms, p95Ms);
  if (sample.memoryBytes !== undefined) sum.peakMemoryBytes = Math.max(sum.peakMemoryBytes ?? sample.memoryBytes, sample.memoryBytes);
  if (hitRate !== undefined) sum.lowestHitRate = Math.min(sum.lowestHitRate ?? hitRate, hitRate);
  if (failed) {
    st.failures += 1;
    st.consecutiveFailures += 1;
    sum.recentFailures = [...sum.recentFailures, { check: st.checks, at, reasons: verdict.reasons }].slice(-RECENT_FAILURES);
  } else {
    st.consecutiveFailures = 0;
  }
}

/** Why monitoring must stop as breached, or undefined while within the limits. */
export function breachReason(st: MonitorState, plan: MonitoringPlan): string | undefined {
  const last = st.lastReasons?.join('; ') ?? 'unknown';
  if (st.consecutiveFailures >= plan.maxConsecutiveFailures) {
    return `${st.consecutiveFailures} consecutive failed checks (limit ${plan.maxConsecutiveFailures}) at check ${st.checks}: ${last}`;
  }
  if (st.failures >= plan.maxFailures) {
    return `${st.failures} failed checks in total (limit ${plan.maxFailures}) at check ${st.checks}: ${last}`;
  }
  return undefined;
}

export function secondsLeft(st: MonitorState, now: number): number {
  return Math.max(0, Math.ceil((st.deadline - now) / 1000));
}
