import { after, before } from 'node:test';
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import { testServerPath } from '../helpers/temporal';
import { QueryNames, WorkflowTypes } from '../../common/names';
import type { MonitorActivities, SampleInput } from '../../activities/monitor';
import type { Baseline, MonitorStatus, MonitorWorkflowInput, ServiceSample } from '../../common/monitor';
import type { monitorWorkflow } from '../../workflows/monitor';

// 24 h of one-minute checks, in seconds of real time: the time-skipping server jumps over every timer.
Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
/** The time-skipping environment of the test file that called useMonitorEnvironment(). */
export let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;

/** One time-skipping server and one workflow bundle per test file. */
export function useMonitorEnvironment(): void {
  before(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testServerPath() } } });
  workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows/monitor'), logger: new DefaultLogger('WARN') });
});

after(async () => {
  await env?.teardown();
});
}

export const baseline: Baseline = { p95Ms: 100, memoryBytes: 200_000_000, hitRate: 0.8, samples: 5 };
export const healthy: ServiceSample = { ok: true, health: 'healthy', p95Ms: 110, memoryBytes: 210_000_000, hitRate: 0.82 };
export const slow: ServiceSample = { ...healthy, p95Ms: 5000 };
export const noData: ServiceSample = { ok: false, error: 'health: ECONNREFUSED; metrics: ECONNREFUSED; cache/stats: ECONNREFUSED' };

export type Handle = WorkflowHandle<typeof monitorWorkflow>;
export const status = (h: Handle) => h.query<MonitorStatus>(QueryNames.status);

/** Runs the monitor with a stub whose n-th sample (1-based) is `sample(n)`; `drive` steers it meanwhile. */
export async function monitor(input: Partial<MonitorWorkflowInput>, sample: (n: number) => ServiceSample, drive?: (h: Handle) => Promise<void>) {
  const taskQueue = `monitor-${randomUUID().slice(0, 8)}`;
  const calls = { samples: 0, log: [] as NonNullable<SampleInput['log']>[] };
  const activities: MonitorActivities = {
    sampleService: async (i) => {
      if (i.log) calls.log.push(i.log);
      return sample(++calls.samples);
    },
    measureBaseline: async () => baseline,
  };
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities });
  return worker.runUntil(async () => {
    const handle = await env.client.workflow.start<typeof monitorWorkflow>(WorkflowTypes.monitor, {
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

