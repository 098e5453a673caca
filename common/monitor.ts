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
    /** The interval's share of 5xx answers fails when above blue's share over its window + this. */
    errorRateSlack: Fraction.default(0.01),
    /** p95 and error rate are compared with blue's only over at least this many requests (fewer is noise). */
    minRequests: PositiveInt.default(20),
    /**
     * hit_rate is compared only over at least this many lookups that could have hit: misses of an
     * entry that a write had just invalidated are left out (that miss is the cache working).
     */
    minCacheLookups: PositiveInt.default(20),
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
    /**
     * Checks in the first seconds after the switch do not count slow p95, memory or a low hit rate
     * (cold caches, connection pools); health, errors and missing data count from the first check.
     * Default: two intervals.
     */
    warmupSeconds: z.number({ message: 'expected a whole number of seconds >= 0' }).int({ message: 'expected a whole number of seconds >= 0' }).min(0, { message: 'expected a whole number of seconds >= 0' }).optional(),
    /**
     * Blue's baseline, read before the switch: this many samples `baselineIntervalSeconds` apart.
     * Counters are compared between the first and the last (one window of 60 s by default, as long
     * as one check interval); memory is the median.
     */
    baselineSamples: PositiveInt.default(5),
    baselineIntervalSeconds: NonNegative.default(15),
  })
  .strict()
  .transform((p) => ({ ...p, warmupSeconds: p.warmupSeconds ?? 2 * p.intervalSeconds }));

export type MonitoringThresholds = z.output<typeof MonitoringThresholds>;
export type MonitoringPlan = z.output<typeof MonitoringPlan>;
export type MonitoringPlanInput = z.input<typeof MonitoringPlan>;

/**
 * One reading of a service. `ok: false` means the data could not be had (never a threshold verdict).
 * `p95Ms` and `hitRate` are what the service reports (its own recent window, its hit rate since
 * start); `counters` are the raw counters that make interval figures (common/monitor-window.ts).
 */
export interface ServiceSample {
  ok: boolean;
  health?: string;
  p95Ms?: number;
  memoryBytes?: number;
  hitRate?: number;
  counters?: Counters;
  error?: string;
  /** The CSV log line could not be written (the sample itself is fine). */
  logError?: string;
}

/** Counters since the service's process started, read at `at` (epoch ms of the reader). */
export interface Counters {
  at: number;
  /** process_start_time_seconds and the instance name: another value means the counters restarted. */
  startedAt?: number;
  instance?: string;
  requests: number;
  /** 5xx answers. */
  errors: number;
  /** Cumulative counts per upper bound (ms), as Prometheus' `le` buckets; `count` is +Inf. */
  latency?: { leMs: number[]; counts: number[]; count: number };
  /** `invalidatedMisses`: misses of entries a write had invalidated (absent: the service does not say). */
  cache?: { hits: number; misses: number; invalidatedMisses?: number };
}

/** A service's figures over one window: the difference of two readings of its counters. */
export interface WindowFigures {
  seconds: number;
  requests: number;
  errors: number;
  errorRate?: number;
  /** From the latency histogram's buckets (interpolated, as histogram_quantile). */
  p95Ms?: number;
  /** Lookups that could have hit: hits + misses − invalidated misses. */
  lookups?: number;
  invalidatedMisses?: number;
  /** hits / lookups. */
  hitRate?: number;
}

/**
 * Blue before the switch. `window`: blue's figures between its first and last sample (the
 * baseline the checks compare with); `p95Ms` and `memoryBytes`: medians of what blue reported
 * (p95 is used only when the window saw too few requests). `hitRate` is in baselines of older
 * runs only (blue's rate since start: not comparable, no longer used). `samples: 0`: nothing
 * could be read, only absolute thresholds apply.
 */
export interface Baseline {
  p95Ms?: number;
  memoryBytes?: number;
  hitRate?: number;
  window?: WindowFigures;
  samples: number;
  errors?: string[];
}

/** `excused`: failed comparisons that the warm-up does not count. */
export interface Evaluation {
  ok: boolean;
  reasons: string[];
  excused?: string[];
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
  /** Over the intervals (the reported p95 where there were none). */
  worstP95Ms?: number;
  peakMemoryBytes?: number;
  /** Over the intervals with enough lookups to compare. */
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
  /** Green's figures over the last interval, and the failed comparisons the warm-up excused. */
  lastWindow?: WindowFigures;
  lastExcused?: string[];
  /** Green's last readings of its counters (oldest first): the next intervals start there. */
  recent?: Counters[];
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
  lastWindow?: WindowFigures;
  lastExcused?: string[];
  warmingUp: boolean;
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

/** Marks monitor runs that judge interval figures (older runs replay with evaluateSampleLegacy). */
export const MONITOR_INTERVAL_PATCH = 'monitor-interval-figures';

export const MONITOR_LOG_FILE = 'post_migration_monitoring.csv';
