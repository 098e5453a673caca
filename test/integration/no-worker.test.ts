import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT, runCliProcess, startWorkerProcess } from '../helpers/processes';
import { urlFor } from '../helpers/pg';
import { TEMPORAL_ADDRESS } from '../helpers/temporal';
import { randomQueue, tempDir, writePlan } from './upgrade-support';

// The CLI against the real Temporal dev server and a task queue no worker polls: every command
// says so within seconds, naming the queue and how to start a worker, never with a stack trace.
// Time bounds are generous (a loaded CI machine takes seconds just to start node); what the CLI
// itself waits for is bounded by its own deadlines (5 s for DescribeTaskQueue, 10 s for a query).
const FEW_SECONDS = 20_000;

const taskQueue = randomQueue('no-worker');
const env = { TEMPORAL_ADDRESS, STP_TASK_QUEUE: taskQueue };
const started: string[] = [];
let dir: string;
let connection: Connection;
let client: Client;

before(async () => {
  dir = tempDir('no-worker');
  connection = await Connection.connect({ address: TEMPORAL_ADDRESS });
  client = new Client({ connection });
});

after(async () => {
  for (const id of started) await client.workflow.getHandle(id).terminate('test cleanup').catch(() => undefined);
  await connection?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The plain message: the queue, how to start a worker, no stack frame. */
function assertNoWorkerMessage(text: string): void {
  assert.match(text, new RegExp(`no worker is polling task queue "${taskQueue}"`), text);
  assert.match(text, new RegExp(`STP_TASK_QUEUE=${taskQueue} STP_DATABASE_URL=\\S+ stp-upgrade worker`), text);
  assert.match(text, /npm run worker/);
  assert.doesNotMatch(text, /^\s+at /m, 'no stack trace');
}

/**
 * Runs the CLI until its stderr matches `until`, then stops it: for commands that keep waiting
 * (start --wait, watch). `running` says whether it was still waiting when the line came.
 */
function runUntil(args: string[], extraEnv: NodeJS.ProcessEnv, until: RegExp, timeoutMs = 60_000): Promise<{ stderr: string; ms: number; running: boolean }> {
  const t0 = Date.now();
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'stp-upgrade.js'), ...args], { env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  return new Promise((resolve) => {
    const done = (running: boolean) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve({ stderr, ms: Date.now() - t0, running });
    };
    const timer = setTimeout(() => done(child.exitCode === null), timeoutMs);
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (until.test(stderr)) done(child.exitCode === null && child.signalCode === null);
    });
    child.on('exit', () => done(false));
  });
}

async function startRun(extra: string[] = [], timeoutMs = 20_000) {
  const id = `no-worker-${Date.now()}-${started.length}`;
  started.push(id);
  const plan = writePlan(dir, id, { database: 'primary' });
  const t0 = Date.now();
  const r = await runCliProcess(['start', '--plan', plan, '--workflow-id', id, ...extra], env, timeoutMs);
  return { id, r, ms: Date.now() - t0 };
}

test('start: the run is started, and stderr says no worker polls the queue', async () => {
  const { id, r, ms } = await startRun();
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`Started upgrade ${id}`));
  assert.match(r.stderr, new RegExp(`run ${id} is started but waits`));
  assertNoWorkerMessage(r.stderr);
  assert.ok(ms < FEW_SECONDS, `answered in ${ms} ms`);
});

test('start --wait says so within seconds instead of waiting silently', async () => {
  const id = `no-worker-wait-${Date.now()}`;
  started.push(id);
  const plan = writePlan(dir, id, { database: 'primary' });
  const r = await runUntil(['start', '--plan', plan, '--workflow-id', id, '--wait'], env, /stp-upgrade worker.*\n/);
  assert.ok(r.running, 'still waiting for the run (it goes on once a worker comes)');
  assertNoWorkerMessage(r.stderr);
  assert.ok(r.ms < FEW_SECONDS, `said so after ${r.ms} ms`);
});

test('status of an open run with no worker: a plain message and exit 4 within seconds', async () => {
  const id = started[0];
  const t0 = Date.now();
  const r = await runCliProcess(['status', id], env, 30_000);
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, new RegExp(`^stp-upgrade status: run ${id} is open but cannot report its progress: `));
  assertNoWorkerMessage(r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
  assert.ok(Date.now() - t0 < FEW_SECONDS, `answered in ${Date.now() - t0} ms`);
  const json = await runCliProcess(['status', id, '--json'], env, 30_000);
  assert.equal(json.code, 4);
  assertNoWorkerMessage(json.stderr);
});

test('watch says so at once and keeps watching', async () => {
  const r = await runUntil(['watch', started[0]], env, /stp-upgrade worker.*\n/);
  assert.ok(r.running, 'still watching');
  assert.match(r.stderr, new RegExp(`^stp-upgrade watch: run ${started[0]} waits: `));
  assertNoWorkerMessage(r.stderr);
  assert.ok(r.ms < FEW_SECONDS, `said so after ${r.ms} ms`);
});

test('an unknown TEMPORAL_NAMESPACE: one line, exit 2', async () => {
  for (const args of [['status', 'some-run'], ['watch', 'some-run'], ['start', '--plan', writePlan(dir, 'ns', { database: 'primary' })]]) {
    const r = await runCliProcess(args, { ...env, TEMPORAL_NAMESPACE: 'nosuchns' }, 30_000);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /namespace "nosuchns" does not exist on the Temporal server at 127\.0\.0\.1:7233: set TEMPORAL_NAMESPACE/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('status when the worker died a moment ago: the unanswered query becomes a plain message', { timeout: 120_000 }, async () => {
  const queue = randomQueue('dead-worker');
  const qEnv = { TEMPORAL_ADDRESS, STP_TASK_QUEUE: queue };
  const id = `dead-worker-${Date.now()}`;
  started.push(id);
  const plan = writePlan(dir, id, { database: 'primary' });
  assert.equal((await runCliProcess(['start', '--plan', plan, '--workflow-id', id], qEnv, 20_000)).code, 0);
  // The run's activities fail against a database that does not exist; only its queries matter here.
  const worker = await startWorkerProcess({ ...qEnv, STP_DATABASE_URL: urlFor('stp_no_such_database') });
  try {
    for (let i = 0; ; i++) {
      const r = await runCliProcess(['status', id], qEnv, 30_000);
      if (r.code === 0) break;
      assert.ok(i < 30, `the worker answers status: ${r.stderr}`);
      await new Promise((res) => setTimeout(res, 500));
    }
  } finally {
    worker.child.kill('SIGKILL');
    await new Promise((res) => worker.child.once('exit', res));
  }
  // Temporal still lists the dead worker's poller, so the query is sent and nobody answers it.
  const t0 = Date.now();
  const r = await runCliProcess(['status', id], qEnv, 60_000);
  assert.equal(r.code, 4, r.stderr);
  // No answer within the deadline, or (a kill during a workflow task) the server's refusal while that task is failed.
  assert.match(r.stderr, new RegExp(`^stp-upgrade status: run ${id} is open, but no worker on task queue "${queue}" answered its progress query( within 10 s|: its last workflow task failed)`));
  assert.match(r.stderr, /stp-upgrade worker/);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  assert.ok(Date.now() - t0 < 10_000 + FEW_SECONDS, `answered in ${Date.now() - t0} ms`);
});
