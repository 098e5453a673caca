import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createReleaseActivities, readSchemaVersion } from '../../activities/release';
import { NginxControl, nginxLayout, startNginx } from '../../activities/release/switch';
import { runCli } from '../../client/cli';
import { QueryNames, WorkflowTypes } from '../../common/names';
import { ALL_STEPS, parsePlan, type Plan } from '../../common/plan';
import type { MonitoringPlanInput } from '../../common/monitor';
import type { Progress } from '../../common/steps';
import type { UpgradeResult } from '../../common/upgrade-input';
import { generateFixtures } from '../../fixtures/generate';
import { EnvPools } from '../../workers/databases';
import { createTestDatabase } from '../helpers/pg';
import { TEMPORAL_ADDRESS } from '../helpers/temporal';
import { call, freePort, startLoad, type LoadReport } from './support';

// The whole upgrade against real servers: PostgreSQL, the Temporal dev server, a worker in this
// process, reference service v1 (blue) and v2 (green) as processes, and a real nginx in front.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stp-release-e2e-'));
const taskQueue = `stp-release-e2e-${randomUUID().slice(0, 8)}`;
const PG_DUMP = path.join(process.env.STP_CACHE ?? path.join(os.homedir(), '.cache', 'stp-upgrade'), 'bin', 'pg_dump');
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pools: EnvPools;
let ports: { blue: number; green: number; lb: number };
let client: Client;
let connection: Connection;
let stopWorker: () => Promise<void>;
let acts: ReturnType<typeof createReleaseActivities>;
const lb = () => `http://127.0.0.1:${ports.lb}`;

function plan(monitoring: MonitoringPlanInput, approval = false): Plan {
  const parsed = parsePlan({
    database: 'primary',
    steps: [...ALL_STEPS],
    defects: { policy: 'quarantine' }, // the fixture has superseded embeddings (rule 6)
    backup: { dir: path.join(tmp, 'backups'), pgDump: PG_DUMP, testRestore: false },
    release: {
      deployer: { stateDir: path.join(tmp, 'deploy'), blue: { port: ports.blue }, green: { port: ports.green } },
      traffic: { nginx: { stateDir: path.join(tmp, 'nginx'), listenPort: ports.lb } },
      health: { consecutive: 2, deadlineSeconds: 30, intervalMs: 200 },
      approval: { required: approval, timeoutMinutes: 10 },
      drainSeconds: 1,
      blueAfterSwitch: 'stop',
      monitoring: { baselineSamples: 2, baselineIntervalSeconds: 0, ...monitoring },
    },
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.plan;
}

before(async () => {
  db = await createTestDatabase('release_e2e');
  await generateFixtures(db.pool, { chunks: 120, dim: 32, seed: 7 });
  ports = { blue: await freePort(), green: await freePort(), lb: await freePort() };
  const env = { STP_DATABASE_URL: db.url };
  pools = new EnvPools(env);
  const deps = { pools, resolveUrl: (d: string) => pools.url(d), stateRoot: tmp, env };
  acts = createReleaseActivities(deps);
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: new DefaultLogger('ERROR') });
  const native = await NativeConnection.connect({ address: TEMPORAL_ADDRESS });
  const worker = await Worker.create({ connection: native, taskQueue, workflowBundle, activities: createActivities(deps), shutdownGraceTime: '5s' });
  const running = worker.run();
  stopWorker = async () => {
    worker.shutdown();
    await running.catch(() => undefined);
    await native.close();
  };
  connection = await Connection.connect({ address: TEMPORAL_ADDRESS });
  client = new Client({ connection });
  // Production before the upgrade: blue v1 on the legacy tables, behind nginx.
  await acts.startBlue({ runId: 'setup', plan: plan({}) });
  await startNginx({ stateDir: path.join(tmp, 'nginx'), listenPort: ports.lb, upstream: { instance: 'blue', port: ports.blue, version: '1' } });
});

