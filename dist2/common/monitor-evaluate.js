"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RECENT_READINGS = void 0;
exports.evaluateCheck = evaluateCheck;
exports.judgeCheck = judgeCheck;
exports.fmt = fmt;
const monitor_window_1 = require("./monitor-window");
function evaluateCheck({ sample, window: w, baseline, thresholds: t, warmingUp = false }) {
    const hard = [];
    const soft = [];
    if (!sample.ok)
        hard.push(`no data: ${sample.error ?? 'unknown error'}`);
    if (sample.health === undefined) {
        if (sample.ok)
            hard.push('health missing');
    }
    else if (sample.health !== 'healthy')
        hard.push(`health is "${sample.health}"`);
    const enough = w !== undefined && w.requests >= t.minRequests;
    if (enough && w.errorRate !== undefined) {
        const blue = blueWindow(baseline, t.minRequests)?.errorRate ?? 0;
        if (w.errorRate > blue + t.errorRateSlack) {
            hard.push(`error rate ${pct(w.errorRate)} (${w.errors} of ${w.requests} requests) > blue's ${pct(blue)} + ${pct(t.errorRateSlack)}`);
        }
    }
    // Green's p95 over the interval; the service's own p95 only when it keeps no histogram.
    const p95 = w?.p95Ms ?? sample.p95Ms;
    if (p95 === undefined) {
        if (sample.ok)
            hard.push('p95 missing');
    }
    else {
        if (p95 > t.maxP95Ms)
            soft.push(`p95 ${fmt(p95)} ms > max ${fmt(t.maxP95Ms)} ms`);
        const blue = blueWindow(baseline, t.minRequests)?.p95Ms ?? baseline?.p95Ms;
        // A service with counters is compared over intervals only (not at its first reading).
        const comparable = w ? w.p95Ms === undefined || enough : sample.counters === undefined;
        if (blue !== undefined && comparable && p95 > blue * t.p95DegradationFactor + t.p95SlackMs) {
            soft.push(`p95 ${fmt(p95)} ms > baseline ${fmt(blue)} ms × ${t.p95DegradationFactor} + ${t.p95SlackMs} ms`);
        }
    }
    const mem = sample.memoryBytes;
    if (mem === undefined) {
        if (sample.ok)
            hard.push('memory missing');
    }
    else {
        if (t.maxMemoryBytes !== undefined && mem > t.maxMemoryBytes)
            soft.push(`memory ${mem} B > max ${t.maxMemoryBytes} B`);
        if (baseline?.memoryBytes !== undefined && mem > baseline.memoryBytes * t.memoryGrowthFactor) {
            soft.push(`memory ${mem} B > baseline ${baseline.memoryBytes} B × ${t.memoryGrowthFactor}`);
        }
    }
    if (sample.hitRate === undefined && sample.ok)
        hard.push('hit_rate missing');
    const hit = w?.hitRate;
    if (hit !== undefined && (w?.lookups ?? 0) >= t.minCacheLookups) {
        const about = `${w?.lookups} lookups${w?.invalidatedMisses ? `, ${w.invalidatedMisses} misses after writes not counted` : ''}`;
        if (t.minHitRate !== undefined && hit < t.minHitRate)
            soft.push(`hit_rate ${fmt(hit)} < min ${t.minHitRate} (${about})`);
        const bw = baseline?.window;
        if (bw?.hitRate !== undefined && (bw.lookups ?? 0) >= t.minCacheLookups && hit < bw.hitRate - t.minHitRateDrop) {
            soft.push(`hit_rate ${fmt(hit)} < baseline ${fmt(bw.hitRate)} − ${t.minHitRateDrop} (${about})`);
        }
    }
    const reasons = warmingUp ? hard : [...hard, ...soft];
    return { ok: reasons.length === 0, reasons, ...(warmingUp && soft.length > 0 ? { excused: soft } : {}) };
}
/** Blue's window when it saw enough requests to compare with. */
function blueWindow(baseline, minRequests) {
    const w = baseline?.window;
    return w && w.requests >= minRequests ? w : undefined;
}
/**
 * Readings of green's counters kept for the next checks. An interval with fewer than `minRequests`
 * requests (or `minCacheLookups` lookups) reaches back over up to this many readings, as a longer
 * window: a quiet, or slowed-down, green is judged over enough requests instead of not at all.
 */
exports.RECENT_READINGS = 5;
function judgeCheck(args) {
    const { sample, plan } = args;
    const t = plan.thresholds;
    const recent = args.recent ?? [];
    const now = sample.counters;
    // Newest first, back to the last restart.
    const spans = [];
    let note;
    if (!now)
        note = 'no counters in this sample';
    else {
        for (const from of [...recent].reverse()) {
            const w = (0, monitor_window_1.windowBetween)(from, now);
            if ((0, monitor_window_1.isReset)(w)) {
                note ??= w.reset;
                break;
            }
            spans.push(w);
        }
        if (spans.length === 0)
            note ??= 'first reading of the counters';
    }
    let window;
    if (spans.length > 0) {
        const forRequests = spans.find((w) => w.requests >= t.minRequests) ?? spans[spans.length - 1];
        const forCache = spans.find((w) => (w.lookups ?? 0) >= t.minCacheLookups) ?? spans[spans.length - 1];
        window = { ...forRequests };
        for (const k of ['lookups', 'invalidatedMisses', 'hitRate']) {
            if (forCache[k] === undefined)
                delete window[k];
            else
                window[k] = forCache[k];
        }
    }
    const warmingUp = args.elapsedMs < plan.warmupSeconds * 1000;
    const verdict = evaluateCheck({ sample, window, baseline: args.baseline, thresholds: t, warmingUp });
    const kept = now ? [...(spans.length > 0 ? recent.slice(recent.length - spans.length) : []), now].slice(-exports.RECENT_READINGS) : recent;
    return { verdict, window, recent: kept, ...(note ? { note } : {}) };
}
function pct(x) {
    return `${fmt(x * 100)} %`;
}
function fmt(n) {
    return Number.isInteger(n) ? String(n) : n.toFixed(3).replace(/0+$/, '');
}
//# sourceMappingURL=monitor-evaluate.js.map