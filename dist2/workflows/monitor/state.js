"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.initialState = initialState;
exports.recordCheck = recordCheck;
exports.breachReason = breachReason;
exports.secondsLeft = secondsLeft;
const monitor_1 = require("../../common/monitor");
/** Pure bookkeeping of the monitor loop, kept apart from the Temporal calls. */
const RECENT_FAILURES = 5;
function initialState(plan, now) {
    return {
        checks: 0,
        failures: 0,
        consecutiveFailures: 0,
        startedAt: now,
        deadline: now + (0, monitor_1.monitoringWindowMs)(plan),
        nextCheckAt: now,
        run: 1,
        summary: { missing: 0, recentFailures: [] },
    };
}
/** Counts one check. `failed` is the verdict after the missing-data policy was applied. */
function recordCheck(st, at, sample, judged, failed) {
    const { verdict, p95Ms, hitRate } = judged;
    st.checks += 1;
    // The counters are kept once, in `recent`; the status shows the figures.
    const shown = { ...sample };
    delete shown.counters;
    st.lastSample = shown;
    st.lastReasons = verdict.reasons.length > 0 ? verdict.reasons : undefined;
    st.lastExcused = verdict.excused;
    st.lastWindow = judged.window;
    const sum = st.summary;
    if (!sample.ok)
        sum.missing += 1;
    if (p95Ms !== undefined)
        sum.worstP95Ms = Math.max(sum.worstP95Ms ?? p95Ms, p95Ms);
    if (sample.memoryBytes !== undefined)
        sum.peakMemoryBytes = Math.max(sum.peakMemoryBytes ?? sample.memoryBytes, sample.memoryBytes);
    if (hitRate !== undefined)
        sum.lowestHitRate = Math.min(sum.lowestHitRate ?? hitRate, hitRate);
    if (failed) {
        st.failures += 1;
        st.consecutiveFailures += 1;
        sum.recentFailures = [...sum.recentFailures, { check: st.checks, at, reasons: verdict.reasons }].slice(-RECENT_FAILURES);
    }
    else {
        st.consecutiveFailures = 0;
    }
}
/** Why monitoring must stop as breached, or undefined while within the limits. */
function breachReason(st, plan) {
    const last = st.lastReasons?.join('; ') ?? 'unknown';
    if (st.consecutiveFailures >= plan.maxConsecutiveFailures) {
        return `${st.consecutiveFailures} consecutive failed checks (limit ${plan.maxConsecutiveFailures}) at check ${st.checks}: ${last}`;
    }
    if (st.failures >= plan.maxFailures) {
        return `${st.failures} failed checks in total (limit ${plan.maxFailures}) at check ${st.checks}: ${last}`;
    }
    return undefined;
}
function secondsLeft(st, now) {
    return Math.max(0, Math.ceil((st.deadline - now) / 1000));
}
//# sourceMappingURL=state.js.map