"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MONITOR_LOG_FILE = exports.MONITOR_INTERVAL_PATCH = exports.MonitoringPlan = exports.MonitoringThresholds = void 0;
exports.median = median;
exports.monitoringWindowMs = monitoringWindowMs;
const zod_1 = require("zod");
/**
 * Post-switch monitoring of GREEN (runbook: post_migration_monitoring.sh, performance_comparison.sh).
 * The schema is the `plan.release.monitoring` section; everything here is pure (workflow-safe).
 */
const PositiveInt = zod_1.z.number({ message: 'expected a positive integer' }).int({ message: 'expected a positive integer' }).positive({ message: 'expected a positive integer' });
const NonNegative = zod_1.z.number({ message: 'expected a number >= 0' }).min(0, { message: 'expected a number >= 0' });
const Factor = zod_1.z.number({ message: 'expected a factor >= 1' }).min(1, { message: 'expected a factor >= 1' });
const Fraction = zod_1.z.number({ message: 'expected a fraction between 0 and 1' }).min(0).max(1);
exports.MonitoringThresholds = zod_1.z
    .object({
    /** Absolute alert of the runbook: p95 above this fails the check. */
    maxP95Ms: zod_1.z.number().positive().default(1000),
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
exports.MonitoringPlan = zod_1.z
    .object({
    durationMinutes: PositiveInt.default(1440),
    /** Overrides durationMinutes when set (short windows: tests, demos). */
    durationSeconds: PositiveInt.optional(),
    intervalSeconds: PositiveInt.default(60),
    thresholds: exports.MonitoringThresholds.prefault({}),
    /** Failed checks in total that end monitoring as breached. */
    maxFailures: PositiveInt.default(5),
    maxConsecutiveFailures: PositiveInt.default(3),
    /** A check that cannot get its metrics: count it as failed, or pause until an operator resumes or aborts. */
    missingData: zod_1.z.enum(['fail', 'pause']).default('fail'),
    /** Checks per workflow run before continue-as-new keeps the history small. */
    continueAsNewEvery: PositiveInt.default(200),
    /**
     * Checks in the first seconds after the switch do not count slow p95, memory or a low hit rate
     * (cold caches, connection pools); health, errors and missing data count from the first check.
     * Default: two intervals.
     */
    warmupSeconds: zod_1.z.number({ message: 'expected a whole number of seconds >= 0' }).int({ message: 'expected a whole number of seconds >= 0' }).min(0, { message: 'expected a whole number of seconds >= 0' }).optional(),
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
/** The median of the defined numbers, or undefined when there are none. */
function median(values) {
    const xs = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
    if (xs.length === 0)
        return undefined;
    const mid = Math.floor(xs.length / 2);
    return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}
/** The monitoring window in milliseconds (durationSeconds wins over durationMinutes). */
function monitoringWindowMs(plan) {
    return plan.durationSeconds !== undefined ? plan.durationSeconds * 1000 : plan.durationMinutes * 60_000;
}
/** Marks monitor runs that judge interval figures (older runs replay with evaluateSampleLegacy). */
exports.MONITOR_INTERVAL_PATCH = 'monitor-interval-figures';
exports.MONITOR_LOG_FILE = 'post_migration_monitoring.csv';
//# sourceMappingURL=monitor.js.map