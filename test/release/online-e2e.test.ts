import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { createReleaseActivities } from '../../activities/release';
import { NginxControl, nginxLayout, startNginx } from '../../activities/release/switch';
import { QueryNames, SignalNames, UpdateNames, WorkflowTypes } from '../../common/names';
import { ALL_STEPS, parsePlan, type Plan } from '../../common/plan';
import type { Progress } from '../../common/steps';
import type { UpgradeResult } from '../../common/upgrade-input';
import { generateFixtures } from '../../fixtures/generate';
import { EnvPools } from '../../workers/databases';
import { checkContract } from '../helpers/contract';
import { createTestDatabase } from '../helpers/pg';
import { startWorkerProcess } from '../helpers/processes';
import { TEMPORAL_ADDRESS } from '../helpers/temporal';
import { auditWrites, freePort, startLoad, startWriter } from './support';

// Contract section 6 end to end: PostgreSQL, the Temporal dev server, worker processes, blue v1 and
// green v2 under the process deployer, a real nginx, and a writer through nginx during the whole run.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stp-online-e2e-'));
const taskQueue = `stp-online-e2e-${randomUUID().slice(0, 8)}`;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pools: EnvPools;
let ports: { blue: number; green: number; lb: number };
let client: Client;
let connection: Connection;
let acts: ReturnType<typeof createReleaseActivities>;
let workerEnv: NodeJS.ProcessEnv;
let worker: Awaited<ReturnType<typeof startWorkerProcess>> | undefined;
const lb = () => `http://127.0.0.1:${ports.lb}`;

