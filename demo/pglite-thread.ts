import fs from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { age } from '@electric-sql/pglite-age';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { keepExtendedQueriesWhole } from './pglite-queue';

/**
 * Runs in a worker thread (demo/pglite-server.ts): PGlite executes queries synchronously in WASM,
 * and off the main thread it cannot stall the Temporal worker or the progress display.
 */
export interface PgliteThreadData {
  port: number;
  maxConnections: number;
  /** initdb in WASM takes ~15 s: a data directory with the extensions created is cached here. */
  snapshot?: string;
}

async function main(): Promise<void> {
  const data = workerData as PgliteThreadData;
  const started = Date.now();
  let db: PGlite | undefined;
  let fromSnapshot = false;
  if (data.snapshot && fs.existsSync(data.snapshot)) {
    try {
      db = await PGlite.create({ extensions: { vector, age }, loadDataDir: new Blob([fs.readFileSync(data.snapshot)]) });
      fromSnapshot = true;
    } catch {
      fs.rmSync(data.snapshot, { force: true }); // unreadable: rebuild below
    }
  }
  db ??= await PGlite.create({ extensions: { vector, age } });
  await db.exec('create extension if not exists vector; create extension if not exists age;');
  if (data.snapshot && !fromSnapshot) {
    const blob = await db.dumpDataDir('gzip');
    const tmp = `${data.snapshot}.${process.pid}.tmp`;
    fs.mkdirSync(path.dirname(data.snapshot), { recursive: true });
    fs.writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
    fs.renameSync(tmp, data.snapshot);
  }
  const server = new PGLiteSocketServer({ db, port: data.port, host: '127.0.0.1', maxConnections: data.maxConnections });
  // Without it, concurrent parameterised queries of different connections interleave.
  if (!keepExtendedQueriesWhole(server, db)) throw new Error('unexpected @electric-sql/pglite-socket internals: cannot serialise extended-protocol queries');
  await server.start();
  const port = Number(server.getServerConn().split(':').pop());
  parentPort!.postMessage({ type: 'ready', port, ms: Date.now() - started, fromSnapshot });
  parentPort!.on('message', (msg: { type: string }) => {
    if (msg.type !== 'stop') return;
    void (async () => {
      await server.stop().catch(() => undefined);
      await db!.close().catch(() => undefined);
      parentPort!.postMessage({ type: 'stopped' });
    })();
  });
}

main().catch((err: Error) => parentPort!.postMessage({ type: 'error', message: err.stack ?? err.message }));
