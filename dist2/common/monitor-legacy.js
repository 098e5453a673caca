"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.evaluateSampleLegacy = evaluateSampleLegacy;
const monitor_evaluate_1 = require("./monitor-evaluate");
/**
 * The evaluation of monitor runs that started before interval figures (patch
 * `monitor-interval-figures`): kept as it was so that their histories replay unchanged. It
 * compares what the service reports (its hit rate since start included) with blue's medians.
 */
function evaluateSampleLegacy(sample, baseline, t) {
    const reasons = [];
    if (!sample.ok)
        reasons.push(`no data: ${sample.error ?? 'unknown error'}`);
    if (sample.health === undefined) {
        if (sample.ok)
            reasons.push('health missing');
    }
    else if (sample.health !== 'healthy')
        reasons.push(`health is "${sample.health}"`);
    const p95 = sample.p95Ms;
    if (p95 === undefined) {
        if (sample.ok)
            reasons.push('p95 missing');
    }
    else {
        if (p95 > t.maxP95Ms)
            reasons.push(`p95 ${(0, monitor_evaluate_1.fmt)(p95)} ms > max ${(0, monitor_evaluate_1.fmt)(t.maxP95Ms)} ms`);
        if (baseline?.p95Ms !== undefined) {
            const limit = baseline.p95Ms * t.p95DegradationFactor + t.p95SlackMs;
            if (p95 > limit)
                reasons.push(`p95 ${(0, monitor_evaluate_1.fmt)(p95)} ms > baseline ${(0, monitor_evaluate_1.fmt)(baseline.p95Ms)} ms × ${t.p95DegradationFactor} + ${t.p95SlackMs} ms`);
        }
    }
    const mem = sample.memoryBytes;
    if (mem === undefined) {
        if (sample.ok)
            reasons.push('memory missing');
    }
    else {
        if (t.maxMemoryBytes !== undefined && mem > t.maxMemoryBytes)
            reasons.push(`memory ${mem} B > max ${t.maxMemoryBytes} B`);
        if (baseline?.memoryBytes !== undefined && mem > baseline.memoryBytes * t.memoryGrowthFactor) {
            reasons.push(`memory ${mem} B > baseline ${baseline.memoryBytes} B × ${t.memoryGrowthFactor}`);
        }
    }
    const hit = sample.hitRate;
    if (hit === undefined) {
        if (sample.ok)
            reasons.push('hit_rate missing');
    }
    else {
        if (t.minHitRate !== undefined && hit < t.minHitRate)
            reasons.push(`hit_rate ${(0, monitor_evaluate_1.fmt)(hit)} < min ${t.minHitRate}`);
        if (baseline?.hitRate !== undefined && hit < baseline.hitRate - t.minHitRateDrop) {
            reasons.push(`hit_rate ${(0, monitor_evaluate_1.fmt)(hit)} < baseline ${(0, monitor_evaluate_1.fmt)(baseline.hitRate)} − ${t.minHitRateDrop}`);
        }
    }
    return { ok: reasons.length === 0, reasons };
}
//# sourceMappingURL=monitor-legacy.js.map