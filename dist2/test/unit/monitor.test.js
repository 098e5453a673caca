"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const monitor_1 = require("../../common/monitor");
const monitor_evaluate_1 = require("../../common/monitor-evaluate");
const monitor_legacy_1 = require("../../common/monitor-legacy");
const monitor_window_1 = require("../../common/monitor-window");
const validation_1 = require("../../common/validation");
const lru_1 = require("../../service/lru");
const metrics_1 = require("../../service/metrics");
const t = monitor_1.MonitoringPlan.parse({}).thresholds;
const baseline = { p95Ms: 200, memoryBytes: 100_000_000, samples: 5 };
const good = { ok: true, health: 'healthy', p95Ms: 250, memoryBytes: 140_000_000, hitRate: 0.65 };
const check = (s, b = baseline, th = t, window, warmingUp = false) => (0, monitor_evaluate_1.evaluateCheck)({ sample: { ...good, ...s }, baseline: b, thresholds: th, window, warmingUp }).reasons;
(0, node_test_1.test)('the monitoring plan has the runbook defaults', () => {
    const plan = monitor_1.MonitoringPlan.parse({});
    strict_1.default.equal(plan.durationMinutes, 1440);
    strict_1.default.equal(plan.intervalSeconds, 60);
    strict_1.default.equal(plan.maxFailures, 5);
    strict_1.default.equal(plan.maxConsecutiveFailures, 3);
    strict_1.default.equal(plan.missingData, 'fail');
    strict_1.default.equal(plan.continueAsNewEvery, 200);
    strict_1.default.equal(plan.warmupSeconds, 120, 'two intervals');
    strict_1.default.equal(plan.baselineSamples, 5);
    strict_1.default.equal(plan.baselineIntervalSeconds, 15, 'blue is read over one interval (60 s)');
    strict_1.default.deepEqual(plan.thresholds, {
        maxP95Ms: 1000, p95DegradationFactor: 1.2, p95SlackMs: 50, memoryGrowthFactor: 1.5, minHitRateDrop: 0.2,
        errorRateSlack: 0.01, minRequests: 20, minCacheLookups: 20,
    });
});
(0, node_test_1.test)('warmupSeconds: two intervals unless set; 0 turns it off; the parsed plan parses again unchanged', () => {
    strict_1.default.equal(monitor_1.MonitoringPlan.parse({ intervalSeconds: 5 }).warmupSeconds, 10);
    strict_1.default.equal(monitor_1.MonitoringPlan.parse({ intervalSeconds: 5, warmupSeconds: 0 }).warmupSeconds, 0);
    const once = monitor_1.MonitoringPlan.parse({ intervalSeconds: 5, thresholds: { minRequests: 3 } });
    strict_1.default.deepEqual(monitor_1.MonitoringPlan.parse(once), once, 'the saga hands the parsed plan to the monitor child');
    const r = monitor_1.MonitoringPlan.safeParse({ warmupSeconds: -1 });
    strict_1.default.ok(!r.success);
    strict_1.default.deepEqual((0, validation_1.formatIssues)('plan.release.monitoring', r.error, { warmupSeconds: -1 }), ['plan.release.monitoring.warmupSeconds: expected a whole number of seconds >= 0, got -1']);
});
(0, node_test_1.test)('the monitoring plan is strict and reports every problem', () => {
    const input = { intervalSeconds: 0, missingData: 'ignore', thresholds: { maxP95: 5 } };
    const r = monitor_1.MonitoringPlan.safeParse(input);
    strict_1.default.ok(!r.success);
    const errors = (0, validation_1.formatIssues)('plan.release.monitoring', r.error, input);
    strict_1.default.ok(errors.includes('plan.release.monitoring.intervalSeconds: expected a positive integer, got 0'), errors.join('\n'));
    strict_1.default.ok(errors.some((e) => e.startsWith('plan.release.monitoring.missingData:')));
    strict_1.default.ok(errors.some((e) => e.includes('maxP95')));
    strict_1.default.equal(errors.length, 3);
});
(0, node_test_1.test)('a sample within every limit passes (p95 at baseline × 1.2 + slack is still fine)', () => {
    strict_1.default.deepEqual((0, monitor_evaluate_1.evaluateCheck)({ sample: good, baseline, thresholds: t }), { ok: true, reasons: [] });
    strict_1.default.deepEqual(check({ p95Ms: 290 }), []);
});
(0, node_test_1.test)('each threshold names itself', () => {
    strict_1.default.deepEqual(check({ health: 'degraded' }), ['health is "degraded"']);
    strict_1.default.deepEqual(check({ p95Ms: 291 }), ['p95 291 ms > baseline 200 ms × 1.2 + 50 ms']);
    strict_1.default.deepEqual(check({ p95Ms: 1200 }, null), ['p95 1200 ms > max 1000 ms']);
    strict_1.default.deepEqual(check({ p95Ms: 1200 }), ['p95 1200 ms > max 1000 ms', 'p95 1200 ms > baseline 200 ms × 1.2 + 50 ms']);
    strict_1.default.deepEqual(check({ memoryBytes: 150_000_001 }), ['memory 150000001 B > baseline 100000000 B × 1.5']);
    strict_1.default.deepEqual(check({ memoryBytes: 2e9 }, null, { ...t, maxMemoryBytes: 1e9 }), ['memory 2000000000 B > max 1000000000 B']);
});
(0, node_test_1.test)('without a baseline only the absolute thresholds apply', () => {
    strict_1.default.deepEqual(check({ p95Ms: 900, memoryBytes: 9e9, hitRate: 0 }, { samples: 0 }), []);
});
(0, node_test_1.test)('a sample without data fails with the error, and missing fields are named', () => {
    strict_1.default.deepEqual((0, monitor_evaluate_1.evaluateCheck)({ sample: { ok: false, error: 'health: ECONNREFUSED' }, baseline, thresholds: t }), { ok: false, reasons: ['no data: health: ECONNREFUSED'] });
    strict_1.default.deepEqual((0, monitor_evaluate_1.evaluateCheck)({ sample: { ok: true, health: 'healthy' }, baseline, thresholds: t }).reasons, ['p95 missing', 'memory missing', 'hit_rate missing']);
});
// Blue over its baseline window: 600 requests, 1 error, p95 40 ms, 90 % of 300 lookups hit.
const blueWindow = { seconds: 60, requests: 600, errors: 1, errorRate: 1 / 600, p95Ms: 40, lookups: 300, invalidatedMisses: 0, hitRate: 0.9 };
const withWindow = { ...baseline, window: blueWindow };
const green = (w) => ({ seconds: 60, requests: 500, errors: 0, errorRate: 0, p95Ms: 45, lookups: 200, invalidatedMisses: 0, hitRate: 0.85, ...w });
(0, node_test_1.test)("green's interval is compared with blue's window, not with what the services report since start", () => {
    // The issue: hit rate since start 0.968 on blue, ~0 on green; p95 gauges far apart.
    const s = { p95Ms: 999, hitRate: 0.01 };
    strict_1.default.deepEqual(check(s, { ...withWindow, hitRate: 0.968 }, t, green({})), [], 'gauges are not judged when there are interval figures');
    strict_1.default.deepEqual(check(s, withWindow, t, green({ p95Ms: 120 })), ['p95 120 ms > baseline 40 ms × 1.2 + 50 ms']);
    strict_1.default.deepEqual(check(s, withWindow, t, green({ hitRate: 0.6 })), ['hit_rate 0.6 < baseline 0.9 − 0.2 (200 lookups)']);
    strict_1.default.deepEqual(check(s, withWindow, t, green({ errors: 25, errorRate: 0.05 })), ["error rate 5 % (25 of 500 requests) > blue's 0.167 % + 1 %"]);
});
(0, node_test_1.test)('misses after writes are not counted; too few lookups or requests are not compared', () => {
    // Under writes nearly every search misses an entry a write just invalidated: those lookups are left out.
    strict_1.default.deepEqual(check({}, withWindow, t, green({ lookups: 12, invalidatedMisses: 300, hitRate: 0 })), []);
    strict_1.default.deepEqual(check({}, withWindow, t, green({ lookups: 40, invalidatedMisses: 300, hitRate: 0.1 })), ['hit_rate 0.1 < baseline 0.9 − 0.2 (40 lookups, 300 misses after writes not counted)']);
    strict_1.default.deepEqual(check({}, { ...withWindow, window: { ...blueWindow, lookups: 5 } }, t, green({ hitRate: 0 })), [], "blue's window had too few lookups");
    strict_1.default.deepEqual(check({}, withWindow, t, green({ requests: 19, errors: 10, errorRate: 10 / 19, p95Ms: 500 })), [], 'p95 and errors over 19 requests are noise');
    strict_1.default.deepEqual(check({}, withWindow, t, green({ requests: 19, p95Ms: 1500 })), ['p95 1500 ms > max 1000 ms'], 'absolute limits apply to any interval');
    // Blue's window too thin: blue's own p95 (its recent window) and an error rate of 0 are the baseline.
    const thin = { ...withWindow, window: { ...blueWindow, requests: 3 } };
    strict_1.default.deepEqual(check({}, thin, t, green({ p95Ms: 260 })), []);
    strict_1.default.deepEqual(check({}, thin, t, green({ p95Ms: 300, errors: 6, errorRate: 6 / 500 })), ["error rate 1.2 % (6 of 500 requests) > blue's 0 % + 1 %", 'p95 300 ms > baseline 200 ms × 1.2 + 50 ms']);
});
(0, node_test_1.test)('the warm-up excuses latency, memory and cache, never health, errors or missing data', () => {
    const slowAndCold = green({ p95Ms: 2000, hitRate: 0.1 });
    const r = (0, monitor_evaluate_1.evaluateCheck)({ sample: { ...good, memoryBytes: 9e8 }, baseline: withWindow, thresholds: t, window: slowAndCold, warmingUp: true });
    strict_1.default.equal(r.ok, true);
    strict_1.default.equal(r.excused?.length, 4);
    strict_1.default.deepEqual(check({ health: 'unhealthy' }, withWindow, t, slowAndCold, true), ['health is "unhealthy"']);
    strict_1.default.deepEqual(check({}, withWindow, t, green({ errors: 100, errorRate: 0.2 }), true), ["error rate 20 % (100 of 500 requests) > blue's 0.167 % + 1 %"]);
    strict_1.default.deepEqual((0, monitor_evaluate_1.evaluateCheck)({ sample: { ok: false, error: 'x' }, thresholds: t, warmingUp: true }).reasons, ['no data: x']);
});
const counters = (c) => ({ at: 0, startedAt: 1, instance: 'green', requests: 0, errors: 0, ...c });
(0, node_test_1.test)('an interval is the difference of two readings; a restart gives none', () => {
    const leMs = [10, 20, 50, 100];
    const a = counters({ at: 1000, requests: 100, errors: 1, latency: { leMs, counts: [50, 90, 100, 100], count: 100 }, cache: { hits: 90, misses: 10, invalidatedMisses: 2 } });
    // 100 more requests: 80 ≤ 10 ms, 10 in 10–20, 10 in 50–100 ms; 2 errors; 5 hits, 45 misses of which 40 after writes.
    const b = counters({ at: 61_000, requests: 200, errors: 3, latency: { leMs, counts: [130, 180, 190, 200], count: 200 }, cache: { hits: 95, misses: 55, invalidatedMisses: 42 } });
    strict_1.default.deepEqual((0, monitor_window_1.windowBetween)(a, b), { seconds: 60, requests: 100, errors: 2, errorRate: 0.02, p95Ms: 75, lookups: 10, invalidatedMisses: 40, hitRate: 0.5 });
    strict_1.default.deepEqual((0, monitor_window_1.windowBetween)(a, { ...b, startedAt: 2 }), { reset: 'the service restarted (green@1 → green@2)' });
    strict_1.default.deepEqual((0, monitor_window_1.windowBetween)(a, { ...b, requests: 50 }), { reset: 'the request counters went down' });
    strict_1.default.deepEqual((0, monitor_window_1.windowBetween)(a, { ...b, cache: undefined }), { seconds: 60, requests: 100, errors: 2, errorRate: 0.02, p95Ms: 75 });
});
(0, node_test_1.test)('histogram quantiles interpolate inside the bucket, as histogram_quantile()', () => {
    strict_1.default.equal((0, monitor_window_1.histogramQuantile)(0.95, [10, 20], [0, 0], 0), undefined);
    strict_1.default.equal((0, monitor_window_1.histogramQuantile)(0.5, [10, 20], [10, 20], 20), 10);
    strict_1.default.equal((0, monitor_window_1.histogramQuantile)(0.95, [10, 20], [0, 20], 20), 19.5);
    strict_1.default.equal((0, monitor_window_1.histogramQuantile)(0.95, [10, 20], [0, 0], 20), 20, 'above the last bound: the last bound');
});
(0, node_test_1.test)('judgeCheck: the first reading starts the intervals; the next check judges one; the warm-up is from the plan', () => {
    const plan = monitor_1.MonitoringPlan.parse({ intervalSeconds: 10, thresholds: { minRequests: 1 } });
    const slow = (requests) => ({ ...good, counters: counters({ requests, latency: { leMs: [100, 2000], counts: [0, requests], count: requests } }) });
    const first = (0, monitor_evaluate_1.judgeCheck)({ sample: slow(10), baseline: withWindow, plan, elapsedMs: 0 });
    strict_1.default.equal(first.window, undefined);
    strict_1.default.equal(first.note, 'first reading of the counters');
    strict_1.default.deepEqual(first.verdict, { ok: true, reasons: [] }, "the p95 green reports is not compared with blue's window");
    strict_1.default.deepEqual((0, monitor_evaluate_1.judgeCheck)({ sample: { ...slow(10), p95Ms: 1500 }, baseline: withWindow, plan, elapsedMs: 0 }).verdict.excused, ['p95 1500 ms > max 1000 ms'], 'absolute limits apply, excused in the warm-up (20 s)');
    const second = (0, monitor_evaluate_1.judgeCheck)({ sample: slow(30), recent: first.recent, baseline: withWindow, plan, elapsedMs: 25_000 });
    strict_1.default.equal(second.window?.requests, 20);
    strict_1.default.deepEqual(second.verdict.reasons, ['p95 1905 ms > max 1000 ms', 'p95 1905 ms > baseline 40 ms × 1.2 + 50 ms']);
    strict_1.default.deepEqual((0, monitor_evaluate_1.judgeCheck)({ sample: { ...good }, recent: second.recent, baseline, plan, elapsedMs: 25_000 }).recent, second.recent, 'a sample without counters keeps the readings');
});
(0, node_test_1.test)('judgeCheck: a quiet interval reaches back over recent readings until it has enough requests and lookups', () => {
    const plan = monitor_1.MonitoringPlan.parse({ intervalSeconds: 10, thresholds: { minCacheLookups: 100 } });
    // 8 requests and 5 lookups that could hit per interval; a restart between readings 2 and 3.
    const reading = (n, startedAt = 1) => counters({ at: n * 10_000, startedAt, requests: 8 * n, cache: { hits: 5 * n, misses: 0 } });
    let recent = [];
    const windows = [];
    for (let n = 1; n <= 9; n++) {
        const r = (0, monitor_evaluate_1.judgeCheck)({ sample: { ...good, counters: reading(n, n <= 2 ? 1 : 2) }, recent, baseline, plan, elapsedMs: 60_000 });
        recent = r.recent;
        windows.push(r.window);
        strict_1.default.ok(recent.length <= 5);
    }
    strict_1.default.equal(windows[2], undefined, 'the restart: no interval');
    strict_1.default.deepEqual(windows.map((w) => w?.requests), [undefined, 8, undefined, 8, 16, 24, 24, 24, 24], 'the shortest window with 20 requests');
    strict_1.default.deepEqual(windows.map((w) => w?.lookups), [undefined, 5, undefined, 5, 10, 15, 20, 25, 25], 'never enough lookups: at most 5 intervals');
    strict_1.default.equal(windows[6]?.seconds, 30);
});
(0, node_test_1.test)('the legacy evaluation of runs started before interval figures is unchanged', () => {
    const old = { ...baseline, hitRate: 0.8 };
    strict_1.default.deepEqual((0, monitor_legacy_1.evaluateSampleLegacy)(good, old, t), { ok: true, reasons: [] });
    strict_1.default.deepEqual((0, monitor_legacy_1.evaluateSampleLegacy)({ ...good, hitRate: 0.59 }, old, t).reasons, ['hit_rate 0.59 < baseline 0.8 − 0.2']);
});
(0, node_test_1.test)('the reference service counts misses after invalidation and keeps a cumulative latency histogram', () => {
    const cache = new lru_1.LruCache(10);
    cache.set('search:a', 1);
    cache.set('templates', 2);
    cache.get('search:a');
    cache.invalidate('search:');
    cache.get('search:a');
    cache.get('search:b');
    cache.set('search:a', 1);
    cache.get('search:a');
    strict_1.default.deepEqual(cache.stats(), { hit_rate: 0.5, size: 2, hits: 2, misses: 2, invalidated_misses: 1, invalidations: 1, max_size: 10 });
    const m = new metrics_1.RequestMetrics();
    m.record(3, 200);
    m.record(70, 500);
    m.record(70_000, 200);
    const snap = m.snapshot();
    const h = snap.histograms.http_request_duration.cumulative;
    strict_1.default.deepEqual(h.le_ms, metrics_1.LATENCY_BUCKETS_MS);
    strict_1.default.equal(h.count, 3);
    strict_1.default.equal(h.counts[metrics_1.LATENCY_BUCKETS_MS.indexOf(3)], 1);
    strict_1.default.equal(h.counts[metrics_1.LATENCY_BUCKETS_MS.indexOf(80)], 2);
    strict_1.default.equal(h.counts.at(-1), 2, 'the 70 s request is only in count (+Inf)');
    strict_1.default.deepEqual(snap.counters, { http_requests_total: 3, http_errors_total: 1 });
    strict_1.default.equal(typeof snap.gauges.process_start_time_seconds, 'number');
});
(0, node_test_1.test)('median of the defined values', () => {
    strict_1.default.equal((0, monitor_1.median)([3, undefined, 1, 2]), 2);
    strict_1.default.equal((0, monitor_1.median)([4, 1, 2, 3]), 2.5);
    strict_1.default.equal((0, monitor_1.median)([undefined]), undefined);
});
//# sourceMappingURL=monitor.test.js.map