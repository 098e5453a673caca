import type { Baseline } from '../../common/monitor';

export const BASELINE_FILE = 'performance_baseline.json';

/**
 * The runbook's performance_baseline.json: its jq paths (`.histograms.http_request_duration.p95`,
 * `.gauges.memory_usage_bytes`) hold blue's figures, next to the whole baseline the monitoring
 * compares green with. No URL with credentials: `url` is blue's loopback address.
 */
export function baselineFile(b: Baseline, url: string, runId: string) {
  return {
    run_id: runId,
    measured_at: new Date().toISOString(),
    source: { side: 'blue', url },
    histograms: { http_request_duration: { p95: b.window?.p95Ms ?? b.p95Ms ?? null } },
    gauges: { memory_usage_bytes: b.memoryBytes ?? null },
    cache: { hit_rate: b.window?.hitRate ?? b.hitRate ?? null },
    baseline: b,
  };
}
