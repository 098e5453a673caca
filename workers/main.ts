import os from 'node:os';
import path from 'node:path';
import type pino from 'pino';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { explainConnectFailure, temporalSettings, TemporalSettingsError } from '../client/connection';
import { CodecKeyError, dataConverterFromEnv } from '../common/codec';
import { activityLogInterceptor } from './activity-context';
import { createLogger, LogSettingsError } from './logging';
import { installRuntime, metricsAddress, MetricsSettingsError } from './runtime';
import { EnvPools } from './databases';
import { prebuiltBundle } from './bundle';

/**
 * Shutdown bounds, from the signal. On SIGINT/SIGTERM the worker stops polling and lets running
 * activities finish for SHUTDOWN_GRACE_MS; then it cancels them (a long statement is cancelled in
 * the server); at SHUTDOWN_FORCE_MS it gives up on what still runs. Whatever hangs after that (a
 * stuck system call, a pool waiting for a client that never comes back) does not keep the process:
 * it exits at HARD_EXIT_MS. Another worker retries the abandoned activities after their heartbeat
 * timeout, from their checkpoints.
 */
export const SHUTDOWN_GRACE_MS = 20_000;
export const SHUTDOWN_FORCE_MS = 30_000;
const CLEANUP_MS = 5_000;
const HARD_EXIT_MS = SHUTDOWN_FORCE_MS + CLEANUP_MS + 5_000;

/**
 * The worker process: connects to Temporal, holds the database pools (resolving names from its own
 * environment), and runs workflows and activities until SIGINT/SIGTERM, then drains and exits.
 * A database restart or a dropped connection fails only the statements in flight (see EnvPools);
 * the activities are retried by Temporal.
 */
export async function runWorker(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { log, settings, dataConverter } = workerSettings(env);
  installRuntime(env, log);
  const pools = new EnvPools(env);
  let connection: NativeConnection;
  try {
    connection = await NativeConnection.connect(settings.connection);
  } catch (err) {
    throw new WorkerStartError(await explainConnectFailure(err, settings), false);
  }
  const shutdown = armHardExit(log);
  const bundle = prebuiltBundle(dataConverter.failureConverterPath);
  try {
    const worker = await Worker.create({
      connection,
      namespace: settings.namespace,
      taskQueue: settings.taskQueue,
      // Bundled by `npm run build` when it matches this code; else webpack bundles it here (seconds).
      ...(bundle ? { workflowBundle: bundle } : { workflowsPath: require.resolve('../workflows') }),
      dataConverter,
      interceptors: { activity: [activityLogInterceptor(log)] },
      // Every activity heartbeats while it runs, whatever it waits on: a killed worker costs the
      // heartbeat timeout (15-20 s), not the start-to-close timeout.
      activities: createActivities({ pools, resolveUrl: (db) => pools.url(db), stateRoot: stateRoot(env), env }),
      shutdownGraceTime: SHUTDOWN_GRACE_MS,
      shutdownForceTime: SHUTDOWN_FORCE_MS,
      // Heartbeats reach the server every few seconds (the default throttle is 80 % of the
      // heartbeat timeout, too close to it on a loaded machine).
      maxHeartbeatThrottleInterval: '3s',
      // After a crash, the run's next workflow task leaves the dead worker's sticky queue sooner.
      stickyQueueScheduleToStartTimeout: '3s',
    });
    const payloads = dataConverter.failureConverterPath ? 'encrypted (AES-256-GCM)' : 'not encrypted (no STP_CODEC_KEYS)';
    log.info(`stp-upgrade worker: task queue "${settings.taskQueue}" on ${settings.address} (${settings.security}), namespace "${settings.namespace}", payloads ${payloads}, ` +
      `workflow code ${bundle ? 'prebuilt by npm run build' : 'bundled at start'}`);
    await worker.run().catch((err: Error) => {
      // After the force time the SDK fails the run (and then finds the stuck activity still holding
      // the worker): that is the bounded shutdown working, not an error to report with a stack.
      if (!shutdown.requested()) throw err;
      log.error(`stp-upgrade worker: activities still running ${SHUTDOWN_FORCE_MS / 1000} s after the signal were abandoned; ` +
        'another worker retries them after their heartbeat timeout');
    });
  } finally {
    // Bounded: pool.end() waits for checked-out clients, which an activity stuck in a call may never return.
    await withTimeout(Promise.allSettled([connection.close(), pools.close()]), CLEANUP_MS);
    shutdown.disarm();
  }
}

/** The worker could not start: a setting to fix (badInput) or a server it cannot reach. The message says which. */
export class WorkerStartError extends Error {
  constructor(
    message: string,
    readonly badInput: boolean,
  ) {
    super(message);
    this.name = 'WorkerStartError';
  }
}

/** Every setting of the worker's environment, checked before anything connects. */
function workerSettings(env: NodeJS.ProcessEnv) {
  try {
    metricsAddress(env);
    return { log: createLogger(env), settings: temporalSettings(env), dataConverter: dataConverterFromEnv(env) };
  } catch (err) {
    if (err instanceof TemporalSettingsError || err instanceof CodecKeyError || err instanceof LogSettingsError || err instanceof MetricsSettingsError) {
      throw new WorkerStartError(err.message, true);
    }
    throw err;
  }
}

/** Exits the process HARD_EXIT_MS after the first SIGINT/SIGTERM, whatever still runs. */
function armHardExit(log: pino.Logger): { requested: () => boolean; disarm: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (timer) return;
    timer = setTimeout(() => {
      log.error(`stp-upgrade worker: still not stopped ${HARD_EXIT_MS / 1000} s after ${signal}; exiting`);
      process.exit(1);
    }, HARD_EXIT_MS);
    timer.unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    requested: () => timer !== undefined,
    disarm: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (timer) clearTimeout(timer);
    },
  };
}

async function withTimeout(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

if (require.main === module) {
  runWorker().then(
    () => process.exit(0),
    (err) => {
      console.error(`stp-upgrade worker: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}

/** Deployer and nginx state of plans that give no absolute directory. */
export function stateRoot(env: NodeJS.ProcessEnv): string {
  return env.STP_STATE_DIR ?? path.join(env.STP_CACHE ?? path.join(os.homedir(), '.cache', 'stp-upgrade'), 'state');
}
