"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.windowBetween = windowBetween;
exports.isReset = isReset;
exports.histogramQuantile = histogramQuantile;
/**
 * Interval figures from two readings of a service's counters (pure, workflow-safe). Counters since
 * process start are never compared as such: a service that has run for a week has a hit rate and
 * an error share of that week, not of the last minute.
 */
/** The figures between `from` and `to`, or why there are none (the process restarted in between). */
function windowBetween(from, to) {
    if (from.startedAt !== to.startedAt || from.instance !== to.instance) {
        return { reset: `the service restarted (${from.instance ?? '?'}@${from.startedAt ?? '?'} → ${to.instance ?? '?'}@${to.startedAt ?? '?'})` };
    }
    const requests = to.requests - from.requests;
    const errors = to.errors - from.errors;
    if (requests < 0 || errors < 0)
        return { reset: 'the request counters went down' };
    const w = { seconds: Math.max(0, (to.at - from.at) / 1000), requests, errors };
    if (requests > 0)
        w.errorRate = errors / requests;
    const a = from.latency;
    const b = to.latency;
    if (a && b && sameBounds(a.leMs, b.leMs)) {
        const counts = b.counts.map((c, i) => c - a.counts[i]);
        const count = b.count - a.count;
        if (count < 0 || counts.some((c) => c < 0))
            return { reset: 'the latency histogram went down' };
        w.p95Ms = histogramQuantile(0.95, b.leMs, counts, count);
    }
    if (from.cache && to.cache) {
        const hits = to.cache.hits - from.cache.hits;
        const misses = to.cache.misses - from.cache.misses;
        const invalidated = (to.cache.invalidatedMisses ?? 0) - (from.cache.invalidatedMisses ?? 0);
        if (hits < 0 || misses < 0 || invalidated < 0)
            return { reset: 'the cache counters went down' };
        w.lookups = hits + misses - invalidated;
        w.invalidatedMisses = invalidated;
        if (w.lookups > 0)
            w.hitRate = hits / w.lookups;
    }
    return w;
}
function isReset(w) {
    return 'reset' in w;
}
/**
 * The q-quantile of a histogram with cumulative `counts` per upper bound `leMs` and `count` in
 * all: linear inside the bucket that holds the rank, as Prometheus' histogram_quantile(); a rank
 * above the last bound answers that bound. Undefined for an empty histogram.
 */
function histogramQuantile(q, leMs, counts, count) {
    if (count <= 0)
        return undefined;
    const rank = q * count;
    const i = counts.findIndex((c) => c >= rank);
    if (i === -1)
        return leMs[leMs.length - 1];
    const lower = i === 0 ? 0 : leMs[i - 1];
    const below = i === 0 ? 0 : counts[i - 1];
    const inBucket = counts[i] - below;
    const v = inBucket > 0 ? lower + ((leMs[i] - lower) * (rank - below)) / inBucket : leMs[i];
    return Math.round(v * 100) / 100;
}
function sameBounds(a, b) {
    return a.length === b.length && a.every((x, i) => x === b[i]);
}
//# sourceMappingURL=monitor-window.js.map