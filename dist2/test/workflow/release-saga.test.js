"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const client_1 = require("@temporalio/client");
const common_1 = require("@temporalio/common");
const names_1 = require("../../common/names");
const plan_1 = require("../../common/plan");
const stubs_1 = require("./stubs");
const release_stubs_1 = require("./release-stubs");
// The release half of the saga on the time-skipping server: a 24 h monitoring window takes seconds.
let t;
let seq = 0;
(0, node_test_1.before)(async () => {
    t = await (0, release_stubs_1.startReleaseEnv)();
});
(0, node_test_1.after)(async () => {
    await t?.stop();
});
// Live-write capture has its own tests below; the others are about the release logic.
const DATA_CALLS = stubs_1.HAPPY_CALLS.slice(0, -1).filter((c) => c !== 'installCapture' && c !== 'removeCapture'); // without releaseRun:completed
const RELEASE_CALLS = ['deployGreen', 'smokeTests', 'optimizeDatabase', 'warmCache', 'measureBaseline', 'switchTraffic', 'stopInstance:blue'];
function fullPlan(release = {}, sync = false) {
    return { steps: [...plan_1.ALL_STEPS], release, sync: { enabled: sync } };
}
async function start(scenario, plan) {
    const workflowId = `release-saga-${++seq}`;
    t.scenarios.set(workflowId, scenario);
    return t.env.client.workflow.start(names_1.WorkflowTypes.upgrade, { taskQueue: t.taskQueue, workflowId, args: [plan] });
}
const calls = (h) => t.logs.get(typeof h === 'string' ? h : h.workflowId)?.calls ?? [];
const progress = (h) => h.query(names_1.QueryNames.progress);
async function until(h, pred, what) {
    for (let i = 0; i < 400; i++) {
        const p = await progress(h);
        if (pred(p))
            return p;
        await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${what}`);
}
/** The saga's failure (type checked) and the progress it carries. */
async function failure(h, type) {
    const err = await h.result().then(() => strict_1.default.fail('the workflow should have failed'), (e) => e);
    strict_1.default.ok(err instanceof client_1.WorkflowFailedError, String(err));
    strict_1.default.ok(err.cause instanceof common_1.ApplicationFailure, String(err.cause));
    strict_1.default.equal(err.cause.type, type, err.cause.message);
    return { f: err.cause, p: err.cause.details?.[0] };
}
/** 24 h of checks every 5 minutes (monitor.test.ts runs the default 1440 one-minute checks). */
const DAY = { durationMinutes: 1440, intervalSeconds: 300, continueAsNewEvery: 100 };
const ROLLBACK_AFTER_MONITOR = ['startBlue', 'switchBack', 'stopInstance:green', 'dropTargetGraph', 'dropTargetSchema', 'forgetRun'];
(0, node_test_1.describe)('release saga', () => {
    (0, node_test_1.test)('a clean 24 h day finalizes; the parent history stays small', async () => {
        const h = await start({}, fullPlan({ monitoring: DAY }));
        const r = await h.result();
        strict_1.default.equal(r.phase, 'completed');
        strict_1.default.deepEqual(calls(h), [...DATA_CALLS, ...RELEASE_CALLS, 'finalize', 'releaseRun:completed']);
        strict_1.default.equal(t.samples.get(h.workflowId), 288);
        const m = r.progress.monitoring;
        strict_1.default.equal(m.outcome, 'passed');
        strict_1.default.equal(m.checks, 288);
        strict_1.default.equal(m.failures, 0);
        strict_1.default.equal(m.workflowId, `${h.workflowId}-monitor`);
        strict_1.default.deepEqual(r.progress.finalized, { schemaVersion: 2, previous: 1, archived: [] });
        strict_1.default.equal(r.steps.approval, 'skipped');
        for (const s of ['deploy', 'smoke', 'switch', 'drain', 'monitor', 'finalize'])
            strict_1.default.equal(r.steps[s], 'done', s);
        const events = (await h.fetchHistory()).events?.length ?? 0;
        // ~200: the steps, their activities and the 3 child runs; not one event per check
        strict_1.default.ok(events < 220, `the saga's history has ${events} events for 288 checks in 3 child runs`);
    });
    (0, node_test_1.test)('a breach at hour 13 rolls back: blue started and serving, green stopped, then the data', async () => {
        const h = await start({ sample: (n) => (n > 156 ? release_stubs_1.SLOW : release_stubs_1.HEALTHY) }, fullPlan({ monitoring: DAY }));
        const { f, p } = await failure(h, 'MonitoringBreached');
        strict_1.default.match(f.message, /3 consecutive failed checks .* at check 159: p95 4000 ms/);
        strict_1.default.equal(p.phase, 'rolled_back');
        strict_1.default.equal(p.monitoring?.checks, 159);
        strict_1.default.equal(p.monitoring?.outcome, 'breached');
        strict_1.default.deepEqual(calls(h), [...DATA_CALLS, ...RELEASE_CALLS, ...ROLLBACK_AFTER_MONITOR]);
        strict_1.default.deepEqual(p.compensations.map((c) => c.step), [
            'drain.startBlue', 'switch.switchBack', 'deploy.stopInstance', 'graph.dropTargetGraph', 'schema.dropTargetSchema', 'preflight.forgetRun',
        ]);
        strict_1.default.ok(p.compensations.every((c) => c.status === 'done'));
        strict_1.default.equal(p.steps.monitor, 'failed');
        strict_1.default.equal(p.steps.switch, 'compensated');
    });
    (0, node_test_1.test)('missing data, policy fail: counts as failed checks and rolls back', async () => {
        const h = await start({ sample: (n) => (n > 24 ? release_stubs_1.NO_DATA : release_stubs_1.HEALTHY) }, fullPlan({ monitoring: { ...DAY, missingData: 'fail' } }));
        const { f, p } = await failure(h, 'MonitoringBreached');
        strict_1.default.match(f.message, /no data: health: ECONNREFUSED/);
        strict_1.default.equal(p.monitoring?.checks, 27);
        strict_1.default.ok(calls(h).includes('switchBack'));
    });
    (0, node_test_1.test)('missing data, policy pause: monitoring waits for the operator; resume on the saga carries on', async () => {
        const h = await start({ sample: (n) => (n === 5 ? release_stubs_1.NO_DATA : release_stubs_1.HEALTHY) }, fullPlan({ drainSeconds: 0, monitoring: { durationMinutes: 2, intervalSeconds: 1, missingData: 'pause' } }));
        // Time stays locked (real time) until the pause: an idle time-skipping server would jump to the
        // workflow's execution timeout while the monitor waits for an operator.
        const child = t.env.client.workflow.getHandle(`${h.workflowId}-monitor`);
        let s;
        for (let i = 0; i < 400 && !s?.paused; i++) {
            s = await child.query(names_1.QueryNames.status).catch(() => undefined);
            if (!s?.paused)
                await new Promise((r) => setTimeout(r, 25));
        }
        strict_1.default.equal(s?.paused, true);
        strict_1.default.match(s.pausedReason, /no data at check 5/);
        strict_1.default.equal((await progress(h)).phase, 'monitoring');
        await h.signal(names_1.SignalNames.resume);
        const r = await h.result();
        strict_1.default.equal(r.phase, 'completed');
        strict_1.default.equal(r.progress.monitoring?.outcome, 'passed');
        strict_1.default.equal(r.progress.monitoring?.failures, 0);
        strict_1.default.ok(calls(h).includes('finalize'));
    });
    (0, node_test_1.test)('approval gate: refused without a name, approved by alice, then switch and finalize', async () => {
        const h = await start({}, fullPlan({ drainSeconds: 0, approval: { required: true, timeoutMinutes: 60 }, monitoring: { durationMinutes: 10 } }));
        const waiting = await until(h, (p) => p.phase === 'awaiting_approval', 'the approval gate');
        strict_1.default.equal(waiting.step, 'approval');
        strict_1.default.ok(!calls(h).includes('switchTraffic'));
        await strict_1.default.rejects(h.executeUpdate(names_1.UpdateNames.promote, { args: [{}] }), (e) => e instanceof client_1.WorkflowUpdateFailedError && /not monitoring green/.test(String(e.cause)));
        await strict_1.default.rejects(h.executeUpdate(names_1.UpdateNames.approve, { args: [{ by: ' ' }] }), client_1.WorkflowUpdateFailedError);
        const approval = await h.executeUpdate(names_1.UpdateNames.approve, { args: [{ by: 'alice' }] });
        strict_1.default.equal(approval.by, 'alice');
        const r = await h.result();
        strict_1.default.equal(r.phase, 'completed');
        strict_1.default.equal(r.progress.approval?.by, 'alice');
        strict_1.default.equal(r.steps.approval, 'done');
        strict_1.default.ok(calls(h).indexOf('switchTraffic') > calls(h).indexOf('measureBaseline'));
    });
    (0, node_test_1.test)('approval gate: a timeout fails and rolls back before any switch', async () => {
        const h = await start({}, fullPlan({ approval: { required: true, timeoutMinutes: 30 } }));
        const { f, p } = await failure(h, 'ApprovalTimeout');
        strict_1.default.match(f.message, /within 30 minutes/);
        strict_1.default.equal(p.phase, 'rolled_back');
        strict_1.default.deepEqual(calls(h).slice(DATA_CALLS.length), [
            'deployGreen', 'smokeTests', 'optimizeDatabase', 'warmCache', 'measureBaseline', 'stopInstance:green', 'dropTargetGraph', 'dropTargetSchema', 'forgetRun',
        ]);
    });
    (0, node_test_1.test)('promote ends monitoring early and finalizes', async () => {
        const h = await start({}, fullPlan({ drainSeconds: 0 }));
        await until(h, (p) => p.phase === 'monitoring', 'monitoring');
        await strict_1.default.rejects(h.executeUpdate(names_1.UpdateNames.approve, { args: [{ by: 'bob' }] }), client_1.WorkflowUpdateFailedError);
        const m = await h.executeUpdate(names_1.UpdateNames.promote, { args: [{ reason: 'looks good' }] });
        strict_1.default.equal(m?.workflowId, `${h.workflowId}-monitor`);
        const r = await h.result();
        strict_1.default.equal(r.phase, 'completed');
        strict_1.default.equal(r.progress.monitoring?.outcome, 'promoted');
        strict_1.default.ok(r.progress.monitoring.checks < 10, `promoted after ${r.progress.monitoring.checks} checks`);
        strict_1.default.ok(r.progress.monitoring.secondsLeft > 80_000);
        strict_1.default.deepEqual(calls(h).slice(-2), ['finalize', 'releaseRun:completed']);
    });
    (0, node_test_1.test)('abort during monitoring rolls back now; the monitor child is cancelled', async () => {
        const h = await start({}, fullPlan({ drainSeconds: 0 }));
        await until(h, (p) => p.phase === 'monitoring', 'monitoring');
        await h.signal(names_1.SignalNames.abort, { reason: 'error budget' });
        const { p } = await failure(h, 'Aborted');
        strict_1.default.equal(p.phase, 'rolled_back');
        strict_1.default.deepEqual(calls(h).slice(-ROLLBACK_AFTER_MONITOR.length), ROLLBACK_AFTER_MONITOR);
        const child = await t.env.client.workflow.getHandle(`${h.workflowId}-monitor`).describe();
        strict_1.default.equal(child.status.name, 'CANCELLED');
    });
    (0, node_test_1.test)('a plan that archives the legacy tables while blue stays warm is refused before anything runs', async () => {
        const h = await start({}, fullPlan({ blueAfterSwitch: 'keep-warm', finalize: { legacyTables: 'archive' } }));
        const { f } = await failure(h, 'BadInputError');
        strict_1.default.match(f.message, /legacyTables: "archive"/);
        strict_1.default.deepEqual(calls(h), []);
    });
});
(0, node_test_1.describe)('rollback workflow', () => {
    const rollback = async (runId, scenario = {}, extra = {}) => {
        const workflowId = `${runId}-rollback-${++seq}`;
        t.scenarios.set(workflowId, scenario);
        const r = await t.env.client.workflow.execute(names_1.WorkflowTypes.rollback, { taskQueue: t.taskQueue, workflowId, args: [{ runId, ...extra }] });
        return { r: r, calls: calls(workflowId) };
    };
    (0, node_test_1.test)('a completed run is reverted from its stored plan, release first, then data', async () => {
        const plan = (0, plan_1.parsePlan)(fullPlan({ drainSeconds: 0 }));
        strict_1.default.ok(plan.ok);
        const { r, calls: c } = await rollback('finished-run', { record: { status: 'completed', plan: plan.plan, createdBookkeeping: true } });
        strict_1.default.equal(r.mode, 'reverted');
        strict_1.default.equal(r.upgradeStatus, 'NOT_FOUND');
        strict_1.default.equal(r.reason, `emergency rollback (${r.runId}-rollback-${seq})`);
        strict_1.default.ok(!Number.isNaN(Date.parse(r.at)), r.at);
        // the run's bookkeeping goes last, stp_migration with it when the run had created it
        strict_1.default.deepEqual(c, ['loadRun', 'releaseRun:rolling_back', 'unfinalize', 'startBlue', 'switchBack', 'stopInstance:green',
            'dropTargetGraph', 'removeCapture', 'dropTargetSchema', 'forgetRun']);
        strict_1.default.equal(t.logs.get(`${r.runId}-rollback-${seq}`)?.dropBookkeeping, true);
    });
    (0, node_test_1.test)('a finalized run that took writes since finalize is refused until --accept-loss', async () => {
        const plan = (0, plan_1.parsePlan)(fullPlan({ drainSeconds: 0 }));
        strict_1.default.ok(plan.ok);
        const record = { status: 'completed', plan: plan.plan, createdBookkeeping: true };
        const refused = await rollback('finalized-run', { record, writesSinceFinalize: 42 }).then(() => strict_1.default.fail('should refuse'), (e) => e);
        strict_1.default.ok(refused instanceof client_1.WorkflowFailedError && refused.cause instanceof common_1.ApplicationFailure, String(refused));
        strict_1.default.equal(refused.cause.type, 'UncarriedWrites');
        strict_1.default.match(refused.cause.message, /42 writes since then.*Nothing was changed.*--accept-loss/);
        const { r, calls: c } = await rollback('finalized-run', { record, writesSinceFinalize: 42 }, { acceptLoss: true });
        strict_1.default.equal(r.mode, 'reverted');
        strict_1.default.ok(c.includes('unfinalize'));
    });
    (0, node_test_1.test)('an open run is aborted and rolls itself back', async () => {
        const h = await start({}, fullPlan({ approval: { required: true, timeoutMinutes: 600 } }));
        await until(h, (p) => p.phase === 'awaiting_approval', 'the approval gate');
        const { r, calls: c } = await rollback(h.workflowId);
        strict_1.default.equal(r.mode, 'aborted');
        strict_1.default.equal(r.upgradeStatus, 'FAILED');
        // the record is read before the abort (the run forgets it as it rolls back): nothing to restore here
        strict_1.default.deepEqual(c, ['loadRun']);
        await failure(h, 'Aborted');
        strict_1.default.deepEqual(calls(h).slice(-4), ['stopInstance:green', 'dropTargetGraph', 'dropTargetSchema', 'forgetRun']);
    });
    (0, node_test_1.test)('a run without a record has nothing to roll back', async () => {
        const { r } = await rollback('never-ran', { record: null });
        strict_1.default.equal(r.mode, 'nothing');
        strict_1.default.match(r.message, /no record of run never-ran/);
    });
});
(0, node_test_1.describe)('release saga with live-write capture', () => {
    (0, node_test_1.test)('completes: capture on before the copy, switch through the cut-over, capture off before finalize', async () => {
        // 150 s of monitoring, not 180: the saga's follow loop waits in 60 s steps, and a monitoring
        // child ending on the same virtual instant as one of those waits makes the saga cancel a timer
        // the test server has just fired, which hangs the time-skipping server (it never records the
        // workflow task's completion). A real server takes that race; see whileSyncing.
        const h = await start({}, fullPlan({ drainSeconds: 30, monitoring: { durationSeconds: 150, intervalSeconds: 60 } }, true));
        const r = (await h.result());
        strict_1.default.equal(r.phase, 'completed');
        const c = calls(h);
        strict_1.default.ok(c.indexOf('installCapture') === c.indexOf('createTargetSchema') + 1, c.join(' '));
        strict_1.default.ok(c.indexOf('removeCapture') > c.indexOf('stopInstance:blue') && c.indexOf('removeCapture') < c.indexOf('finalize'), c.join(' '));
        strict_1.default.deepEqual(r.progress.sync?.cutover?.holdsMs, [3]);
    });
    // The rollback order with capture (green's writes back before blue takes traffic, and again
    // after green stopped) is tested on real servers: test/release/online-e2e.test.ts (b). The
    // time-skipping test server fails that workflow task ("invalid history builder state").
});
//# sourceMappingURL=release-saga.test.js.map