import { z } from 'zod';

/**
 * Post-switch monitoring of GREEN (runbook: post_migration_monitoring.sh, performance_comparison.sh).
 * The schema is the `plan.release.monitoring` section; everything here is pure (workflow-safe).
 */
const PositiveInt = z.number({ message: 'expected a positive integer' }).int({ message: 'expected a positive integer' }).positive({ message: 'expected a positive integer' });
const NonNegative = z.number({ message: 'expected a number >= 0' }).min(0, { message: 'expected a number >= 0' });
const Factor = z.number({ message: 'expected a factor >= 1' }).min(1, { message: 'expected a factor >= 1' });
const Fraction = z.number({ message: 'expected a fraction between 0 and 1' }).min(0).max(1);

export const MonitoringThresholds = z
  .object({
    /** Absolute alert of the runbook: p95 above this fails the check. */
    maxP95Ms: z.number().positive().default(1000),
    /** p95 fails when above baseline × factor + slack (the runbook's ">20%" degradation). */
    p95DegradationFactor: Factor.default(1.2),
    /** Keeps a tiny baseline (2 ms) from failing on noise (2.5 ms). */
    p95SlackMs: NonNegative.default(50),
    maxMemoryBytes: PositiveInt.optional(),
    memoryGrowthFactor: Factor.default(1.5),
    /** hit_rate fails when below baseline − this (absolute drop, hit rates are 0..1). */
    minHitRateDrop: Fraction.default(0.2),
    /** Absolute floor for hit_rate; off unless set. */
    minHitRate: Fraction.optional(),
  })
  .strict();

export const MonitoringPlan = z
  .object({
    durationMinutes: PositiveInt.default(1440),
    /** Overrides durationMinutes when set (short windows: tests, demos). */
    durationSeconds: PositiveInt.optional(),
    intervalSeconds: PositiveInt.default(60),
    thresholds: MonitoringThresholds.prefault({}),
    /** Failed checks in total that end monitoring as breached. */
    maxFailures: PositiveInt.default(5),
    maxConsecutiveFailures: PositiveInt.default(3),
    /** A check that cannot get its metrics: count it as failed, or pause until an operator resumes or aborts. */
    missingData: z.enum(['fail', 'pause']).default('fail'),
    /** Checks per workflow run before continue-as-new keeps the history small. */
    continueAsNewEvery: PositiveInt.default(200),
    /** Blue's baseline: median of this many samples, taken before the switch. */
    baselineSamples: PositiveInt.default(5),
    baselineIntervalSeconds: NonNegative.default(2),
  })
  .strict();

export type MonitoringThresholds = z.output<typeof MonitoringThresholds>;
export type MonitoringPlan = z.output<typeof MonitoringPlan>;
export type MonitoringPlanInput = z.input<typeof MonitoringPlan>;

/** One reading of a service. `ok: false` means the data could not be had (never a threshold verdict). */
export interface ServiceSample {
  ok: boolean;
  health?: string;
  p95Ms?: number;
  memoryBytes?: number;
  hitRate?: number;
  error?: string;
  /** The CSV log line could not be written (the sample itself is fine). */
  logError?: string;
}

/** Blue's medians before the switch; `samples: 0` means none could be read (only absolute thresholds apply). */
export interface Baseline {
  p95Ms?: number;
  memoryBytes?: number;
  hitRate?: number;
  samples: number;
  errors?: string[];
}

export interface Evaluation {
  ok: boolean;
  reasons: string[];
}

