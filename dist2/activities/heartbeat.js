"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.KEEP_ALIVE_MS = void 0;
exports.heartbeat = heartbeat;
exports.heartbeating = heartbeating;
exports.keepAlive = keepAlive;
exports.keepAliveAll = keepAliveAll;
exports.cancellationSignal = cancellationSignal;
exports.workflowIdOfActivity = workflowIdOfActivity;
const activity_1 = require("@temporalio/activity");
/**
 * How often a running activity heartbeats while it waits (on one long statement, a child process).
 * Well under the profiles' heartbeat timeouts (15-20 s), so a live worker never times out and a
 * dead one is noticed within the timeout.
 */
exports.KEEP_ALIVE_MS = 5000;
// The last details each activity reported, so the keep-alive repeats them instead of erasing them.
const lastDetails = new WeakMap();
function current() {
    try {
        return activity_1.Context.current();
    }
    catch {
        return undefined; // not in an activity (tests call activities directly)
    }
}
/** Heartbeats when running inside an activity; a no-op elsewhere (tests call activities directly). */
function heartbeat(details) {
    const ctx = current();
    if (!ctx)
        return;
    lastDetails.set(ctx, details);
    ctx.heartbeat(details);
}
/** Runs fn while heartbeating every intervalMs, so one long statement (an index build) keeps the activity alive. */
async function heartbeating(details, fn, intervalMs = exports.KEEP_ALIVE_MS) {
    heartbeat(details);
    const timer = setInterval(() => heartbeat(details), intervalMs);
    try {
        return await fn();
    }
    finally {
        clearInterval(timer);
    }
}
const WRAPPED = Symbol('stp-upgrade.keepAlive');
/**
 * Wraps an activity so it heartbeats (repeating its last details) every KEEP_ALIVE_MS for as long
 * as it runs, whatever it waits on. A heartbeat says "this worker still runs this attempt": with a
 * heartbeat timeout of 15-20 s a killed worker costs that much, not the start-to-close timeout, and
 * cancellation reaches the activity within seconds. A stuck attempt stays bounded by start-to-close.
 */
function keepAlive(fn) {
    if (fn[WRAPPED])
        return fn;
    const wrapped = async (...args) => {
        const ctx = current();
        if (!ctx)
            return fn(...args);
        const timer = setInterval(() => ctx.heartbeat(lastDetails.has(ctx) ? lastDetails.get(ctx) : ctx.info.heartbeatDetails), exports.KEEP_ALIVE_MS);
        try {
            return await fn(...args);
        }
        finally {
            clearInterval(timer);
        }
    };
    Object.defineProperty(wrapped, 'name', { value: fn.name });
    wrapped[WRAPPED] = true;
    return wrapped;
}
/** keepAlive for every function of an activity family. */
function keepAliveAll(activities) {
    const out = {};
    for (const [name, fn] of Object.entries(activities)) {
        out[name] = typeof fn === 'function' ? keepAlive(fn) : fn;
    }
    return out;
}
/** The activity's cancellation signal, when running inside an activity. */
function cancellationSignal() {
    return current()?.cancellationSignal;
}
/** The id of the workflow that runs this activity (stable across attempts and continue-as-new). */
function workflowIdOfActivity() {
    return current()?.info.workflowExecution?.workflowId;
}
//# sourceMappingURL=heartbeat.js.map