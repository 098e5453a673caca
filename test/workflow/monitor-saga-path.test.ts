import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import { testServerPath } from '../helpers/temporal';
import { QueryNames, SignalNames, UpdateNames, WorkflowTypes } from '../../common/names';
// In a process of its own: after the other monitor tests in one process, this one's timers stop
// firing in the time-skipping server (it passes alone, and against the real server).
import type { MonitorActivities, SampleInput } from '../../activities/monitor';
import type { Baseline, MonitorStatus, MonitorWorkflowInput, ServiceSample } from '../../common/monitor';
import type { monitorWorkflow } from '../../workflows/monitor';

// 24 h of one-minute checks, in seconds of real time: the time-skipping server jumps over every timer.
Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;

before(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testServerPath() } } });
  workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows/monitor'), logger: new DefaultLogger('WARN') });
});

after(async () => {
  await env?.teardown();
});

const baseline: Baseline = { p95Ms: 100, memoryBytes: 200_000_000, hitRate: 0.8, samples: 5 };
const healthy: ServiceSample = { ok: true, health: 'healthy', p95Ms: 110, memoryBytes: 210_000_000, hitRate: 0.82 };
const slow: ServiceSample = { ...healthy, p95Ms: 5000 };
const noData: ServiceSample = { ok: false, error: 'health: ECONNREFUSED; metrics: ECONNREFUSED; cache/stats: ECONNREFUSED' };

type Handle = WorkflowHandle<typeof monitorWorkflow>;
const status = (h: Handle) => h.query<MonitorStatus>(QueryNames.status);

/** Runs the monitor with a stub whose n-th sample (1-based) is `sample(n)`; `drive` steers it meanwhile. */
async function monitor(input: Partial<MonitorWorkflowInput>, sample: (n: number) => ServiceSample, drive?: (h: Handle) => Promise<void>, e: TestWorkflowEnvironment = env) {
  const taskQueue = `monitor-${randomUUID().slice(0, 8)}`;
  const calls = { samples: 0, log: [] as NonNullable<SampleInput['log']>[] };
  const activities: MonitorActivities = {
    sampleService: async (i) => {
      if (i.log) calls.log.push(i.log);
      return sample(++calls.samples);
    },
    measureBaseline: async () => baseline,
  };
  const worker = await Worker.create({ connection: e.nativeConnection, taskQueue, workflowBundle, activities });
  return worker.runUntil(async () => {
    const handle = await e.client.workflow.start<typeof monitorWorkflow>(WorkflowTypes.monitor, {
      taskQueue,
      workflowId: `monitor-${randomUUID()}`,
      args: [{ baseUrl: 'http://green.invalid:8080', baseline, ...input }],
    });
    await drive?.(handle);
    const result = await handle.result();
    // A query of a closed workflow replays it on a worker, so ask while this one still runs.
    const final = await status(handle);
    return { result, handle, calls, final };
  });
}

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
