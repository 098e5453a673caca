import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Cleanup } from './cleanup';
import type { PgliteThreadData } from './pglite-thread';

export interface EmbeddedPostgres {
  url: string;
  port: number;
  startMs: number;
  fromSnapshot: boolean;
}

/**
 * PGlite (PostgreSQL 18 in WASM, with pgvector and Apache AGE) served over the wire protocol on a
 * free loopback port, so the `pg` driver and every activity use it like a real server. One
 * backend serves all connections: session settings are shared and transactions are serialised.
 */
export async function startEmbeddedPostgres(cleanup: Cleanup, opts: { env: NodeJS.ProcessEnv; maxConnections?: number }): Promise<EmbeddedPostgres> {
  const data: PgliteThreadData = { port: 0, maxConnections: opts.maxConnections ?? 24, snapshot: snapshotPath(opts.env) };
  const worker = new Worker(path.join(__dirname, 'pglite-thread.js'), { workerData: data });
  let stopped: (() => void) | undefined;
  cleanup.add('embedded PostgreSQL (PGlite)', async () => {
    await new Promise<void>((resolve) => {
      stopped = resolve;
      worker.postMessage({ type: 'stop' });
      setTimeout(resolve, 5000).unref();
    });
    await worker.terminate();
  });
  return new Promise((resolve, reject) => {
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`the PGlite thread exited (${code}) before it was ready`)));
    worker.on('message', (msg: { type: string; port?: number; ms?: number; fromSnapshot?: boolean; message?: string }) => {
      if (msg.type === 'ready') {
        resolve({ url: `postgres://postgres@127.0.0.1:${msg.port}/postgres`, port: msg.port!, startMs: msg.ms!, fromSnapshot: !!msg.fromSnapshot });
      } else if (msg.type === 'error') reject(new Error(`PGlite did not start: ${msg.message}`));
      else if (msg.type === 'stopped') stopped?.();
    });
  });
}

/** Cache of the initialised data directory, keyed by the PGlite and extension versions. */
function snapshotPath(env: NodeJS.ProcessEnv): string | undefined {
  if (env.STP_DEMO_NO_SNAPSHOT) return undefined;
  const versions = ['@electric-sql/pglite', '@electric-sql/pglite-pgvector', '@electric-sql/pglite-age'].map(packageVersion);
  const cache = env.STP_CACHE ?? path.join(os.homedir(), '.cache', 'stp-upgrade');
  return path.join(cache, 'demo', `pglite-${versions.join('-')}.tar.gz`);
}

function packageVersion(name: string): string {
  let dir = path.dirname(require.resolve(name));
  while (dir !== path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name) return pkg.version ?? 'x';
    }
    dir = path.dirname(dir);
  }
  return 'x';
}
