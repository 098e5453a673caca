"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RequestMetrics = exports.LATENCY_BUCKETS_MS = void 0;
/**
 * Upper bounds (ms) of the cumulative latency histogram: steps of at most ×1.33 above 10 ms, so a
 * percentile interpolated inside a bucket is within a third of the truth, the same way for blue and green.
 */
exports.LATENCY_BUCKETS_MS = [
    1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 120, 150, 200, 250, 300, 400, 500, 600, 800,
    1000, 1200, 1500, 2000, 2500, 3000, 4000, 5000, 6000, 8000, 10_000, 15_000, 20_000, 30_000, 60_000,
];
/**
 * Request metrics. Percentiles over a sliding window (the last `maxSamples` requests younger than
 * `maxAgeMs`, nearest-rank, ms) for people; and counters since the process started (requests, 5xx,
 * a latency histogram) so that a monitor can take the difference of two readings and get the
 * figures of exactly the interval between them, as Prometheus does with rate() and histogram_quantile().
 */
class RequestMetrics {
    maxSamples;
    maxAgeMs;
    samples = [];
    errors = 0;
    total = 0;
    sumMs = 0;
    /** Requests per bucket (not cumulative); the last slot counts those above the last bound. */
    buckets = new Array(exports.LATENCY_BUCKETS_MS.length + 1).fill(0);
    startedAt = Date.now() / 1000;
    constructor(maxSamples = 2000, maxAgeMs = 5 * 60_000) {
        this.maxSamples = maxSamples;
        this.maxAgeMs = maxAgeMs;
    }
    record(ms, status) {
        this.total++;
        this.sumMs += ms;
        if (status >= 500)
            this.errors++;
        const i = exports.LATENCY_BUCKETS_MS.findIndex((le) => ms <= le);
        this.buckets[i === -1 ? exports.LATENCY_BUCKETS_MS.length : i]++;
        this.samples.push({ at: Date.now(), ms });
        if (this.samples.length > this.maxSamples * 2)
            this.samples = this.samples.slice(-this.maxSamples);
    }
    window() {
        const since = Date.now() - this.maxAgeMs;
        return this.samples.slice(-this.maxSamples).filter((s) => s.at >= since).map((s) => s.ms);
    }
    snapshot() {
        const w = this.window().sort((a, b) => a - b);
        const pct = (p) => (w.length ? w[Math.min(w.length - 1, Math.ceil((p / 100) * w.length) - 1)] : 0);
        const round = (x) => Math.round(x * 100) / 100;
        let running = 0;
        // Cumulative per upper bound, as Prometheus' `le` buckets; `count` is the +Inf bucket.
        const counts = exports.LATENCY_BUCKETS_MS.map((_, i) => (running += this.buckets[i]));
        return {
            histograms: {
                http_request_duration: {
                    p50: round(pct(50)), p95: round(pct(95)), p99: round(pct(99)), count: w.length,
                    cumulative: { le_ms: exports.LATENCY_BUCKETS_MS, counts, count: this.total, sum_ms: round(this.sumMs) },
                },
            },
            gauges: { memory_usage_bytes: process.memoryUsage().rss, process_start_time_seconds: this.startedAt },
            counters: { http_requests_total: this.total, http_errors_total: this.errors },
        };
    }
}
exports.RequestMetrics = RequestMetrics;
//# sourceMappingURL=metrics.js.map