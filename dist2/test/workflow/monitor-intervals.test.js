"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const monitor_harness_1 = require("./monitor-harness");
(0, monitor_harness_1.useMonitorEnvironment)();
/**
 * Green's counters as the reference service reports them, one reading per check: every interval
 * brings 600 requests (p95 ~40 ms unless `slowMs`), `errors` of them 5xx, and 300 cache lookups of
 * which 280 miss an entry that a write had just invalidated (8 writes/s empty the search cache).
 */
function greenUnderWrites(opts = {}) {
    const leMs = [10, 50, 100, 1000, 5000];
    const c = { at: 0, startedAt: 1_800_000_000, instance: 'green', requests: 0, errors: 0, latency: { leMs, counts: [0, 0, 0, 0, 0], count: 0 }, cache: { hits: 0, misses: 0, invalidatedMisses: 0 } };
    return (n) => {
        const slow = opts.slowFrom !== undefined && n >= opts.slowFrom;
        const add = slow ? [0, 0, 0, 0, 600] : [400, 590, 600, 600, 600];
        const lat = c.latency;
        const cache = c.cache;
        const next = {
            ...c,
            at: n * 60_000,
            requests: c.requests + 600,
            errors: c.errors + (opts.errorsFrom !== undefined && n >= opts.errorsFrom ? 60 : 0),
            latency: { leMs, counts: lat.counts.map((x, i) => x + add[i]), count: lat.count + 600 },
            cache: { hits: cache.hits + 18, misses: cache.misses + 282, invalidatedMisses: cache.invalidatedMisses + 280 },
        };
        Object.assign(c, next);
        const hitRate = next.cache.hits / (next.cache.hits + next.cache.misses);
        return { ...monitor_harness_1.healthy, p95Ms: slow ? 4000 : 45, hitRate, counters: structuredClone(next) };
    };
}
// Blue before the switch: hit rate 0.968 since it started, 0.9 over its window; p95 40 ms.
const blue = {
    p95Ms: 40, memoryBytes: 200_000_000, hitRate: 0.968, samples: 5,
    window: { seconds: 60, requests: 600, errors: 0, errorRate: 0, p95Ms: 40, lookups: 200, invalidatedMisses: 0, hitRate: 0.9 },
};
(0, node_test_1.describe)('monitor workflow, interval figures', () => {
    (0, node_test_1.test)("green under writes (hit rate since start ~0.06) passes: each interval's cache is judged without the misses writes caused", async () => {
        const { result, final } = await (0, monitor_harness_1.monitor)({ baseline: blue, plan: { durationMinutes: 60 } }, greenUnderWrites());
        strict_1.default.equal(result.outcome, 'passed', result.reason);
        strict_1.default.equal(result.failures, 0);
        strict_1.default.equal(result.checks, 60);
        strict_1.default.ok((result.lastSample?.hitRate ?? 1) < 0.1, 'the hit rate green reports since start is low');
        strict_1.default.equal(result.lastSample?.counters, undefined, 'counters are kept once, as the reference');
        strict_1.default.equal(result.summary.lowestHitRate, 0.9, 'of the 20 lookups per interval that could hit, 18 did: as on blue');
        strict_1.default.deepEqual({ ...final.lastWindow }, { seconds: 60, requests: 600, errors: 0, errorRate: 0, p95Ms: 45.79, lookups: 20, invalidatedMisses: 280, hitRate: 0.9 });
        strict_1.default.equal(final.warmingUp, false);
    });
    (0, node_test_1.test)('a slow green breaches once the warm-up is over: the warm-up checks are not counted', async () => {
        const { result } = await (0, monitor_harness_1.monitor)({ baseline: blue, plan: { durationMinutes: 60, warmupSeconds: 150 } }, greenUnderWrites({ slowFrom: 1 }));
        strict_1.default.equal(result.outcome, 'breached');
        // Checks at 0, 60, 120 s are in the warm-up (the first has no interval yet); 180, 240, 300 s count.
        strict_1.default.equal(result.checks, 6);
        strict_1.default.deepEqual(result.summary.recentFailures.map((f) => f.check), [4, 5, 6]);
        strict_1.default.match(result.reason ?? '', /3 consecutive failed checks .*p95 4800 ms > max 1000 ms; p95 4800 ms > baseline 40 ms × 1.2 \+ 50 ms/);
    });
    (0, node_test_1.test)('a failing green breaches on its error rate over the interval, warm-up or not', async () => {
        const { result } = await (0, monitor_harness_1.monitor)({ baseline: blue, plan: { durationMinutes: 60 } }, greenUnderWrites({ errorsFrom: 2 }));
        strict_1.default.equal(result.outcome, 'breached');
        strict_1.default.equal(result.checks, 4, 'checks 2, 3 and 4 (the warm-up does not excuse errors)');
        strict_1.default.match(result.reason ?? '', /error rate 10 % \(60 of 600 requests\) > blue's 0 % \+ 1 %/);
    });
    (0, node_test_1.test)('a restart of green between two checks gives no interval for that check, then goes on', async () => {
        const gen = greenUnderWrites();
        const { result } = await (0, monitor_harness_1.monitor)({ baseline: blue, plan: { durationMinutes: 10 } }, (n) => {
            const s = gen(n);
            if (n >= 5)
                s.counters = { ...s.counters, startedAt: 1_800_000_999, requests: s.counters.requests - 3000 };
            return s;
        });
        strict_1.default.equal(result.outcome, 'passed');
        strict_1.default.equal(result.failures, 0);
    });
});
//# sourceMappingURL=monitor-intervals.test.js.map