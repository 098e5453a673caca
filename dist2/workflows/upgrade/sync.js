"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.syncEnabled = syncEnabled;
exports.startCapture = startCapture;
exports.replayOnce = replayOnce;
exports.catchUp = catchUp;
exports.whileSyncing = whileSyncing;
exports.syncSleep = syncSleep;
exports.cutoverSwitch = cutoverSwitch;
exports.stopCapture = stopCapture;
const workflow_1 = require("@temporalio/workflow");
const errors_1 = require("../../common/errors");
const release_proxies_1 = require("./release-proxies");
const metrics_1 = require("../metrics");
const retry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '20s', maximumAttempts: 10, nonRetryableErrorTypes: errors_1.NON_RETRYABLE_ERRORS };
/** A replay call runs at most ~10 s of batches and heartbeats: a dead worker is noticed in 15 s. */
const acts = (0, workflow_1.proxyActivities)({ startToCloseTimeout: '2 minutes', heartbeatTimeout: '15s', retry });
/**
 * A follow call is abandoned, not cancelled, when the wait it accompanies ends: no cancel request
 * races the call's own completion (a cancel of an activity that just completed fails the workflow
 * task), and the call, idempotent, simply ends by itself within its minute.
 */
const follow = (0, workflow_1.proxyActivities)({
    startToCloseTimeout: '2 minutes', heartbeatTimeout: '15s', retry, cancellationType: workflow_1.ActivityCancellationType.ABANDON,
});
/** The cut-over moves traffic: the release family's permanent errors stay permanent, and it is not retried blindly. */
const cut = (0, workflow_1.proxyActivities)({
    startToCloseTimeout: '5 minutes',
    heartbeatTimeout: '30s',
    retry: { ...retry, maximumAttempts: 2, nonRetryableErrorTypes: [...errors_1.NON_RETRYABLE_ERRORS, ...release_proxies_1.RELEASE_NON_RETRYABLE] },
});
/**
 * Live sync is on for this execution: the plan asks for it and the workflow code that records it
 * ran (a history from before it replays without it).
 */
function syncEnabled(run) {
    return run.plan.sync.enabled && (0, workflow_1.patched)('stp-live-sync-v1');
}
function captureOn(run) {
    return run.state.sync === true;
}
/** Forward capture on before the first copied batch; its undo is registered first. */
async function startCapture(run) {
    if (!syncEnabled(run) || captureOn(run))
        return;
    run.register('copy', 'removeCapture');
    const r = await acts.installCapture(run.input());
    run.state.sync = true;
    workflow_1.log.info('forward capture on', r);
}
function record(run, s) {
    const p = run.progress;
    p.sync ??= { liveDefects: 0 };
    const prev = p.sync[s.direction];
    p.sync[s.direction] = { backlog: s.backlog, oldestAgeMs: s.oldestAgeMs, replayed: s.totalReplayed ?? (prev?.replayed ?? 0) + s.replayed, ratePerSec: s.replayed > 0 ? s.ratePerSec : prev?.ratePerSec ?? 0 };
    p.sync.liveDefects += s.liveDefects;
}
/** One bounded replay call of a direction (no-op before capture is on). */
async function replayOnce(run, direction = 'forward', maxMs = 5000) {
    if (!captureOn(run))
        return undefined;
    const s = await acts.replaySync({ ...run.input(), direction, maxMs });
    record(run, s);
    return s;
}
/** Replays until the forward backlog is at most `bound` (0: empty at the moment of the call). */
async function catchUp(run, bound = 0) {
    if (!captureOn(run))
        return;
    for (;;) {
        const s = await replayOnce(run, 'forward', 20_000);
        if (!s || s.backlog <= bound)
            return;
        await run.between();
    }
}
/** Runs from this patch on leave the last follow call of a wait running instead of cancelling it. */
const FOLLOW_LEFT_RUNNING = 'stp-follow-left-running-v1';
/**
 * Keeps replaying while `work` runs: one follow call per minute (at most), replaying within about
 * a second of each write; when the work ends, the call in flight is left to end by itself (runs
 * before FOLLOW_LEFT_RUNNING cancel it). One activity a minute keeps a 24 h monitoring window's
 * history around 10k events (the checks themselves run in the child).
 */
