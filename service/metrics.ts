/**
 * Request durations over a sliding window: the last `maxSamples` requests that are younger than
 * `maxAgeMs`. Percentiles are nearest-rank, in milliseconds.
 */
export class RequestMetrics {
  private samples: { at: number; ms: number }[] = [];
  private errors = 0;
  private total = 0;

  constructor(private readonly maxSamples = 2000, private readonly maxAgeMs = 5 * 60_000) {}

  record(ms: number, status: number): void {
    this.total++;
    if (status >= 500) this.errors++;
    this.samples.push({ at: Date.now(), ms });
    if (this.samples.length > this.maxSamples * 2) this.samples = this.samples.slice(-this.maxSamples);
  }

  private window(): number[] {
    const since = Date.now() - this.maxAgeMs;
    return this.samples.slice(-this.maxSamples).filter((s) => s.at >= since).map((s) => s.ms);
  }

  snapshot(): Record<string, unknown> {
    const w = this.window().sort((a, b) => a - b);
    const pct = (p: number) => (w.length ? w[Math.min(w.length - 1, Math.ceil((p / 100) * w.length) - 1)] : 0);
    const round = (x: number) => Math.round(x * 100) / 100;
    return {
      histograms: { http_request_duration: { p50: round(pct(50)), p95: round(pct(95)), p99: round(pct(99)), count: w.length } },
      gauges: { memory_usage_bytes: process.memoryUsage().rss },
      counters: { http_requests_total: this.total, http_errors_total: this.errors },
    };
  }
}
