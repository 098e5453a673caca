import { Runtime, DefaultLogger, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { testServerPath } from '../helpers/temporal';
import { createStubActivities, type Scenario, type StubLog } from './stubs';

/** One time-skipping server, one workflow bundle and one worker with stub activities per test file. */
export interface SagaTestEnv {
  env: TestWorkflowEnvironment;
  /**
   * A plain client: `env.client.workflow.result()` unlocks time skipping, and the test server then
   * jumps virtual time past the timeouts of activities still running (a stub is retried as timed
   * out). The saga has no timers of its own, so the tests keep skipping locked.
   */
  client: Client;
  taskQueue: string;
  scenarios: Map<string, Scenario>;
  logs: Map<string, StubLog>;
  workflowBundle: WorkflowBundleWithSourceMap;
  stop(): Promise<void>;
}

let runtimeInstalled = false;

/** opts.dataConverter: the worker's and the client's (the payload codec of common/codec). */
export async function startSagaEnv(taskQueue = 'saga-test', opts: { dataConverter?: DataConverter; realServer?: string } = {}): Promise<SagaTestEnv> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger(process.env.TEST_LOG_LEVEL === 'debug' ? 'INFO' : 'ERROR') });
    runtimeInstalled = true;
  }
  // realServer: the dev server (no time skipping) for a test whose cancellations race completions,
  // which the time-skipping test server cannot take ("invalid history builder state": it hangs).
  const env = opts.realServer
    ? await TestWorkflowEnvironment.createFromExistingServer({ address: opts.realServer })
    : await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: testServerPath() } },
      });
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: new DefaultLogger('ERROR') });
  const scenarios = new Map<string, Scenario>();
  const logs = new Map<string, StubLog>();
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle,
    activities: createStubActivities(scenarios, logs),
    dataConverter: opts.dataConverter,
    // Heartbeat often so a cancelled slice learns of it within milliseconds.
    maxHeartbeatThrottleInterval: '20ms',
  });
  const running = worker.run();
  return {
    env,
    client: new Client({ connection: env.connection, dataConverter: opts.dataConverter }),
    taskQueue,
    scenarios,
    logs,
    workflowBundle,
    async stop() {
      await stopWithin(worker, running, env);
    },
  };
}

/**
 * Shuts the worker down and tears the server down, giving the worker 30 s: a time-skipping server
 * that hangs (it has, on a workflow task it never records) would otherwise keep the worker, and
 * with it the test process, alive after its test has failed on its timeout. Tearing the server
 * down ends the worker's polls.
 */
export async function stopWithin(worker: Worker, running: Promise<void>, env: TestWorkflowEnvironment): Promise<void> {
  worker.shutdown();
  const stopped = await Promise.race([running.then(() => true, () => true), new Promise<false>((r) => setTimeout(() => r(false), 30_000).unref())]);
  await env.teardown();
  if (!stopped) await Promise.race([running.catch(() => undefined), new Promise((r) => setTimeout(r, 10_000).unref())]);
}