async function whileSyncing(run, work, directions = ['forward']) {
    if (!captureOn(run))
        return work;
    let done = false;
    const finished = work.finally(() => {
        done = true;
    });
    finished.catch(() => undefined);
    const maxMs = Math.max(run.plan.sync.intervalSeconds * 1000, 60_000);
    while (!done) {
        const began = Date.now();
        const scope = new workflow_1.CancellationScope();
        const call = scope.run(() => follow.followSync({ ...run.input(), directions, maxMs }));
        await Promise.race([call.catch(() => undefined), finished.catch(() => undefined)]);
        if (done && (0, workflow_1.patched)(FOLLOW_LEFT_RUNNING)) {
            // Not cancelled: it ends by itself within maxMs, and its replays are serialized with every
            // later one (the sync lock). A cancel racing the call's completion is what made the
            // time-skipping test server fail the workflow task for good.
            void call.then((stats) => stats.forEach((s) => record(run, s)), () => undefined);
            break;
        }
        if (done)
            scope.cancel();
        try {
            for (const s of await call)
                record(run, s);
        }
        catch (err) {
            if (!(done && (0, workflow_1.isCancellation)(err)))
                throw err;
        }
        // a follow call that returned early (a worker shutting down) is not re-run at once
        if (!done)
            await (0, workflow_1.condition)(() => done, Math.max(run.plan.sync.intervalSeconds * 1000, maxMs - (Date.now() - began)));
    }
    return finished;
}
/** A durable wait that keeps replaying meanwhile. */
async function syncSleep(run, ms, directions = ['forward']) {
    await whileSyncing(run, (0, workflow_1.sleep)(ms), directions);
}
/**
 * The switch under live writes (contract section 6, cut-over): catch up until the backlog is under
 * plan.sync.cutover.maxBacklog, then hold blue's writes while the rest is replayed and traffic
 * moves. A hold that cannot finish in maxHoldMs is released and tried again after retrySeconds;
 * after `attempts` the saga waits for an operator (phase awaiting_operator): `resume` tries again,
 * `abort` rolls back. It never switches with a backlog.
 */
async function cutoverSwitch(run) {
    const c = run.plan.sync.cutover;
    const p = run.progress;
    p.sync ??= { liveDefects: 0 };
    p.sync.cutover ??= { attempts: 0, holdsMs: [] };
    const cs = p.sync.cutover;
    for (;;) {
        for (let i = 0; i < c.attempts; i++) {
            await catchUp(run, c.maxBacklog);
            cs.attempts += 1;
            const sinceMark = run.progress.report?.syncMark;
            const r = await cut.cutover({ ...run.input(), maxHoldMs: c.maxHoldMs, ...(sinceMark !== undefined ? { sinceMark } : {}) });
            cs.holdsMs.push(r.holdMs);
            if (r.rechecked)
                cs.rechecked = r.rechecked;
            if (r.switched) {
                cs.lastReason = undefined;
                cs.waitingForOperator = false;
                workflow_1.log.info('cut-over done', { holdMs: r.holdMs, replayedUnderHold: r.replayed, backlogAtHold: r.backlogAtHold });
                return r.switch;
            }
            cs.lastReason = r.reason;
            workflow_1.log.warn('cut-over hold released without switching; trying again', { reason: r.reason, attempt: cs.attempts });
            await syncSleep(run, c.retrySeconds * 1000);
        }
        cs.waitingForOperator = true;
        p.phase = 'awaiting_operator';
        (0, metrics_1.recordPhase)(run.runId, p.phase);
        p.paused = true;
        p.error = `the switch could not hold blue's writes long enough to replay the last changes (${cs.lastReason}); ` +
            'run `stp-upgrade resume ID` to try again, raise plan.sync.cutover.maxHoldMs, or `stp-upgrade abort ID`';
        workflow_1.log.warn('cut-over waits for an operator', { reason: cs.lastReason });
        await whileSyncing(run, (0, workflow_1.condition)(() => !p.paused));
        p.phase = 'running';
        (0, metrics_1.recordPhase)(run.runId, p.phase);
        p.error = undefined;
        cs.waitingForOperator = false;
    }
}
/**
 * Before finalize (and at the end of a run without one): the last changes of both directions
 * replayed, then capture off for good. `finalizing` records the target tables' write counters, so
 * a later emergency rollback can say how many writes it cannot carry back.
 */
async function stopCapture(run, finalizing = false) {
    if (!captureOn(run))
        return;
    await catchUp(run, 0);
    for (let i = 0; i < 10; i++) {
        const rev = await replayOnce(run, 'reverse', 20_000);
        if (!rev || rev.backlog === 0)
            break;
    }
    const r = await acts.removeCapture({ ...run.input(), finalizing });
    run.state.sync = false;
    workflow_1.log.info('capture removed', r);
}
//# sourceMappingURL=sync.js.map