function plan(monitorSeconds: number): Plan {
  const parsed = parsePlan({
    database: 'primary',
    steps: [...ALL_STEPS.filter((s) => s !== 'backup' && s !== 'approval')],
    defects: { policy: 'quarantine' },
    copy: { batchSize: 100 },
    graph: { optional: true },
    release: {
      deployer: { stateDir: path.join(tmp, 'deploy'), blue: { port: ports.blue }, green: { port: ports.green } },
      traffic: { nginx: { stateDir: path.join(tmp, 'nginx'), listenPort: ports.lb } },
      health: { consecutive: 2, deadlineSeconds: 30, intervalMs: 200 },
      drainSeconds: 2,
      blueAfterSwitch: 'keep-warm',
      monitoring: { durationSeconds: monitorSeconds, intervalSeconds: 2, baselineSamples: 2, baselineIntervalSeconds: 1 },
    },
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.plan;
}

before(async () => {
  db = await createTestDatabase('online_e2e');
  await generateFixtures(db.pool, { chunks: 2000, dim: 32, seed: 5, defects: true, graph: false });
  ports = { blue: await freePort(), green: await freePort(), lb: await freePort() };
  workerEnv = { STP_DATABASE_URL: db.url, TEMPORAL_ADDRESS, STP_TASK_QUEUE: taskQueue, STP_STATE_DIR: tmp };
  pools = new EnvPools({ STP_DATABASE_URL: db.url });
  acts = createReleaseActivities({ pools, resolveUrl: (d: string) => pools.url(d), stateRoot: tmp, env: workerEnv });
  worker = await startWorkerProcess(workerEnv);
  connection = await Connection.connect({ address: TEMPORAL_ADDRESS });
  client = new Client({ connection });
  await acts.startBlue({ runId: 'setup', plan: plan(5) });
  await startNginx({ stateDir: path.join(tmp, 'nginx'), listenPort: ports.lb, upstream: { instance: 'blue', port: ports.blue, version: '1' } });
});

after(async () => {
  await worker?.stop().catch(() => undefined);
  for (const which of ['green', 'blue'] as const) await acts?.stopInstance({ runId: 'cleanup', plan: plan(5), which }).catch(() => undefined);
  await new NginxControl(nginxLayout(path.join(tmp, 'nginx'))).stop(2000).catch(() => undefined);
  await connection?.close();
  await pools?.close();
  await db?.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const progress = (h: WorkflowHandle) => h.query<Progress>(QueryNames.progress).catch(() => undefined);

async function until(h: WorkflowHandle, what: string, on: (p: Progress) => boolean, timeoutMs = 240_000): Promise<Progress> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const p = await progress(h);
    if (p && on(p)) return p;
    const d = await h.describe();
    if (d.status.name !== 'RUNNING') throw new Error(`run closed (${d.status.name}) before ${what}: ${p?.error ?? ''}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (phase ${p?.phase}, step ${p?.step})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function quiet(): Promise<void> {
  // writes stopped: wait until both directions are replayed (the replay follows within seconds)
  for (let i = 0; i < 100; i++) {
    const { rows } = await db.pool.query<{ n: number }>(`select count(*)::int as n from stp_migration.changes`);
    if (rows[0].n === 0) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error('the replay backlog did not drain');
}

test('(a) full upgrade under a live writer: 0 failed requests, every acknowledged write on green, the contract holds', async () => {
  const id = `stp-online-${randomUUID().slice(0, 8)}`;
  const writer = startWriter(lb(), { ratePerSec: 8, maxMs: 300_000 });
  const reads = startLoad(lb(), { concurrency: 1, maxMs: 300_000, maxRequests: 100_000 });
  const h = await client.workflow.start(WorkflowTypes.upgrade, { taskQueue, workflowId: id, args: [plan(600)] });
  const during = await until(h, 'monitoring', (p) => p.phase === 'monitoring');
  assert.ok((during.sync?.cutover?.holdsMs.length ?? 0) >= 1, 'the switch went through a hold');
  await new Promise((r) => setTimeout(r, 4000)); // green takes writes for a while
  const ledger = await writer.stop();
  assert.equal(ledger.failed, 0, ledger.failures.join('\n'));
  const byGreen = [...ledger.texts.values()].filter((t) => t.by === 'green').length;
  const byBlue = [...ledger.texts.values()].filter((t) => t.by === 'blue').length;
  assert.ok(byGreen > 0 && byBlue > 0, `writes through both releases (blue ${byBlue}, green ${byGreen})`);
  await quiet();
  assert.deepEqual(await checkContract(db.pool, id, null), [], 'rules 1-6 on the legacy tables = the target tables');
  assert.deepEqual(await auditWrites(lb(), ledger), [], 'every acknowledged write is on green, no deleted text is back');
  await h.executeUpdate(UpdateNames.promote, { args: [{ reason: 'test' }] });
  const r = (await h.result()) as UpgradeResult;
  const readReport = await reads.stop();
  assert.equal(r.phase, 'completed');
  assert.equal(readReport.failed, 0, readReport.failures.join('\n'));
  const holds = r.progress.sync?.cutover?.holdsMs ?? [];
  console.log(`(a) ${ledger.writes} writes, 0 lost; hold ${holds.join('/')} ms; forward replayed ${r.progress.sync?.forward?.replayed}, reverse ${r.progress.sync?.reverse?.replayed}`);
  const trig = await db.pool.query(`select count(*)::int as n from pg_trigger where tgname like 'stp_capture_%'`);
  assert.equal(trig.rows[0].n, 0, 'finalize removed the capture');
});

test('(b) abort during monitoring: every write green acknowledged is on blue afterwards', async () => {
  // the previous run finalized on green: put blue and the legacy-only world back for a new run
  await acts.switchTraffic({ runId: 'setup', plan: plan(5), to: 'blue' }).catch(() => undefined);
  await acts.stopInstance({ runId: 'setup', plan: plan(5), which: 'green' }).catch(() => undefined);
  await db.pool.query(`drop table if exists chunks_unified, embeddings_v2 cascade; delete from stp_migration.runs`);
  const id = `stp-online-${randomUUID().slice(0, 8)}`;
  const writer = startWriter(lb(), { ratePerSec: 8, maxMs: 300_000 });
  const h = await client.workflow.start(WorkflowTypes.upgrade, { taskQueue, workflowId: id, args: [plan(600)] });
  await until(h, 'monitoring', (p) => p.phase === 'monitoring');
  await new Promise((r) => setTimeout(r, 4000));
  await h.signal(SignalNames.abort, { reason: 'test abort' });
  const err = await h.result().then(() => undefined, (e: unknown) => e);
  const ledger = await writer.stop();
  assert.ok(err instanceof WorkflowFailedError, String(err));
  assert.equal(ledger.failed, 0, ledger.failures.join('\n'));
  const byGreen = [...ledger.texts.values()].filter((t) => t.by === 'green').length;
  assert.ok(byGreen > 0, 'green acknowledged writes before the abort');
  assert.deepEqual(await auditWrites(lb(), ledger), [], 'blue serves every acknowledged write');
  const p = (err as WorkflowFailedError & { cause: { details?: unknown[] } }).cause.details?.[0] as Progress | undefined;
  console.log(`(b) ${ledger.writes} writes, 0 lost; ${byGreen} texts written on green; carried back ${p?.sync?.carriedBack}`);
  assert.ok((p?.sync?.carriedBack ?? 0) > 0, 'the rollback says how many changes it carried back');
  // green's writes go back before traffic returns to blue, and once more after green stopped
  const order = (p?.compensations ?? []).map((c) => c.step);
  assert.ok(order.indexOf('switch.drainReverse') === order.indexOf('switch.switchBack') - 1, order.join(' '));
  assert.ok(order.indexOf('deploy.drainReverse') === order.indexOf('deploy.stopInstance') + 1, order.join(' '));
  assert.ok(order.indexOf('copy.removeCapture') < order.indexOf('schema.dropTargetSchema'), order.join(' '));
});

test('(c) kill -9 of the worker during catch-up: a new worker resumes, nothing lost or doubled', async () => {
  const id = `stp-online-${randomUUID().slice(0, 8)}`;
  const writer = startWriter(lb(), { ratePerSec: 8, maxMs: 300_000 });
  const h = await client.workflow.start(WorkflowTypes.upgrade, { taskQueue, workflowId: id, args: [plan(600)] });
  await until(h, 'replay during the copy', (p) => (p.sync?.forward?.replayed ?? 0) > 0 && ['copy', 'embeddings', 'graph'].includes(p.step ?? ''));
  worker!.child.kill('SIGKILL');
  const killedAt = Date.now();
  await new Promise((r) => setTimeout(r, 3000));
  worker = await startWorkerProcess(workerEnv);
  await until(h, 'monitoring after the crash', (p) => p.phase === 'monitoring');
  await new Promise((r) => setTimeout(r, 3000));
  const ledger = await writer.stop();
  assert.equal(ledger.failed, 0, ledger.failures.join('\n'));
  await quiet();
  assert.deepEqual(await checkContract(db.pool, id, null), [], 'rules 1-6 on the legacy tables = the target tables');
  assert.deepEqual(await auditWrites(lb(), ledger), []);
  await h.executeUpdate(UpdateNames.promote, { args: [{ reason: 'test' }] });
  const r = (await h.result()) as UpgradeResult;
  assert.equal(r.phase, 'completed');
  console.log(`(c) worker killed ${((Date.now() - killedAt) / 1000).toFixed(0)} s before the end; ${ledger.writes} writes, 0 lost`);
});
