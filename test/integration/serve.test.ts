import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { SignalNames, WorkflowTypes } from '../../common/names';
import type { PlanInput } from '../../common/plan';
import type { SliceInput } from '../../common/steps';
import { freePort } from '../../demo/ports';
import { EnvPools } from '../../workers/databases';
import { runCliProcess } from '../helpers/processes';
import { TEMPORAL_ADDRESS } from '../helpers/temporal';
import { cloneDatabase, fixtureTemplate, randomQueue, tempDir, waitFor, type TestDb } from './upgrade-support';

// `stp-upgrade serve` as a real process, over real HTTP, against the dev Temporal server and a
// worker running the real activities on a real database.
const CLI = path.resolve(__dirname, '..', '..', '..', 'bin', 'stp-upgrade.js');
const TOKEN = 'h11-test-token-0123456789abcdef';
const taskQueue = randomQueue('serve');
const dbEnv: NodeJS.ProcessEnv = {};
const pools = new EnvPools(dbEnv);
/** copySlice inputs per workflow, as the worker received them. */
const slices = new Map<string, SliceInput[]>();
let db: TestDb;
let dropTemplate: (() => Promise<void>) | undefined;
let worker: Worker | undefined;
let running: Promise<void> | undefined;
let connection: Connection;
let client: Client;
let serve: ChildProcess | undefined;
let base = '';
let serveLog = '';