/** Compares one sample of green with the absolute thresholds and with blue's baseline. */
export function evaluateSample(sample: ServiceSample, baseline: Baseline | null | undefined, t: MonitoringThresholds): Evaluation {
  const reasons: string[] = [];
  if (!sample.ok) reasons.push(`no data: ${sample.error ?? 'unknown error'}`);
  if (sample.health === undefined) {
    if (sample.ok) reasons.push('health missing');
  } else if (sample.health !== 'healthy') reasons.push(`health is "${sample.health}"`);

  const p95 = sample.p95Ms;
  if (p95 === undefined) {
    if (sample.ok) reasons.push('p95 missing');
  } else {
    if (p95 > t.maxP95Ms) reasons.push(`p95 ${fmt(p95)} ms > max ${fmt(t.maxP95Ms)} ms`);
    if (baseline?.p95Ms !== undefined) {
      const limit = baseline.p95Ms * t.p95DegradationFactor + t.p95SlackMs;
      if (p95 > limit) reasons.push(`p95 ${fmt(p95)} ms > baseline ${fmt(baseline.p95Ms)} ms × ${t.p95DegradationFactor} + ${t.p95SlackMs} ms`);
    }
  }

  const mem = sample.memoryBytes;
  if (mem === undefined) {
    if (sample.ok) reasons.push('memory missing');
  } else {
    if (t.maxMemoryBytes !== undefined && mem > t.maxMemoryBytes) reasons.push(`memory ${mem} B > max ${t.maxMemoryBytes} B`);
    if (baseline?.memoryBytes !== undefined && mem > baseline.memoryBytes * t.memoryGrowthFactor) {
      reasons.push(`memory ${mem} B > baseline ${baseline.memoryBytes} B × ${t.memoryGrowthFactor}`);
    }
  }

  const hit = sample.hitRate;
  if (hit === undefined) {
    if (sample.ok) reasons.push('hit_rate missing');
  } else {
    if (t.minHitRate !== undefined && hit < t.minHitRate) reasons.push(`hit_rate ${fmt(hit)} < min ${t.minHitRate}`);
    if (baseline?.hitRate !== undefined && hit < baseline.hitRate - t.minHitRateDrop) {
      reasons.push(`hit_rate ${fmt(hit)} < baseline ${fmt(baseline.hitRate)} − ${t.minHitRateDrop}`);
    }
  }
  return { ok: reasons.length === 0, reasons };
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(3).replace(/0+$/, '');
}

/** The median of the defined numbers, or undefined when there are none. */
export function median(values: Array<number | undefined>): number | undefined {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return undefined;
  const mid = Math.floor(xs.length / 2);
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

export type MonitorOutcome = 'passed' | 'breached' | 'promoted' | 'aborted';

/** A digest of every sample so far, small enough to carry across continue-as-new. */
export interface SampleSummary {
  worstP95Ms?: number;
  peakMemoryBytes?: number;
  lowestHitRate?: number;
  /** Checks that got no data. */
  missing: number;
  /** The last few failed checks (at most 5). */
  recentFailures: Array<{ check: number; at: string; reasons: string[] }>;
}

/** What one run hands to the next on continue-as-new. Times are epoch milliseconds (workflow time). */
export interface MonitorState {
  checks: number;
  failures: number;
  consecutiveFailures: number;
  startedAt: number;
  deadline: number;
  nextCheckAt: number;
  /** 1 for the first run, +1 per continue-as-new. */
  run: number;
  lastSample?: ServiceSample;
  lastReasons?: string[];
  summary: SampleSummary;
}

export interface MonitorWorkflowInput {
  /** GREEN's root URL (http://host:port); `/api/v1/...` is appended. */
  baseUrl: string;
  /** The plan's release.monitoring section; defaults apply. */
  plan?: MonitoringPlanInput;
  /** Blue's baseline, measured by the parent before the switch (measureBaseline). */
  baseline?: Baseline | null;
  /** When set, one CSV line per check goes to `<stateDir>/post_migration_monitoring.csv`. */
  stateDir?: string;
  /** Set by the workflow itself on continue-as-new; never by a caller. */
  state?: MonitorState;
}

export interface MonitorStatus {
  checks: number;
  failures: number;
  consecutiveFailures: number;
  secondsLeft: number;
  lastSample?: ServiceSample;
  lastReasons?: string[];
  paused: boolean;
  pausedReason?: string;
  outcome?: MonitorOutcome;
  run: number;
}

/** The workflow never fails on a breach: it returns `breached` and the parent rolls back. */
export interface MonitorResult {
  outcome: MonitorOutcome;
  checks: number;
  failures: number;
  reason?: string;
  lastSample?: ServiceSample;
  summary: SampleSummary;
}

/** Argument of the abort signal: a reason, bare or wrapped. */
export type AbortRequest = string | { reason?: string };
export interface PromoteRequest {
  reason?: string;
}

/** The monitoring window in milliseconds (durationSeconds wins over durationMinutes). */
export function monitoringWindowMs(plan: Pick<MonitoringPlan, 'durationMinutes' | 'durationSeconds'>): number {
  return plan.durationSeconds !== undefined ? plan.durationSeconds * 1000 : plan.durationMinutes * 60_000;
}

export const MONITOR_LOG_FILE = 'post_migration_monitoring.csv';
