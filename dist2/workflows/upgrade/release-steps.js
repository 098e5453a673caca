"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.releaseSteps = void 0;
const workflow_1 = require("@temporalio/workflow");
const monitor_1 = require("../../common/monitor");
const release_1 = require("../../common/release");
const upgrade_input_1 = require("../../common/upgrade-input");
const alerts_1 = require("../alerts");
const monitor_2 = require("../monitor");
const messages_1 = require("../monitor/messages");
const backup_files_1 = require("./backup-files");
const release_controls_1 = require("./release-controls");
const release_proxies_1 = require("./release-proxies");
const sync_1 = require("./sync");
const metrics_1 = require("../metrics");
/**
 * The release half of the saga (blue-green). Each handler registers its undo before it acts, so a
 * failure, an abort or a breached monitoring window rolls back in exact reverse order: traffic
 * back to blue (started again when it was stopped), green stopped, then the data compensations.
 */
exports.releaseSteps = {
    async deploy(run) {
        const release = (0, release_1.releasePlanOf)(run.plan);
        // Runs after green is stopped on a rollback: the last writes green acknowledged go back to legacy.
        if (run.state.sync)
            run.register('deploy', 'drainReverse');
        run.register('deploy', 'stopInstance', { which: 'green' });
        const green = await (0, sync_1.whileSyncing)(run, (0, release_proxies_1.deployProxy)(release).deployGreen(run.input()));
        workflow_1.log.info('green deployed and healthy', { instance: green.instance, version: green.version, port: green.port, checks: green.checks, started: green.started });
    },
    async smoke(run) {
        const smoke = await release_proxies_1.rel.smokeTests(run.input());
        workflow_1.log.info('smoke tests', { skipped: smoke.skipped, passed: smoke.passed, warnings: smoke.warnings });
        // Before the switch: blue still serves while the indexes build and green's cache fills.
        const optimized = await release_proxies_1.relLong.optimizeDatabase(run.input());
        workflow_1.log.info('database optimized', optimized);
        const warm = await release_proxies_1.rel.warmCache(run.input());
        if (warm.failures.length > 0)
            workflow_1.log.warn('cache warming had failures', { failures: warm.failures });
        await measureBaseline(run);
        await (0, sync_1.replayOnce)(run);
    },
    async approval(run) {
        const release = (0, release_1.releasePlanOf)(run.plan);
        if (!release.approval.required) {
            run.progress.steps.approval = 'skipped';
            return;
        }
        const st = (0, release_controls_1.releaseState)(run);
        if (!st.approval) {
            const ms = release.approval.timeoutMinutes * 60_000;
            run.progress.phase = 'awaiting_approval';
            (0, metrics_1.recordPhase)(run.runId, 'awaiting_approval');
            run.progress.waitingUntil = Date.now() + ms;
            workflow_1.log.info('waiting for approval of the switch to green', { timeoutMinutes: release.approval.timeoutMinutes });
            await (0, alerts_1.notify)(run, 'awaiting_approval', `waiting up to ${release.approval.timeoutMinutes} min for \`stp-upgrade approve ${run.runId} --by NAME\``, { phase: 'awaiting_approval', step: 'approval' });
            const approved = await (0, sync_1.whileSyncing)(run, (0, workflow_1.condition)(() => st.approval !== undefined, ms));
            run.progress.waitingUntil = undefined;
            run.progress.phase = 'running';
            (0, metrics_1.recordPhase)(run.runId, 'running');
            if (!approved) {
                throw workflow_1.ApplicationFailure.create({
                    type: upgrade_input_1.SagaFailureTypes.approvalTimeout,
                    nonRetryable: true,
                    message: `nobody approved the switch to green within ${release.approval.timeoutMinutes} minutes (plan.release.approval.timeoutMinutes)`,
                });
            }
        }
        run.progress.approval = st.approval;
    },
    async switch(run) {
        // After an approval gate the baseline may be hours old: blue's traffic then is not green's now.
        const gated = (0, release_1.releasePlanOf)(run.plan).approval.required && (0, workflow_1.patched)(BASELINE_AFTER_APPROVAL);
        if (!(0, release_controls_1.releaseState)(run).baseline || gated)
            await measureBaseline(run);
        run.register('switch', 'switchBack');
        if (run.state.sync) {
            // Runs before traffic goes back to blue: green's writes reach the legacy tables first.
            run.register('switch', 'drainReverse');
            const r = (await (0, sync_1.cutoverSwitch)(run));
            workflow_1.log.info('traffic switched under a write hold', { to: r?.target.instance, from: r?.previous?.instance, holdsMs: run.progress.sync?.cutover?.holdsMs });
            await (0, alerts_1.notify)(run, 'switched', `traffic switched to ${r?.target.instance ?? 'green'} (version ${r?.target.version ?? '?'})`, { step: 'switch' });
            return;
        }
        const r = await release_proxies_1.rel.switchTraffic(run.input());
        workflow_1.log.info('traffic switched', { to: r.target.instance, from: r.previous?.instance, proof: r.proof });
        await (0, alerts_1.notify)(run, 'switched', `traffic switched to ${r.target.instance} (version ${r.target.version})`, { step: 'switch' });
    },
    async drain(run) {
        const release = (0, release_1.releasePlanOf)(run.plan);
        // A workflow timer, not an activity: it holds no worker slot and survives a worker restart.
        // Forward capture stays on: a write blue acknowledges while it drains is carried too.
        if (release.drainSeconds > 0)
            await (0, sync_1.syncSleep)(run, release.drainSeconds * 1000, ['forward', 'reverse']);
        if (release.blueAfterSwitch === 'stop') {
            run.register('drain', 'startBlue');
            const r = await release_proxies_1.rel.stopInstance({ ...run.input(), which: 'blue' });
            workflow_1.log.info('blue stopped', r);
        }
        else {
            workflow_1.log.info('blue kept warm', { instance: release.deployer.blue.instance });
        }
    },
    async monitor(run) {
        const result = await (0, sync_1.whileSyncing)(run, monitorGreen(run), ['forward', 'reverse']);
        if (result.outcome === 'breached') {
            await (0, alerts_1.notify)(run, 'monitoring_breach', `monitoring of green breached: ${result.reason ?? 'thresholds exceeded'}; rolling back to blue`, { step: 'monitor' });
            throw workflow_1.ApplicationFailure.create({
                type: upgrade_input_1.SagaFailureTypes.monitoringBreached,
                nonRetryable: true,
                message: `monitoring of green breached: ${result.reason ?? 'thresholds exceeded'}`,
                details: [result],
            });
        }
        if (result.outcome === 'aborted') {
            throw workflow_1.ApplicationFailure.create({ type: upgrade_input_1.SagaFailureTypes.aborted, nonRetryable: true, message: `monitoring aborted: ${result.reason ?? ''}` });
        }
    },
    async finalize(run) {
        await (0, sync_1.stopCapture)(run, true);
        run.register('finalize', 'unfinalize');
        const r = await release_proxies_1.rel.finalize(run.input());
        run.progress.finalized = r;
        workflow_1.log.info('finalized', r);
        await (0, alerts_1.notify)(run, 'finalized', `finalized: schema version ${r.schemaVersion}${r.archived.length ? `, legacy tables archived: ${r.archived.join(', ')}` : ''}`, { step: 'finalize' });
    },
};
/** Runs started before it measured blue once, before the approval gate (replay keeps that). */
const BASELINE_AFTER_APPROVAL = 'baseline-after-approval';
function monitoringOf(release) {
    return release.monitoring ?? monitor_1.MonitoringPlan.parse({});
}
/**
 * Blue over a window (its counters between the first and last of a few samples), read directly
 * from blue under production traffic before any of it moves: what the checks of green compare with.
 */
