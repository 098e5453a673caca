import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities } from '../activities';
import { EnvPools } from '../workers/databases';
import type { Cleanup } from './cleanup';

/** Webpack-bundles the workflows; started early because it takes seconds and needs no server. */
export function bundleWorkflows(logDir: string): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: fileLogger(logDir, 'WARN') });
}

/** A DefaultLogger that appends to LOGDIR/worker.log instead of the demo's screen. */
export function fileLogger(logDir: string, level: 'INFO' | 'WARN' | 'ERROR'): DefaultLogger {
  const file = path.join(logDir, 'worker.log');
  return new DefaultLogger(level, (entry) => {
    const meta = entry.meta && Object.keys(entry.meta).length ? ` ${JSON.stringify(entry.meta)}` : '';
    fs.appendFileSync(file, `${new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString()} ${entry.level} ${entry.message}${meta}\n`);
  });
}

/**
 * The same worker as `stp-upgrade worker` (all activity families of activities/index.ts, the
 * database named `primary` resolved from the worker's own environment), run in this process.
 */
export async function startWorker(
  cleanup: Cleanup,
  opts: { address: string; taskQueue: string; databaseUrl: string; workflowBundle: WorkflowBundleWithSourceMap; stateRoot: string },
): Promise<void> {
  const pools = new EnvPools({ STP_DATABASE_URL: opts.databaseUrl });
  const connection = await NativeConnection.connect({ address: opts.address });
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue: opts.taskQueue,
    workflowBundle: opts.workflowBundle,
    activities: createActivities({ pools, resolveUrl: (db) => pools.url(db), stateRoot: opts.stateRoot, env: process.env }),
    shutdownGraceTime: '5s',
  });
  const running = worker.run();
  cleanup.add('worker', async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => undefined);
    await connection.close().catch(() => undefined);
    await pools.close();
  });
  running.catch(() => undefined); // a failed worker shows up as a stuck run; cleanup still awaits it
}