before(async () => {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const tpl = await fixtureTemplate('serve_tpl', { chunks: 3000, dim: 8, seed: 11 });
  dropTemplate = tpl.drop;
  db = await cloneDatabase(tpl.template, 'serve_run');
  dbEnv.STP_DATABASE_URL_SERVE = db.url;
  const dir = tempDir('serve');
  const real = createActivities({ pools, resolveUrl: (n) => pools.url(n), stateRoot: dir, env: dbEnv }) as unknown as Record<string, (input: unknown) => Promise<unknown>>;
  connection = await Connection.connect({ address: TEMPORAL_ADDRESS });
  client = new Client({ connection });
  // The first slice of a run pauses it (as an operator would), so the endpoints see a paused run mid-copy.
  const activities = { ...real, copySlice: async (input: SliceInput) => {
    const id = Context.current().info.workflowExecution?.workflowId ?? '';
    const seen = slices.get(id) ?? [];
    slices.set(id, [...seen, input]);
    if (seen.length === 0) await client.workflow.getHandle(id).signal(SignalNames.pause);
    return real.copySlice(input);
  } };
  const native = await NativeConnection.connect({ address: TEMPORAL_ADDRESS });
  worker = await Worker.create({ connection: native, taskQueue, workflowsPath: require.resolve('../../workflows'), activities });
  running = worker.run().finally(() => native.close());

  const port = await freePort();
  serve = spawn(process.execPath, [CLI, 'serve', '--port', String(port)], {
    env: { ...process.env, TEMPORAL_ADDRESS, STP_TASK_QUEUE: taskQueue, STP_SERVE_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  serve.stdout?.on('data', (d) => (serveLog += d));
  serve.stderr?.on('data', (d) => (serveLog += d));
  await waitFor('serve to listen', async () => serveLog.includes('/admin/migration/status'), 30_000);
  base = `http://127.0.0.1:${port}`;
});

after(async () => {
  if (serve && serve.exitCode === null) {
    const exited = new Promise((r) => serve!.once('exit', r));
    serve.kill('SIGTERM');
    await exited;
  }
  worker?.shutdown();
  await running;
  await connection?.close();
  await pools.close();
  await db?.drop();
  await dropTemplate?.();
});

async function call(method: string, url: string, body?: unknown, token: string | null = TOKEN): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { ...(token !== null ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

test('status and resume over HTTP: a paused run mid-copy resumes with the batch size asked for and completes', async () => {
  const plan: PlanInput = { database: 'serve', steps: ['preflight', 'schema', 'copy', 'verify'], copy: { batchSize: 50 }, defects: { policy: 'quarantine' } };
  const workflowId = `h11-serve-${Date.now()}`;
  const handle = await client.workflow.start(WorkflowTypes.upgrade, { taskQueue, workflowId, args: [plan] });
  const q = `?run=${workflowId}`;

  let last: unknown;
  const paused = await waitFor('the run to pause mid-copy', async () => {
    const r = await call('GET', `/admin/migration/status${q}`);
    last = r;
    if (r.body.workflow_status && r.body.workflow_status !== 'RUNNING') throw new Error('the run ended');
    return r.status === 200 && r.body.status === 'paused' ? r.body : undefined;
  }, 90_000, 200).catch((err: Error) => assert.fail(`${err.message}; last answer: ${JSON.stringify(last)}`));
  assert.equal(paused.run_id, workflowId);
  assert.equal(paused.phase, 'paused');
  assert.equal(paused.step, 'copy');
  assert.equal(paused.workflow_status, 'RUNNING');
  const progress = paused.progress as { rules: { chunks: { done: number; total: number } }; batch_size: number };
  assert.equal(progress.rules.chunks.done, 1000, 'one slice of 20 batches of 50');
  assert.equal(paused.incomplete_chunks, progress.rules.chunks.total - 1000);
  assert.ok((paused.incomplete_chunks as number) > 0);
  const implicit = await call('GET', '/admin/migration/status');
  assert.equal(implicit.body.run_id, workflowId, 'without ?run: the one open upgrade on the task queue');

  // Bad input is refused with every problem named, before anything is sent to the run.
  const bad = await call('POST', `/admin/migration/resume${q}`, { checkpoint: 'nope', batch_size: 'abc', extra: 1 });
  assert.equal(bad.status, 400);
  const problems = (bad.body.problems as string[]).join('\n');
  assert.match(problems, /body\.checkpoint: expected a copy rule: chunks_migration/);
  assert.match(problems, /body\.batch_size: expected a positive integer \(at most 1000000\), got "abc"/);
  assert.match(problems, /body\.extra: unknown field/);
  assert.equal((await call('POST', `/admin/migration/resume${q}`, '{not json')).status, 400);
  assert.equal((await call('GET', `/admin/migration/status${q}`)).body.status, 'paused');

  const resumed = await call('POST', `/admin/migration/resume${q}`, { checkpoint: 'chunks_migration', batch_size: 500 });
  assert.equal(resumed.status, 202, JSON.stringify(resumed.body));
  assert.equal(resumed.body.resumed, true);
  assert.equal(resumed.body.batch_size, 500);
  assert.deepEqual(resumed.body.checkpoint, { rule: 'chunks', done: 1000, total: progress.rules.chunks.total, finished: false });

  const result = await handle.result();
  assert.equal(result.phase, 'completed');
  const sizes = (slices.get(workflowId) ?? []).map((s) => `${s.rule}:${s.batchSize}`);
  assert.equal(sizes[0], 'chunks:50');
  assert.ok(sizes.length > 1 && sizes.slice(1).every((s) => s.endsWith(':500')), sizes.join(', '));
  const done = await call('GET', `/admin/migration/status${q}`);
  assert.equal(done.status, 200);
  assert.equal(done.body.status, 'completed');
  assert.equal(done.body.incomplete_chunks, 0);
  assert.equal(done.body.workflow_status, 'COMPLETED');
  assert.equal((done.body.progress as { batch_size: number }).batch_size, 500);

  const ended = await call('POST', `/admin/migration/resume${q}`, { batch_size: 10 });
  assert.equal(ended.status, 409);
  assert.match(String(ended.body.error), /has ended \(completed\)/);
});

test('the token is required; unknown runs, paths and methods are plain errors', async () => {
  assert.equal((await call('GET', '/admin/migration/status?run=x', undefined, null)).status, 401);
  assert.equal((await call('GET', '/admin/migration/status?run=x', undefined, 'wrong')).status, 401);
  const none = await call('GET', '/admin/migration/status');
  assert.equal(none.status, 404);
  assert.match(String(none.body.error), /no upgrade run is open/);
  const missing = await call('GET', '/admin/migration/status?run=h11-no-such-run');
  assert.equal(missing.status, 404);
  assert.match(String(missing.body.error), /no upgrade run h11-no-such-run/);
  assert.equal((await call('GET', '/admin/nothing')).status, 404);
  assert.equal((await call('GET', '/admin/migration/resume')).status, 405);
  assert.match(serveLog, /GET \/admin\/migration\/status\?run=x 401/);
  assert.doesNotMatch(serveLog, new RegExp(TOKEN));
});

test('serve refuses a non-loopback address without STP_SERVE_TOKEN (exit 2), before connecting', async () => {
  const r = await runCliProcess(['serve', '--host', '0.0.0.0', '--port', '0'], { STP_SERVE_TOKEN: '', TEMPORAL_ADDRESS: '127.0.0.1:1' });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /not a loopback address: set STP_SERVE_TOKEN/);
  assert.equal((await runCliProcess(['serve', '--port', 'x'], { TEMPORAL_ADDRESS: '127.0.0.1:1' })).code, 2);
});