async function measureBaseline(run) {
    const release = (0, release_1.releasePlanOf)(run.plan);
    const m = monitoringOf(release);
    const url = `http://127.0.0.1:${release.deployer.blue.port}`;
    const baseline = await (0, release_proxies_1.baselineProxy)(m).measureBaseline({
        baseUrl: url,
        samples: m.baselineSamples,
        intervalMs: m.baselineIntervalSeconds * 1000,
    });
    (0, release_controls_1.releaseState)(run).baseline = baseline;
    await (0, backup_files_1.keepBaselineFile)(run, baseline, url);
    const w = baseline.window;
    workflow_1.log.info('baseline of blue', { ...baseline, window: w && `${w.seconds} s, ${w.requests} requests, p95 ${w.p95Ms ?? '-'} ms, hit rate ${w.hitRate ?? '-'} over ${w.lookups ?? 0} lookups` });
    if (!w)
        workflow_1.log.warn('blue has no window (no counters): green is compared with the p95 blue reports, its hit rate is not compared', { errors: baseline.errors });
}
/**
 * Green is watched by a child workflow (its long loop continues as new there, so this history
 * stays small). The saga's pause, resume and promote are forwarded to it; an abort cancels the
 * saga's scope and with it the child.
 */
async function monitorGreen(run) {
    const release = (0, release_1.releasePlanOf)(run.plan);
    const m = monitoringOf(release);
    const workflowId = `${run.runId}-monitor`;
    const started = Date.now();
    const windowMs = (0, monitor_1.monitoringWindowMs)(m);
    run.progress.phase = 'monitoring';
    (0, metrics_1.recordPhase)(run.runId, 'monitoring');
    run.progress.monitoring = { checks: 0, failures: 0, consecutiveFailures: 0, secondsLeft: Math.ceil(windowMs / 1000), workflowId };
    const lb = (release.traffic.lbUrl ?? `http://127.0.0.1:${release.traffic.nginx.listenPort}`).replace(/\/+$/, '');
    const stateDir = release.deployer.stateDir?.startsWith('/') ? release.deployer.stateDir : undefined;
    const child = await (0, workflow_1.startChild)(monitor_2.monitorWorkflow, {
        workflowId,
        args: [{ baseUrl: lb, plan: release.monitoring, baseline: (0, release_controls_1.releaseState)(run).baseline ?? null, ...(stateDir ? { stateDir } : {}) }],
    });
    run.forward = async (signal, reason) => {
        if (signal === 'promote')
            return child.signal(messages_1.promoteSignal, { reason });
        // pause/resume come from signal handlers that cannot report a failure: a child that just ended is fine
        const sent = signal === 'pause' ? child.signal(messages_1.pauseSignal, reason ?? 'paused by operator') : child.signal(messages_1.resumeSignal);
        await sent.catch((err) => workflow_1.log.warn(`could not pass ${signal} on to the monitor`, { error: String(err) }));
    };
    let result;
    try {
        result = await child.result();
    }
    finally {
        run.forward = undefined;
        if (run.progress.phase === 'monitoring')
            run.progress.phase = 'running';
        (0, metrics_1.recordPhase)(run.runId, run.progress.phase);
    }
    run.progress.monitoring = {
        checks: result.checks,
        failures: result.failures,
        consecutiveFailures: run.progress.monitoring.consecutiveFailures,
        secondsLeft: Math.max(0, Math.ceil((started + windowMs - Date.now()) / 1000)),
        workflowId,
        outcome: result.outcome,
        ...(result.reason ? { reason: result.reason } : {}),
    };
    workflow_1.log.info('monitoring ended', { outcome: result.outcome, checks: result.checks, failures: result.failures, reason: result.reason });
    return result;
}
//# sourceMappingURL=release-steps.js.map