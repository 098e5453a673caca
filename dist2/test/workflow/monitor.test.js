"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const names_1 = require("../../common/names");
const monitor_harness_1 = require("./monitor-harness");
(0, monitor_harness_1.useMonitorEnvironment)();
// One test at a time: the time-skipping server's clock is shared, and a skip taken for one
// workflow while another runs a local activity times out that one's workflow task.
(0, node_test_1.describe)('monitor workflow', () => {
    (0, node_test_1.test)('a clean day passes after 1440 checks, continuing as new every 200 with the state carried over', async () => {
        const { result, handle, calls, final: s } = await (0, monitor_harness_1.monitor)({ stateDir: '/var/lib/stp-upgrade' }, () => monitor_harness_1.healthy);
        strict_1.default.equal(result.outcome, 'passed');
        strict_1.default.equal(result.checks, 1440);
        strict_1.default.equal(result.failures, 0);
        strict_1.default.equal(calls.samples, 1440);
        strict_1.default.equal(calls.log.length, 1440);
        const hour = Date.parse(calls.log[60].at) - Date.parse(calls.log[0].at);
        strict_1.default.ok(Math.abs(hour - 3_600_000) < 1000, `one check a minute: 60 checks took ${hour} ms`);
        strict_1.default.equal(result.summary.worstP95Ms, 110);
        const last = await handle.describe();
        strict_1.default.notEqual(last.runId, handle.firstExecutionRunId, 'continued as new');
        const firstRun = await monitor_harness_1.env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).fetchHistory();
        const events = firstRun.events?.length ?? 0;
        strict_1.default.ok(events > 200 && events < 200 * 8, `a run of 200 checks has ${events} history events`);
        strict_1.default.equal(s.run, 8, '1440 checks / 200 per run');
        strict_1.default.equal(s.checks, 1440);
        strict_1.default.equal(s.outcome, 'passed');
        strict_1.default.equal(s.secondsLeft, 0);
    });
    (0, node_test_1.test)('p95 far above baseline from hour 13 breaches after 3 consecutive failed checks, with the reason', async () => {
        // 5-minute checks keep the test short; hour 13 is check 157.
        const { result, calls } = await (0, monitor_harness_1.monitor)({ plan: { intervalSeconds: 300 }, stateDir: '/tmp/x' }, (n) => (n > 156 ? monitor_harness_1.slow : monitor_harness_1.healthy));
        strict_1.default.equal(result.outcome, 'breached');
        strict_1.default.equal(result.checks, 159);
        strict_1.default.equal(result.failures, 3);
        strict_1.default.match(result.reason ?? '', /3 consecutive failed checks \(limit 3\) at check 159/);
        strict_1.default.match(result.reason ?? '', /p95 5000 ms > max 1000 ms/);
        strict_1.default.match(result.reason ?? '', /p95 5000 ms > baseline 100 ms × 1.2 \+ 50 ms/);
        strict_1.default.equal(result.lastSample?.p95Ms, 5000);
        strict_1.default.deepEqual(result.summary.recentFailures.map((f) => f.check), [157, 158, 159]);
        const firstFailure = Date.parse(result.summary.recentFailures[0].at) - Date.parse(calls.log[0].at);
        strict_1.default.ok(Math.abs(firstFailure - 13 * 3_600_000) < 1000, `first failure after ${firstFailure} ms`);
    });
    (0, node_test_1.test)('scattered failures add up to the total limit, across continue-as-new', async () => {
        const plan = { durationMinutes: 120, continueAsNewEvery: 10, maxFailures: 3 };
        const { result, final } = await (0, monitor_harness_1.monitor)({ plan }, (n) => (n % 25 === 0 ? { ...monitor_harness_1.healthy, health: 'degraded' } : monitor_harness_1.healthy));
        strict_1.default.equal(result.outcome, 'breached');
        strict_1.default.equal(result.checks, 75);
        strict_1.default.match(result.reason ?? '', /3 failed checks in total \(limit 3\) at check 75: health is "degraded"/);
        strict_1.default.equal(final.run, 8, 'failures of runs 3 and 5 counted in run 8');
    });
    (0, node_test_1.test)('missing data with policy fail counts as failures and breaches', async () => {
        const { result } = await (0, monitor_harness_1.monitor)({ plan: { durationMinutes: 60 } }, (n) => (n >= 10 ? monitor_harness_1.noData : monitor_harness_1.healthy));
        strict_1.default.equal(result.outcome, 'breached');
        strict_1.default.equal(result.checks, 12);
        strict_1.default.equal(result.summary.missing, 3);
        strict_1.default.match(result.reason ?? '', /no data: health: ECONNREFUSED/);
    });
    (0, node_test_1.test)('missing data with policy pause waits for resume, and the paused time does not count', async () => {
        const plan = { durationMinutes: 30, missingData: 'pause' };
        const { result } = await (0, monitor_harness_1.monitor)({ plan }, (n) => (n === 5 ? monitor_harness_1.noData : monitor_harness_1.healthy), async (h) => {
            await monitor_harness_1.env.sleep('2 hours');
            const s = await (0, monitor_harness_1.status)(h);
            strict_1.default.equal(s.paused, true);
            strict_1.default.equal(s.checks, 5);
            strict_1.default.equal(s.failures, 0);
            strict_1.default.match(s.pausedReason ?? '', /no data at check 5/);
            strict_1.default.equal(s.secondsLeft, 26 * 60, 'the clock stopped at the pause');
            await h.signal(names_1.SignalNames.resume);
        });
        strict_1.default.equal(result.outcome, 'passed');
        strict_1.default.equal(result.failures, 0);
        strict_1.default.equal(result.checks, 31, '5 before the pause, one on resume, then 25 more minutes');
    });
    (0, node_test_1.test)('missing data with policy pause, then abort, ends as aborted with the reason', async () => {
        const plan = { missingData: 'pause' };
        const { result } = await (0, monitor_harness_1.monitor)({ plan }, (n) => (n >= 3 ? monitor_harness_1.noData : monitor_harness_1.healthy), async (h) => {
            await monitor_harness_1.env.sleep('1 hour');
            strict_1.default.equal((await (0, monitor_harness_1.status)(h)).paused, true);
            await h.signal(names_1.SignalNames.abort, { reason: 'green cannot reach its cache' });
        });
        strict_1.default.equal(result.outcome, 'aborted');
        strict_1.default.equal(result.reason, 'green cannot reach its cache');
        strict_1.default.equal(result.checks, 3);
    });
    (0, node_test_1.test)('an abort signal while running ends monitoring at once', async () => {
        const { result } = await (0, monitor_harness_1.monitor)({}, () => monitor_harness_1.healthy, async (h) => {
            await monitor_harness_1.env.sleep('5 minutes');
            await h.signal(names_1.SignalNames.abort);
        });
        strict_1.default.equal(result.outcome, 'aborted');
        strict_1.default.equal(result.reason, 'aborted by operator');
    });
    (0, node_test_1.test)('an invalid monitoring plan fails the workflow with every problem', async () => {
        await strict_1.default.rejects((0, monitor_harness_1.monitor)({ plan: { intervalSeconds: 0, bogus: 1 } }, () => monitor_harness_1.healthy), (err) => {
            strict_1.default.match(err.cause?.message ?? '', /plan\.release\.monitoring\.intervalSeconds: expected a positive integer/);
            strict_1.default.match(err.cause?.message ?? '', /bogus/);
            return true;
        });
    });
    // Last on purpose: after an update, the Java time-skipping test server has been seen to hang
    // the next test's timers; the real server has no such problem.
    (0, node_test_1.test)('promote at hour 2 ends monitoring early as promoted', async () => {
        const { result } = await (0, monitor_harness_1.monitor)({ plan: { intervalSeconds: 300 } }, () => monitor_harness_1.healthy, async (h) => {
            await monitor_harness_1.env.sleep('2 hours');
            const s = await h.executeUpdate(names_1.UpdateNames.promote, { args: [{ reason: 'looks good' }] });
            strict_1.default.ok(s.checks >= 24 && s.checks <= 26, `checks at promote: ${s.checks}`);
            strict_1.default.ok(s.secondsLeft > 21 * 3600, `secondsLeft ${s.secondsLeft}`);
        });
        strict_1.default.equal(result.outcome, 'promoted');
        strict_1.default.equal(result.reason, 'looks good');
        strict_1.default.ok(result.checks >= 24 && result.checks <= 26);
    });
});
//# sourceMappingURL=monitor.test.js.map