import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { WorkflowTypes } from '../../common/names';
import type { PlanInput } from '../../common/plan';
import { TEMPORAL_ADDRESS } from '../helpers/temporal';
import { pendingActivity, worker, type WorkerProc } from './crash-support';
import { randomQueue, waitFor } from './upgrade-support';

// SIGTERM while an activity is stuck where no cancellation reaches it (here: a "database" that
// lets the client log in and then never answers a query): the worker still exits within its
// shutdown bounds (grace 20 s, force at 30 s, then a hard exit), not after the activity's
// start-to-close timeout.
const sockets: net.Socket[] = [];
let blackhole: net.Server | undefined;
let w: WorkerProc | undefined;
let connection: Connection | undefined;

after(async () => {
  if (w && w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  for (const s of sockets) s.destroy();
  blackhole?.close();
  await connection?.close();
});

const SHUTDOWN_LIMIT_MS = 45_000;

test('a worker with an activity stuck in a call exits within its shutdown bounds after SIGTERM', { timeout: 120_000 }, async () => {
  blackhole = net.createServer((s) => {
    sockets.push(s);
    // AuthenticationOk and ReadyForQuery after the startup message; every query after that hangs
    s.once('data', () => s.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 0, 0x5a, 0, 0, 0, 5, 0x49])));
  });
  await new Promise<void>((resolve) => blackhole!.listen(0, '127.0.0.1', resolve));
  const port = (blackhole.address() as net.AddressInfo).port;
  const queue = randomQueue('crash-shutdown');
  w = await worker(queue, `postgres://postgres@127.0.0.1:${port}/stp`);
  connection = await Connection.connect({ address: TEMPORAL_ADDRESS });
  const client = new Client({ connection });
  const plan: PlanInput = { database: 'primary', steps: ['preflight'] };
  const handle = await client.workflow.start(WorkflowTypes.upgrade, { taskQueue: queue, workflowId: `crash-shutdown-${Date.now()}`, args: [plan], workflowExecutionTimeout: '2 minutes' });
  try {
    await waitFor('preflight stuck on its first query', async () => sockets.length > 0 && (await pendingActivity(handle, 'preflight')), 30_000, 100);
    const t0 = Date.now();
    const exited = new Promise<number | null>((resolve) => w!.child.once('exit', (code) => resolve(code)));
    w.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exited, new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), 90_000)))]);
    clearTimeout(timer);
    const ms = Date.now() - t0;
    console.log(`# the worker exited (code ${code}) ${(ms / 1000).toFixed(1)} s after SIGTERM with an activity stuck`);
    assert.notEqual(code, 'hung', `the worker did not exit within 90 s:\n${w.output().slice(-2000)}`);
    assert.ok(ms <= SHUTDOWN_LIMIT_MS, `the worker took ${ms} ms to exit (limit ${SHUTDOWN_LIMIT_MS} ms)`);
    assert.match(w.output(), /abandoned/, 'the worker says what it gave up on');
  } finally {
    await handle.terminate('test over').catch(() => undefined);
  }
});
