"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.monitorWorkflow = monitorWorkflow;
const workflow_1 = require("@temporalio/workflow");
const monitor_1 = require("../../common/monitor");
const monitor_evaluate_1 = require("../../common/monitor-evaluate");
const monitor_legacy_1 = require("../../common/monitor-legacy");
const validation_1 = require("../../common/validation");
const messages_1 = require("./messages");
const state_1 = require("./state");
const metrics_1 = require("../metrics");
// A local activity: a check is a few short HTTP GETs (with their own timeouts) plus one CSV line;
// running it inside the workflow task makes a check one round trip and ~6 history events, not ~12.
const { sampleService } = (0, workflow_1.proxyLocalActivities)({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1s', maximumInterval: '5s', maximumAttempts: 3 },
});
/**
 * Watches GREEN after the traffic switch: one check per interval until the deadline, against absolute
 * thresholds and blue's baseline; green's figures are those of the interval since the previous check
 * (common/monitor-evaluate.ts). Never fails on a breach: returns `breached` and the parent rolls
 * back. Continues as new every `continueAsNewEvery` checks so a 24 h run keeps a small history.
 */
async function monitorWorkflow(input) {
    const parsed = monitor_1.MonitoringPlan.safeParse(input.plan ?? {});
    if (!parsed.success) {
        throw workflow_1.ApplicationFailure.nonRetryable((0, validation_1.formatIssues)('plan.release.monitoring', parsed.error, input.plan).join('\n'), 'BadInputError');
    }
    const plan = parsed.data;
    const st = input.state ?? (0, state_1.initialState)(plan, Date.now());
    const intervalMs = plan.intervalSeconds * 1000;
    // Runs started by older code keep their evaluation (replay); new runs judge interval figures.
    const intervals = (0, workflow_1.patched)(monitor_1.MONITOR_INTERVAL_PATCH);
    let command;
    let paused;
    let pauseRequested;
    let resumeRequested = false;
    let outcome;
    let checksThisRun = 0;
    const status = () => ({
        checks: st.checks,
        failures: st.failures,
        consecutiveFailures: st.consecutiveFailures,
        secondsLeft: (0, state_1.secondsLeft)(st, paused ? paused.since : Date.now()),
        lastSample: st.lastSample,
        lastReasons: st.lastReasons,
        lastWindow: st.lastWindow,
        lastExcused: st.lastExcused,
        warmingUp: intervals && Date.now() < st.startedAt + plan.warmupSeconds * 1000,
        paused: paused !== undefined,
        pausedReason: paused?.reason,
        outcome,
        run: st.run,
    });
    (0, workflow_1.setHandler)(messages_1.statusQuery, status);
    (0, workflow_1.setHandler)(messages_1.abortSignal, (req) => {
        command ??= { outcome: 'aborted', reason: (0, messages_1.reasonOf)(req, 'aborted by operator') };
    });
    (0, workflow_1.setHandler)(messages_1.pauseSignal, (req) => {
        if (!paused)
            pauseRequested = (0, messages_1.reasonOf)(req, 'paused by operator');
    });
    (0, workflow_1.setHandler)(messages_1.resumeSignal, () => {
        if (paused)
            resumeRequested = true;
        pauseRequested = undefined;
    });
    (0, workflow_1.setHandler)(messages_1.promoteSignal, (req) => {
        if (outcome === undefined)
            command ??= { outcome: 'promoted', reason: (0, messages_1.reasonOf)(req, 'promoted by operator') };
    });
    (0, workflow_1.setHandler)(messages_1.promoteUpdate, (req) => {
        command ??= { outcome: 'promoted', reason: (0, messages_1.reasonOf)(req, 'promoted by operator') };
        return status();
    }, {
        validator: (_req) => {
            if (outcome !== undefined || command !== undefined)
                throw new Error(`monitoring is already ending (${outcome ?? command?.outcome})`);
        },
    });
    const finish = (o, reason) => {
        outcome = o;
        workflow_1.log.info('monitoring ended', { outcome: o, checks: st.checks, failures: st.failures, reason });
        return { outcome: o, checks: st.checks, failures: st.failures, reason, lastSample: st.lastSample, summary: st.summary };
    };
    // Waits for an operator; the paused time does not count against the monitoring window.
    const holdPaused = async (reason) => {
        paused = { reason, since: Date.now() };
        pauseRequested = undefined;
        resumeRequested = false;
        workflow_1.log.warn('monitoring paused', { reason });
        await (0, workflow_1.condition)(() => resumeRequested || command !== undefined);
        if (!command) {
            st.deadline += Date.now() - paused.since;
            st.nextCheckAt = Date.now();
        }
        paused = undefined;
        resumeRequested = false;
    };
    const judge = (sample) => {
        if (!intervals)
            return { verdict: (0, monitor_legacy_1.evaluateSampleLegacy)(sample, input.baseline, plan.thresholds), p95Ms: sample.p95Ms, hitRate: sample.hitRate };
        const r = (0, monitor_evaluate_1.judgeCheck)({ sample, recent: st.recent, baseline: input.baseline, plan, elapsedMs: Date.now() - st.startedAt });
        st.recent = r.recent;
        const w = r.window;
        return {
            verdict: r.verdict,
            window: w,
            p95Ms: w?.p95Ms ?? sample.p95Ms,
            hitRate: w && (w.lookups ?? 0) >= plan.thresholds.minCacheLookups ? w.hitRate : undefined,
        };
    };
    for (;;) {
        if (!command && (checksThisRun >= plan.continueAsNewEvery || (0, workflow_1.workflowInfo)().continueAsNewSuggested)) {
            await (0, workflow_1.condition)(workflow_1.allHandlersFinished);
            if (!command)
                return (0, workflow_1.continueAsNew)({ ...input, state: { ...st, run: st.run + 1 } });
        }
        const wait = Math.min(st.nextCheckAt, st.deadline) - Date.now();
        if (wait > 0 && !command)
            await (0, workflow_1.condition)(() => command !== undefined || pauseRequested !== undefined, wait);
        if (command)
            return finish(command.outcome, command.reason);
        if (pauseRequested !== undefined) {
            await holdPaused(pauseRequested);
            continue;
        }
        if (Date.now() >= st.deadline)
            return finish('passed');
        const at = new Date(Date.now()).toISOString();
        const sample = await takeSample(input.baseUrl, input.stateDir ? { stateDir: input.stateDir, at } : undefined);
        if (sample.logError)
            workflow_1.log.warn('could not write the monitoring log line', { error: sample.logError });
        const judged = judge(sample);
        const { verdict } = judged;
        const waitForOperator = !sample.ok && plan.missingData === 'pause';
        (0, state_1.recordCheck)(st, at, sample, judged, !verdict.ok && !waitForOperator);
        (0, metrics_1.countMonitoringCheck)(!verdict.ok && !waitForOperator);
        st.nextCheckAt = Math.max(st.nextCheckAt + intervalMs, Date.now());
        checksThisRun += 1;
        // A command that arrived during the sample wins over its verdict (TS cannot see the handler's write).
        const late = command;
        if (late)
            return finish(late.outcome, late.reason);
        const breach = (0, state_1.breachReason)(st, plan);
        if (breach)
            return finish('breached', breach);
        if (waitForOperator)
            await holdPaused(`no data at check ${st.checks}: ${sample.error ?? 'unknown error'}`);
    }
}
/** An activity that fails outright (worker lost, timeout) is missing data, not a workflow failure. */
async function takeSample(baseUrl, logTo) {
    try {
        return await sampleService({ baseUrl, log: logTo });
    }
    catch (err) {
        if ((0, workflow_1.isCancellation)(err))
            throw err;
        const cause = err instanceof workflow_1.ActivityFailure ? err.cause : err;
        return { ok: false, error: `sampleService failed: ${cause instanceof Error ? cause.message : String(cause)}` };
    }
}
//# sourceMappingURL=index.js.map