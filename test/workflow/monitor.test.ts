import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SignalNames, UpdateNames } from '../../common/names';
import type { MonitorStatus } from '../../common/monitor';
import { env, healthy, monitor, noData, slow, status, useMonitorEnvironment } from './monitor-harness';

useMonitorEnvironment();

// One test at a time: the time-skipping server's clock is shared, and a skip taken for one
// workflow while another runs a local activity times out that one's workflow task.
describe('monitor workflow', () => {
  test('a clean day passes after 1440 checks, continuing as new every 200 with the state carried over', async () => {
    const { result, handle, calls, final: s } = await monitor({ stateDir: '/var/lib/stp-upgrade' }, () => healthy);
    assert.equal(result.outcome, 'passed');
    assert.equal(result.checks, 1440);
    assert.equal(result.failures, 0);
    assert.equal(calls.samples, 1440);
    assert.equal(calls.log.length, 1440);
    const hour = Date.parse(calls.log[60].at) - Date.parse(calls.log[0].at);
    assert.ok(Math.abs(hour - 3_600_000) < 1000, `one check a minute: 60 checks took ${hour} ms`);
    assert.equal(result.summary.worstP95Ms, 110);

    const last = await handle.describe();
    assert.notEqual(last.runId, handle.firstExecutionRunId, 'continued as new');
    const firstRun = await env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).fetchHistory();
    const events = firstRun.events?.length ?? 0;
    assert.ok(events > 200 && events < 200 * 8, `a run of 200 checks has ${events} history events`);
    assert.equal(s.run, 8, '1440 checks / 200 per run');
    assert.equal(s.checks, 1440);
    assert.equal(s.outcome, 'passed');
    assert.equal(s.secondsLeft, 0);
  });

  test('p95 far above baseline from hour 13 breaches after 3 consecutive failed checks, with the reason', async () => {
    // 5-minute checks keep the test short; hour 13 is check 157.
    const { result, calls } = await monitor({ plan: { intervalSeconds: 300 }, stateDir: '/tmp/x' }, (n) => (n > 156 ? slow : healthy));
    assert.equal(result.outcome, 'breached');
    assert.equal(result.checks, 159);
    assert.equal(result.failures, 3);
    assert.match(result.reason ?? '', /3 consecutive failed checks \(limit 3\) at check 159/);
    assert.match(result.reason ?? '', /p95 5000 ms > max 1000 ms/);
    assert.match(result.reason ?? '', /p95 5000 ms > baseline 100 ms × 1.2 \+ 50 ms/);
    assert.equal(result.lastSample?.p95Ms, 5000);
    assert.deepEqual(result.summary.recentFailures.map((f) => f.check), [157, 158, 159]);
    const firstFailure = Date.parse(result.summary.recentFailures[0].at) - Date.parse(calls.log[0].at);
    assert.ok(Math.abs(firstFailure - 13 * 3_600_000) < 1000, `first failure after ${firstFailure} ms`);
  });

  test('scattered failures add up to the total limit, across continue-as-new', async () => {
    const plan = { durationMinutes: 120, continueAsNewEvery: 10, maxFailures: 3 };
    const { result, final } = await monitor({ plan }, (n) => (n % 25 === 0 ? { ...healthy, health: 'degraded' } : healthy));
    assert.equal(result.outcome, 'breached');
    assert.equal(result.checks, 75);
    assert.match(result.reason ?? '', /3 failed checks in total \(limit 3\) at check 75: health is "degraded"/);
    assert.equal(final.run, 8, 'failures of runs 3 and 5 counted in run 8');
  });

  test('missing data with policy fail counts as failures and breaches', async () => {
    const { result } = await monitor({ plan: { durationMinutes: 60 } }, (n) => (n >= 10 ? noData : healthy));
    assert.equal(result.outcome, 'breached');
    assert.equal(result.checks, 12);
    assert.equal(result.summary.missing, 3);
    assert.match(result.reason ?? '', /no data: health: ECONNREFUSED/);
  });

  test('missing data with policy pause waits for resume, and the paused time does not count', async () => {
    const plan = { durationMinutes: 30, missingData: 'pause' as const };
    const { result } = await monitor({ plan }, (n) => (n === 5 ? noData : healthy), async (h) => {
      await env.sleep('2 hours');
      const s = await status(h);
      assert.equal(s.paused, true);
      assert.equal(s.checks, 5);
      assert.equal(s.failures, 0);
      assert.match(s.pausedReason ?? '', /no data at check 5/);
      assert.equal(s.secondsLeft, 26 * 60, 'the clock stopped at the pause');
      await h.signal(SignalNames.resume);
    });
    assert.equal(result.outcome, 'passed');
    assert.equal(result.failures, 0);
    assert.equal(result.checks, 31, '5 before the pause, one on resume, then 25 more minutes');
  });

  test('missing data with policy pause, then abort, ends as aborted with the reason', async () => {
    const plan = { missingData: 'pause' as const };
    const { result } = await monitor({ plan }, (n) => (n >= 3 ? noData : healthy), async (h) => {
      await env.sleep('1 hour');
      assert.equal((await status(h)).paused, true);
      await h.signal(SignalNames.abort, { reason: 'green cannot reach its cache' });
    });
    assert.equal(result.outcome, 'aborted');
    assert.equal(result.reason, 'green cannot reach its cache');
    assert.equal(result.checks, 3);
  });

  test('an abort signal while running ends monitoring at once', async () => {
    const { result } = await monitor({}, () => healthy, async (h) => {
      await env.sleep('5 minutes');
      await h.signal(SignalNames.abort);
    });
    assert.equal(result.outcome, 'aborted');
    assert.equal(result.reason, 'aborted by operator');
  });

  test('an invalid monitoring plan fails the workflow with every problem', async () => {
    await assert.rejects(
      monitor({ plan: { intervalSeconds: 0, bogus: 1 } as never }, () => healthy),
      (err: Error & { cause?: Error }) => {
        assert.match(err.cause?.message ?? '', /plan\.release\.monitoring\.intervalSeconds: expected a positive integer/);
        assert.match(err.cause?.message ?? '', /bogus/);
        return true;
      },
    );
  });
  // Last on purpose: after an update, the Java time-skipping test server has been seen to hang
  // the next test's timers; the real server has no such problem.
  test('promote at hour 2 ends monitoring early as promoted', async () => {
    const { result } = await monitor({ plan: { intervalSeconds: 300 } }, () => healthy, async (h) => {
      await env.sleep('2 hours');
      const s = await h.executeUpdate<MonitorStatus, [{ reason: string }]>(UpdateNames.promote, { args: [{ reason: 'looks good' }] });
      assert.ok(s.checks >= 24 && s.checks <= 26, `checks at promote: ${s.checks}`);
      assert.ok(s.secondsLeft > 21 * 3600, `secondsLeft ${s.secondsLeft}`);
    });
    assert.equal(result.outcome, 'promoted');
    assert.equal(result.reason, 'looks good');
    assert.ok(result.checks >= 24 && result.checks <= 26);
  });
});
