"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.BASELINE_FILE = void 0;
exports.baselineFile = baselineFile;
exports.BASELINE_FILE = 'performance_baseline.json';
/**
 * The runbook's performance_baseline.json: its jq paths (`.histograms.http_request_duration.p95`,
 * `.gauges.memory_usage_bytes`) hold blue's figures, next to the whole baseline the monitoring
 * compares green with. No URL with credentials: `url` is blue's loopback address.
 */
function baselineFile(b, url, runId) {
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
//# sourceMappingURL=baseline.js.map