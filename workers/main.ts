import os from 'node:os';
import path from 'node:path';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { temporalSettings } from '../client/connection';
import { EnvPools } from './databases';

/**
 * The worker process: connects to Temporal, holds the database pools (resolving names from its own
 * environment), and runs workflows and activities until SIGINT/SIGTERM, then drains and exits.
 */
export async function runWorker(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const settings = temporalSettings(env);
  const pools = new EnvPools(env);
  let connection: NativeConnection;
  try {
    connection = await NativeConnection.connect({ address: settings.address });
  } catch (err) {
    throw new Error(
      `cannot reach the Temporal server at ${settings.address} (${(err as Error).message}). ` +
        'Start it with `npm run dev:up` or set TEMPORAL_ADDRESS.',
    );
  }
  try {
    const worker = await Worker.create({
      connection,
      namespace: settings.namespace,
      taskQueue: settings.taskQueue,
      workflowsPath: require.resolve('../workflows'),
      activities: createActivities({ pools, resolveUrl: (db) => pools.url(db), stateRoot: stateRoot(env), env }),
      shutdownGraceTime: '20s',
    });
    console.log(`stp-upgrade worker: task queue "${settings.taskQueue}" on ${settings.address}, namespace "${settings.namespace}"`);
    await worker.run();
  } finally {
    await connection.close();
    await pools.close();
  }
}

if (require.main === module) {
  Runtime.install({ logger: undefined });
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
