import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { stopWithin } from './env';
import type { createBackupActivities } from '../../activities/backup';
import type { MonitorActivities } from '../../activities/monitor';
import type { ReleaseActivities } from '../../activities/release';
import { createRollbackActivities, type LoadedRun, type RollbackActivities } from '../../activities/rollback';
import type { Baseline, ServiceSample } from '../../common/monitor';
import type { Plan } from '../../common/plan';
import { testServerPath } from '../helpers/temporal';
import type { createSyncActivities } from '../../activities/sync';
import { createStubActivities, type Scenario, type StubLog } from './stubs';

/** How the release stubs behave for one upgrade run (the monitor child maps to its parent's id). */
export interface ReleaseScenario extends Scenario {
  /** The monitor's n-th check (1-based); default healthy. */
  sample?: (n: number) => ServiceSample;
  /** rollbackWorkflow: what loadRun finds. */
  record?: LoadedRun | null;
  /** rollbackWorkflow: writes the target tables took since finalize (default: not finalized). */
  writesSinceFinalize?: number;
  /** rollbackWorkflow: the live files restoreArtifacts puts back from the backup (default none). */
  restored?: string[];
}

export const BASELINE: Baseline = { p95Ms: 100, memoryBytes: 200_000_000, hitRate: 0.8, samples: 5 };
export const HEALTHY: ServiceSample = { ok: true, health: 'healthy', p95Ms: 110, memoryBytes: 210_000_000, hitRate: 0.82 };
export const SLOW: ServiceSample = { ...HEALTHY, p95Ms: 4000 };
export const NO_DATA: ServiceSample = { ok: false, error: 'health: ECONNREFUSED' };

type ReleaseStubs = ReleaseActivities & MonitorActivities & RollbackActivities & Pick<ReturnType<typeof createSyncActivities>, 'cutover' | 'writesSinceFinalize'>
  & Pick<ReturnType<typeof createBackupActivities>, 'writeBaseline' | 'restoreArtifacts'>;

/**
 * Release, monitor and rollback activities typed from the real factories, returning at once (the
 * time-skipping server would expire a stub that waits while it skips time). Calls are logged in the
 * same StubLog as the data stubs, so one list shows data and release steps and their undo in order.
 */
export function createReleaseStubs(scenarios: Map<string, ReleaseScenario>, logs: Map<string, StubLog>, samples: Map<string, number>): ReleaseStubs {
  const current = () => {
    const id = (Context.current().info.workflowExecution?.workflowId ?? 'unknown').replace(/-monitor$/, '');
    if (!logs.has(id)) logs.set(id, { calls: [], slices: [] });
    return { id, s: scenarios.get(id) ?? {}, log: logs.get(id)! };
  };
  const step = (name: string): ReleaseScenario => {
    const { s, log } = current();
    log.calls.push(name);
    if (s.failAt === name || s.failCompensation === name) throw ApplicationFailure.nonRetryable(`injected failure in ${name}`, 'InjectedFailure');
    return s;
  };
  const health = { status: 'healthy', version: '2', instance: 'green', schemaVersion: 2, elapsedMs: 3 };
  const deployed = (instance: string, version: string, port: number) => ({ instance, version, port, pid: 1, started: true, health, checks: 3 });
  const target = (instance: string, port: number) => ({ instance, port });
  const switched = (to: string, from: string) => ({
    target: target(to, to === 'green' ? 8081 : 8080), previous: target(from, from === 'green' ? 8081 : 8080), attempts: 1,
    proof: { requests: 5, consecutive: 5, elapsedMs: 10, seen: { [`${to}/2`]: 5 } },
  });
  const real = createRollbackActivities({ pools: { get: () => { throw new Error('no database in workflow tests'); } } });
  return {
    deployGreen: async () => (step('deployGreen'), deployed('green', '2', 8081)),
    startBlue: async () => (step('startBlue'), deployed('blue', '1', 8080)),
    restartBlue: async () => (step('restartBlue'), deployed('blue', '1', 8080)),
    // the baseline's copy in the backup is not a step of the saga: not logged
    writeBaseline: async () => ({ file: '/tmp/performance_baseline.json' }),
    restoreArtifacts: async () => ({ restored: step('restoreArtifacts').restored ?? [], unchanged: [], backupDir: '/tmp/backup' }),
    stopInstance: async ({ which }) => (step(`stopInstance:${which}`), { stopped: true }),
    smokeTests: async () => (step('smokeTests'), { skipped: false, passed: ['create text'], warnings: [], cleanedUp: [] }),
    warmCache: async () => (step('warmCache'), { queries: 2, cacheSize: 3, failures: [] }),
    optimizeDatabase: async () => (step('optimizeDatabase'), { analyzed: ['chunks_unified'], indexes: [], built: [] }),
    switchTraffic: async () => (step('switchTraffic'), switched('green', 'blue')),
    // the cut-over is the switch under a write hold: logged as the switch it makes
    cutover: async () => (step('switchTraffic'), { switched: true, holdMs: 3, replayed: 0, backlogAtHold: 0, switch: switched('green', 'blue') }),
    switchBack: async () => (step('switchBack'), switched('blue', 'green')),
    drain: async () => (step('drain'), { waitedMs: 0 }),
    finalize: async () => (step('finalize'), { schemaVersion: 2, previous: 1, archived: [] }),
    unfinalize: async () => (step('unfinalize'), { restored: [], schemaVersion: 1 }),
    measureBaseline: async () => (step('measureBaseline'), BASELINE),
    sampleService: async () => {
      const { id, s } = current();
      const n = (samples.get(id) ?? 0) + 1;
      samples.set(id, n);
      return s.sample?.(n) ?? HEALTHY;
    },
    loadRun: async () => step('loadRun').record ?? null,
    writesSinceFinalize: async () => {
      const n = current().s.writesSinceFinalize;
      return n === undefined ? null : { at: '2026-11-24T01:00:00.000Z', writes: n };
    },
    describeUpgrade: real.describeUpgrade,
  };
}

export interface ReleaseTestEnv {
  env: TestWorkflowEnvironment;
  taskQueue: string;
  scenarios: Map<string, ReleaseScenario>;
  logs: Map<string, StubLog>;
  samples: Map<string, number>;
  stop(): Promise<void>;
}

/** A time-skipping server and one worker running every workflow with data and release stubs (plus `extra` activities). */
export async function startReleaseEnv(taskQueue = 'release-saga-test', extra: Record<string, (...args: never[]) => Promise<unknown>> = {}): Promise<ReleaseTestEnv> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testServerPath() } } });
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: new DefaultLogger('ERROR') });
  const scenarios = new Map<string, ReleaseScenario>();
  const logs = new Map<string, StubLog>();
  const samples = new Map<string, number>();
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle,
    activities: { ...createStubActivities(scenarios, logs), ...createReleaseStubs(scenarios, logs, samples), ...extra },
  });
  const running = worker.run();
  return {
    env, taskQueue, scenarios, logs, samples,
    async stop() {
      await stopWithin(worker, running, env);
    },
  };
}
