import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { SignalNames, WorkflowTypes } from '../../common/names';
import type { PlanInput } from '../../common/plan';
import type { UpgradeResult } from '../../common/upgrade-input';
import { generateFixtures } from '../../fixtures/generate';
import { TEMPORAL_ADDRESS } from '../helpers/temporal';
import { startOwnPostgres, worker, type OwnPostgres, type WorkerProc } from './crash-support';
import { checkpoint, randomQueue, waitFor } from './upgrade-support';

// PostgreSQL restarted under a running copy (pg_ctl restart -m immediate, then -m fast): only the
// statements in flight fail, the worker process stays up, the slice is retried and resumes from its
// checkpoint, and the run completes with a clean report. Runs on its own PostgreSQL instance.
let server: OwnPostgres | undefined;
let pool: pg.Pool;
let w: WorkerProc | undefined;
let connection: Connection;
let client: Client;

before(async () => {
  server = await startOwnPostgres('restart');
  const admin = new pg.Client({ connectionString: server.url('postgres') });
  await admin.connect();
  await admin.query('create database stp');
  await admin.end();
  pool = new pg.Pool({ connectionString: server.url('stp'), max: 3 });
  pool.on('error', () => undefined).on('connect', (c) => c.on('error', () => undefined));
  await pool.query('set client_min_messages = warning; create extension vector');
  await generateFixtures(pool, { chunks: 20_000, dim: 32, defects: true, seed: 13, graph: false });
  connection = await Connection.connect({ address: TEMPORAL_ADDRESS });
  client = new Client({ connection });
});

after(async () => {
  await w?.stop();
  await connection?.close();
  await pool?.end().catch(() => undefined);
  server?.stop();
});

const PLAN: PlanInput = {
  database: 'primary',
  steps: ['preflight', 'schema', 'copy', 'embeddings', 'verify'],
  // small throttled batches: the restarts land in the middle of the chunks rule
  copy: { batchSize: 500, throttleMs: 150 },
  defects: { policy: 'quarantine' },
  embeddings: { index: { kind: 'ivfflat', lists: 10 } },
};

test('PostgreSQL restarts (immediate, then fast) mid-copy: the worker survives and the run completes', { timeout: 180_000 }, async () => {
  const started = Date.now();
  const queue = randomQueue('crash-pg-restart');
  w = await worker(queue, server!.url('stp'));
  const workflowId = `crash-pg-restart-${Date.now()}`;
  const handle = await client.workflow.start(WorkflowTypes.upgrade, { taskQueue: queue, workflowId, args: [PLAN], workflowExecutionTimeout: '5 minutes' });

  const figures: string[] = [];
  let at = 3;
  for (const mode of ['immediate', 'fast'] as const) {
    const cp = await waitFor(`${at} committed chunk batches`, async () => {
      const c = await checkpoint(pool, 'chunks');
      return c && c.batches >= at && !c.finished ? c : undefined;
    }, 120_000, 25);
    const t0 = Date.now();
    server!.restart(mode);
    const up = Date.now();
    const after = await waitFor('the copy to commit a batch after the restart', async () => {
      if (w!.child.exitCode !== null) assert.fail(`the worker process exited (${w!.child.exitCode}) after restart -m ${mode}:\n${w!.output().slice(-2000)}`);
      const c = await checkpoint(pool, 'chunks');
      return c && (c.batches > cp.batches + 1 || c.finished) ? c : undefined;
    }, 60_000, 50);
    figures.push(`restart -m ${mode} at batch ${cp.batches}: server back after ${((up - t0) / 1000).toFixed(1)} s, copy committing again ${((Date.now() - t0) / 1000).toFixed(1)} s after the restart began`);
    console.log(`# ${figures.at(-1)}`);
    assert.equal(w.child.exitCode, null, `the worker process is alive after restart -m ${mode}:\n${w.output()}`);
    assert.equal(w.child.signalCode, null);
    at = after.batches + 3;
  }
  await handle.signal(SignalNames.throttle, { throttleMs: 0 });

  const result = (await handle.result()) as UpgradeResult;
  assert.equal(result.phase, 'completed', JSON.stringify(result).slice(0, 500));
  assert.equal(result.report?.ok, true, result.report?.problems.join('; '));
  assert.equal(w.child.exitCode, null, 'the worker is still running');
  assert.doesNotMatch(w.output(), /Unhandled 'error' event/);

  const { rows } = await pool.query<{ rule: string; batches: number; ranges: number }>(
    `select rule, count(*)::int as batches, count(distinct (first_key, last_key))::int as ranges
       from stp_migration.batches where run_id = $1 group by rule order by rule`,
    [workflowId],
  );
  for (const r of rows) assert.ok(r.batches - r.ranges <= 1, `rule ${r.rule}: at most one batch redone (${r.batches} batches, ${r.ranges} ranges)`);
  console.log(`# crash-pg-restart: ${figures.join('; ')}; test took ${Math.round((Date.now() - started) / 1000)} s`);
});
