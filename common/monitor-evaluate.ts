import type { Baseline, Counters, Evaluation, MonitoringPlan, MonitoringThresholds, ServiceSample, WindowFigures } from './monitor';
import { isReset, windowBetween } from './monitor-window';

/**
 * The verdict of one check of green (pure, workflow-safe). Like is compared with like: green's
 * figures over the interval since the previous check against blue's over its baseline window,
 * never counters accumulated since a process started.
 *
 * - health, missing data and the error rate count from the first check;
 * - p95, memory and the hit rate are excused during the warm-up (cold caches and pools);
 * - p95 and the error rate are compared with blue's only when both windows saw `minRequests`;
 * - the hit rate leaves out misses of entries that a write had just invalidated (the cache
 *   working as it should) and is compared only over `minCacheLookups` lookups on both sides.
 */
export interface CheckInput {
  sample: ServiceSample;
  /** Green over the interval since the previous check; absent at the first check and after a restart. */
  window?: WindowFigures;
  baseline?: Baseline | null;
  thresholds: MonitoringThresholds;
  warmingUp?: boolean;
}

export function evaluateCheck({ sample, window: w, baseline, thresholds: t, warmingUp = false }: CheckInput): Evaluation {
  const hard: string[] = [];
  const soft: string[] = [];
  if (!sample.ok) hard.push(`no data: ${sample.error ?? 'unknown error'}`);
  if (sample.health === undefined) {
    if (sample.ok) hard.push('health missing');
  } else if (sample.health !== 'healthy') hard.push(`health is "${sample.health}"`);

  const enough = w !== undefined && w.requests >= t.minRequests;
  if (enough && w.errorRate !== undefined) {
    const blue = blueWindow(baseline, t.minRequests)?.errorRate ?? 0;
    if (w.errorRate > blue + t.errorRateSlack) {
      hard.push(`error rate ${pct(w.errorRate)} (${w.errors} of ${w.requests} requests) > blue's ${pct(blue)} + ${pct(t.errorRateSlack)}`);
    }
  }

  // Green's p95 over the interval; the service's own p95 only when it keeps no histogram.
  const p95 = w?.p95Ms ?? sample.p95Ms;
  if (p95 === undefined) {
    if (sample.ok) hard.push('p95 missing');
  } else {
    if (p95 > t.maxP95Ms) soft.push(`p95 ${fmt(p95)} ms > max ${fmt(t.maxP95Ms)} ms`);
    const blue = blueWindow(baseline, t.minRequests)?.p95Ms ?? baseline?.p95Ms;
    // A service with counters is compared over intervals only (not at its first reading).
    const comparable = w ? w.p95Ms === undefined || enough : sample.counters === undefined;
    if (blue !== undefined && comparable && p95 > blue * t.p95DegradationFactor + t.p95SlackMs) {
      soft.push(`p95 ${fmt(p95)} ms > baseline ${fmt(blue)} ms × ${t.p95DegradationFactor} + ${t.p95SlackMs} ms`);
    }
  }

  const mem = sample.memoryBytes;
  if (mem === undefined) {
    if (sample.ok) hard.push('memory missing');
  } else {
    if (t.maxMemoryBytes !== undefined && mem > t.maxMemoryBytes) soft.push(`memory ${mem} B > max ${t.maxMemoryBytes} B`);
    if (baseline?.memoryBytes !== undefined && mem > baseline.memoryBytes * t.memoryGrowthFactor) {
      soft.push(`memory ${mem} B > baseline ${baseline.memoryBytes} B × ${t.memoryGrowthFactor}`);
    }
  }

  if (sample.hitRate === undefined && sample.ok) hard.push('hit_rate missing');
  const hit = w?.hitRate;
  if (hit !== undefined && (w?.lookups ?? 0) >= t.minCacheLookups) {
    const about = `${w?.lookups} lookups${w?.invalidatedMisses ? `, ${w.invalidatedMisses} misses after writes not counted` : ''}`;
    if (t.minHitRate !== undefined && hit < t.minHitRate) soft.push(`hit_rate ${fmt(hit)} < min ${t.minHitRate} (${about})`);
    const bw = baseline?.window;
    if (bw?.hitRate !== undefined && (bw.lookups ?? 0) >= t.minCacheLookups && hit < bw.hitRate - t.minHitRateDrop) {
      soft.push(`hit_rate ${fmt(hit)} < baseline ${fmt(bw.hitRate)} − ${t.minHitRateDrop} (${about})`);
    }
  }

  const reasons = warmingUp ? hard : [...hard, ...soft];
  return { ok: reasons.length === 0, reasons, ...(warmingUp && soft.length > 0 ? { excused: soft } : {}) };
}

/** Blue's window when it saw enough requests to compare with. */
function blueWindow(baseline: Baseline | null | undefined, minRequests: number): WindowFigures | undefined {
  const w = baseline?.window;
  return w && w.requests >= minRequests ? w : undefined;
}

/**
 * Readings of green's counters kept for the next checks. An interval with fewer than `minRequests`
 * requests (or `minCacheLookups` lookups) reaches back over up to this many readings, as a longer
 * window: a quiet, or slowed-down, green is judged over enough requests instead of not at all.
 */
export const RECENT_READINGS = 5;

/** A check as the monitor workflow makes it; `recent` are green's last readings, oldest first. */
export interface CheckResult {
  verdict: Evaluation;
  /** The figures judged: requests, errors and p95 over the shortest recent window with enough requests; the cache likewise. */
  window?: WindowFigures;
  /** The readings the next check starts from. */
  recent: Counters[];
  /** Why this check has no interval figures (first check, restart). */
  note?: string;
}

export function judgeCheck(args: {
  sample: ServiceSample;
  recent?: Counters[];
  baseline?: Baseline | null;
  plan: Pick<MonitoringPlan, 'thresholds' | 'warmupSeconds'>;
  /** Time since monitoring started. */
  elapsedMs: number;
}): CheckResult {
  const { sample, plan } = args;
  const t = plan.thresholds;
  const recent = args.recent ?? [];
  const now = sample.counters;
  // Newest first, back to the last restart.
  const spans: WindowFigures[] = [];
  let note: string | undefined;
  if (!now) note = 'no counters in this sample';
  else {
    for (const from of [...recent].reverse()) {
      const w = windowBetween(from, now);
      if (isReset(w)) {
        note ??= w.reset;
        break;
      }
      spans.push(w);
    }
    if (spans.length === 0) note ??= 'first reading of the counters';
  }
  let window: WindowFigures | undefined;
  if (spans.length > 0) {
    const forRequests = spans.find((w) => w.requests >= t.minRequests) ?? spans[spans.length - 1];
    const forCache = spans.find((w) => (w.lookups ?? 0) >= t.minCacheLookups) ?? spans[spans.length - 1];
    window = { ...forRequests };
    for (const k of ['lookups', 'invalidatedMisses', 'hitRate'] as const) {
      if (forCache[k] === undefined) delete window[k];
      else window[k] = forCache[k];
    }
  }
  const warmingUp = args.elapsedMs < plan.warmupSeconds * 1000;
  const verdict = evaluateCheck({ sample, window, baseline: args.baseline, thresholds: t, warmingUp });
  const kept = now ? [...(spans.length > 0 ? recent.slice(recent.length - spans.length) : []), now].slice(-RECENT_READINGS) : recent;
  return { verdict, window, recent: kept, ...(note ? { note } : {}) };
}

function pct(x: number): string {
  return `${fmt(x * 100)} %`;
}

export function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(3).replace(/0+$/, '');
}
