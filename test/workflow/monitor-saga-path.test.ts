import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SignalNames } from '../../common/names';
import { env, healthy, monitor, status, useMonitorEnvironment } from './monitor-harness';

// In a process of its own: after the other monitor tests in one process, this one's timers stop
// firing in the time-skipping server (it passes alone, and against the real server).
useMonitorEnvironment();

describe('monitor workflow, saga path', () => {
  test('the saga path: operator pause and resume signals, then promote as a signal', async () => {
    const { result } = await monitor({ plan: { intervalSeconds: 300 } }, () => healthy, async (h) => {
      await env.sleep('1 hour');
      await h.signal(SignalNames.pause, 'maintenance window');
      await env.sleep('3 hours');
      const s = await status(h);
      assert.equal(s.paused, true);
      assert.equal(s.pausedReason, 'maintenance window');
      assert.ok(s.checks >= 12 && s.checks <= 14, `checks while paused: ${s.checks}`);
      assert.ok(s.secondsLeft >= 22 * 3600, 'the paused hours do not count');
      await h.signal(SignalNames.resume);
      await env.sleep('10 minutes');
      assert.equal((await status(h)).paused, false);
      await h.signal(SignalNames.promoteMonitor, { reason: 'saga forwarded promote' });
    });
    assert.equal(result.outcome, 'promoted');
    assert.equal(result.reason, 'saga forwarded promote');
    assert.equal(result.failures, 0);
  });

});