after(async () => {
  for (const which of ['green', 'blue'] as const) await acts?.stopInstance({ runId: 'cleanup', plan: plan({}), which }).catch(() => undefined);
  await new NginxControl(nginxLayout(path.join(tmp, 'nginx'))).stop(2000).catch(() => undefined);
  await stopWorker?.();
  await connection?.close();
  await pools?.close();
  await db?.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function cli(...argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await runCli(argv, { out: (l) => lines.push(l), err: (l) => lines.push(l), env: { TEMPORAL_ADDRESS, STP_TASK_QUEUE: taskQueue } });
  return { code, out: lines.join('\n') };
}

const progress = (h: WorkflowHandle) => h.query<Progress>(QueryNames.progress).catch(() => undefined);
const servedBy = async () => String((await call(lb(), 'GET', '/api/v1/health')).headers['x-stp-instance']);
const refuses = (port: number) => call(`http://127.0.0.1:${port}`, 'GET', '/api/v1/health', undefined, 2000).then(() => false, () => true);
const exists = async (rel: string) => (await db.pool.query<{ r: string | null }>(`select to_regclass($1)::text as r`, [rel])).rows[0].r !== null;

/** Polls the run's progress every 100 ms, calling `on` until it returns true or the run closes. */
async function follow(h: WorkflowHandle, on: (p: Progress) => Promise<boolean> | boolean): Promise<void> {
  for (;;) {
    const p = await progress(h);
    if (p && (await on(p))) return;
    if ((await h.describe()).status.name !== 'RUNNING') return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Load through nginx from before the switch (smoke) until the run enters monitoring. */
async function loadAroundSwitch(h: WorkflowHandle, onApproval?: () => Promise<void>): Promise<LoadReport> {
  let load: ReturnType<typeof startLoad> | undefined;
  await follow(h, async (p) => {
    if (!load && p.step && ['smoke', 'approval', 'switch'].includes(p.step)) load = startLoad(lb(), { concurrency: 2, maxMs: 120_000, maxRequests: 50_000 });
    if (p.phase === 'awaiting_approval' && onApproval) await onApproval();
    return p.phase === 'monitoring' || p.phase === 'rolling_back';
  });
  assert.ok(load, 'the load started before the switch');
  return load.stop();
}

const runId = () => `stp-upgrade-e2e-${randomUUID().slice(0, 8)}`;
let finishedRun: string | undefined;

test('full upgrade: data, approval, switch to green under load, monitoring, finalize', async () => {
  const id = runId();
  const h = await client.workflow.start(WorkflowTypes.upgrade, { taskQueue, workflowId: id, args: [plan({ durationSeconds: 8, intervalSeconds: 2 }, true)] });
  let approved = false;
  const report = await loadAroundSwitch(h, async () => {
    if (approved) return;
    const a = await cli('approve', id, '--by', 'alice');
    assert.equal(a.code, 0, a.out);
    approved = true;
  });
  assert.equal(report.failed, 0, report.failures.join('\n'));
  assert.ok(report.byInstance.blue > 0 && report.byInstance.green > 0, JSON.stringify(report.byInstance));
  const status = await cli('status', id);
  assert.match(status.out, /Monitoring green: \d+ checks, 0 failed \(0 in a row\), \d+s left/);
  assert.match(status.out, /Approved by alice/);

  const r = (await h.result()) as UpgradeResult;
  assert.equal(r.phase, 'completed');
  assert.equal(r.progress.monitoring?.outcome, 'passed');
  assert.ok(r.progress.monitoring!.checks >= 3, `checks ${r.progress.monitoring!.checks}`);
  assert.equal(r.progress.finalized?.schemaVersion, 2);
  assert.equal(await servedBy(), 'green');
  assert.ok(await refuses(ports.blue), 'blue was stopped after the drain');
  assert.equal(await db.pool.connect().then(async (c) => readSchemaVersion(c).finally(() => c.release())), 2);
  assert.ok(fs.readFileSync(path.join(tmp, 'deploy', 'post_migration_monitoring.csv'), 'utf8').split('\n').length > 3);
  finishedRun = id;
});

test('stp-upgrade rollback of the finalized run: blue back under load, green stopped, target gone', async () => {
  assert.ok(finishedRun, 'needs the completed run of the previous test');
  const load = startLoad(lb(), { concurrency: 2, maxMs: 120_000, maxRequests: 50_000 });
  const r = await cli('rollback', finishedRun, '--reason', 'e2e');
  const report = await load.stop();
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /reverted: finalize\.unfinalize, drain\.startBlue, switch\.switchBack, deploy\.stopInstance/);
  assert.equal(report.failed, 0, report.failures.join('\n'));
  assert.equal(await servedBy(), 'blue');
  assert.ok(await refuses(ports.green), 'green stopped');
  assert.equal(await exists('public.chunks_unified'), false);
  assert.equal(await exists('public.embeddings_v2'), false);
  // the run created stp_migration: nothing of its bookkeeping is left
  assert.equal((await db.pool.query(`select 1 from pg_namespace where nspname = 'stp_migration'`)).rowCount, 0);
  const status = await cli('status', finishedRun, '--json');
  assert.equal(status.code, 1, status.out);
  const out = JSON.parse(status.out) as { phase: string; rolledBack: { trigger: string; reason: string; at: string } };
  assert.equal(out.phase, 'rolled_back');
  assert.deepEqual([out.rolledBack.trigger, out.rolledBack.reason], ['rollback', 'e2e']);
  assert.equal((await cli('rollback', finishedRun)).out.includes('already rolled back'), true);
});

test('a degraded green breaches monitoring: automatic rollback to blue with no failed request', async () => {
  const id = runId();
  const h = await client.workflow.start(WorkflowTypes.upgrade, {
    taskQueue, workflowId: id, args: [plan({ durationSeconds: 90, intervalSeconds: 2, maxConsecutiveFailures: 2 })],
  });
  const switched = await loadAroundSwitch(h);
  assert.equal(switched.failed, 0, switched.failures.join('\n'));
  // Every request to green now takes 2 s; the load keeps going through nginx during the rollback.
  const degrade = await call(`http://127.0.0.1:${ports.green}`, 'POST', '/api/v1/admin/degrade', { slow_ms: 2000 });
  assert.equal(degrade.status, 200);
  const load = startLoad(lb(), { concurrency: 12, maxMs: 120_000, maxRequests: 50_000 });
  const err = await h.result().then(() => assert.fail('the run should have rolled back'), (e: unknown) => e);
  const report = await load.stop();
  assert.ok(err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure, String(err));
  assert.equal(err.cause.type, 'MonitoringBreached', err.cause.message);
  const p = err.cause.details?.[0] as Progress;
  assert.equal(p.phase, 'rolled_back');
  // with live-write capture: green's writes go back to the legacy tables before and after blue takes traffic
  assert.deepEqual(p.compensations.map((c) => c.step).slice(0, 5), ['drain.startBlue', 'switch.drainReverse', 'switch.switchBack', 'deploy.stopInstance', 'deploy.drainReverse']);
  assert.equal(report.failed, 0, report.failures.join('\n'));
  assert.ok(report.byInstance.green > 0 && report.byInstance.blue > 0, JSON.stringify(report.byInstance));
  assert.equal(await servedBy(), 'blue');
  assert.ok(await refuses(ports.green), 'green stopped');
  assert.equal(await exists('public.chunks_unified'), false);
  // a rolled-back run forgets itself, and stp_migration goes too: the previous test's rollback had dropped it, so this run created it
  assert.equal((await db.pool.query(`select 1 from pg_namespace where nspname = 'stp_migration'`)).rowCount, 0);
});
