import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createReleaseActivities, FinalizeError, type ReleaseDeps, SmokeTestError } from '../../activities/release';
import { HealthTimeoutError } from '../../activities/release/errors';
import { NginxControl, nginxLayout, proveServing } from '../../activities/release/switch';
import { PreconditionError } from '../../common/errors';
import { parsePlan, type Plan } from '../../common/plan';
import type { ReleasePlanInput } from '../../common/release';
import { ensureLegacySchema, ensureUnifiedSchema } from '../../service/schema';
import { createTestDatabase } from '../helpers/pg';
import { call, freePort, startLoad } from './support';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stp-release-acts-'));
const runId = 'run-release-test';
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let plan: Plan;
let deps: ReleaseDeps;
let acts: ReturnType<typeof createReleaseActivities>;
let ports: { blue: number; green: number; lb: number };
const plans: Plan[] = [];

function makePlan(release: ReleasePlanInput = {}): Plan {
  const parsed = parsePlan({
    database: 'primary',
    release: {
      ...release,
      deployer: { stateDir: path.join(tmp, 'deploy'), blue: { port: ports.blue }, green: { port: ports.green }, ...release.deployer },
      traffic: { nginx: { stateDir: path.join(tmp, 'nginx'), listenPort: ports.lb } },
      health: { consecutive: 3, deadlineSeconds: 15, intervalMs: 100, ...release.health },
      drainSeconds: 0,
    },
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  plans.push(parsed.plan);
  return parsed.plan;
}

const input = (p = plan) => ({ runId, plan: p });
const count = async (sql: string) => Number((await db.pool.query<{ n: string }>(sql)).rows[0].n);
const lb = () => `http://127.0.0.1:${ports.lb}`;

before(async () => {
  db = await createTestDatabase('release_acts', { extensions: ['vector'] });
  await ensureLegacySchema(db.pool, 16);
  await ensureUnifiedSchema(db.pool, 16);
  ports = { blue: await freePort(), green: await freePort(), lb: await freePort() };
  deps = { pools: { get: () => db.pool }, resolveUrl: () => db.url, stateRoot: tmp };
  acts = createReleaseActivities(deps);
  plan = makePlan();
});

after(async () => {
  // everything this file started stops, whatever failed
  for (const p of plans) {
    for (const which of ['green', 'blue'] as const) await acts.stopInstance({ ...input(p), which }).catch(() => undefined);
  }
  await new NginxControl(nginxLayout(path.join(tmp, 'nginx'))).stop(2000).catch(() => undefined);
  await db?.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('compensations of steps that did nothing are no-ops', async () => {
  assert.deepEqual(await acts.stopInstance({ ...input(), which: 'green' }), { stopped: false });
  assert.deepEqual(await acts.switchBack(input()), { switched: false });
  assert.deepEqual(await acts.unfinalize(input()), { restored: [], schemaVersion: null });
});

test('blue v1 and green v2 start healthy, idempotently', async () => {
  const blue = await acts.startBlue(input());
  assert.equal(blue.started, true);
  assert.equal(blue.health.version, '1');
  const green = await acts.deployGreen(input());
  assert.equal(green.started, true);
  assert.equal(green.health.version, '2');
  assert.equal(green.health.schemaVersion, 2);
  assert.ok(green.checks >= 3);
  const again = await acts.deployGreen(input());
  assert.equal(again.started, false);
  assert.equal(again.pid, green.pid);
  assert.equal((await acts.startBlue(input())).pid, blue.pid);
});

test('smoke tests pass on green v2 and leave nothing behind', async () => {
  const before = await count('select count(*) as n from texts');
  const r = await acts.smokeTests(input());
  assert.deepEqual(r.passed, ['create text', 'text has chunks', 'search', 'create template', 'list templates']);
  assert.equal(r.cleanedUp.length, 2, 'the text and the template text');
  assert.equal(await count('select count(*) as n from texts'), before);
  assert.equal(await count(`select count(*) as n from chunks_unified where content in ('Test Template', 'test_slot', 'Test migration content')`), 0);
  assert.deepEqual(await acts.smokeTests(input(makePlan({ smoke: { enabled: false } }))), { skipped: true, passed: [], warnings: [], cleanedUp: [] });
});

test('a failing green never becomes healthy; smoke tests fail clearly when green answers 500', async () => {
  const brokenPort = await freePort();
  // STP_ERROR_RATE reaches green through plan.release.deployer.env (a name; the value is the worker's)
  const failing = makePlan({ deployer: { green: { instance: 'green-failing', port: brokenPort }, env: ['STP_ERROR_RATE'] }, health: { deadlineSeconds: 2 } });
  const failingActs = createReleaseActivities({ ...deps, env: { STP_ERROR_RATE: '1' } });
  try {
    await assert.rejects(failingActs.deployGreen(input(failing)), (err: Error) =>
      err instanceof HealthTimeoutError && /green-failing not healthy 3 times in a row.*injected failure/s.test(err.message));
  } finally {
    await failingActs.stopInstance({ ...input(failing), which: 'green' });
  }
  const broken = makePlan({ deployer: { green: { instance: 'green-broken', port: brokenPort } } });
  try {
    await acts.deployGreen(input(broken));
    await call(`http://127.0.0.1:${brokenPort}/api/v1`, 'POST', '/admin/degrade', { error_rate: 1 });
    await assert.rejects(acts.smokeTests(input(broken)), (err: Error) =>
      err instanceof SmokeTestError && err.check === 'create text' && /smoke test "create text" failed .*HTTP 500/.test(err.message));
  } finally {
    await acts.stopInstance({ ...input(broken), which: 'green' });
  }
});

test('a green whose database is unreachable never becomes healthy', async () => {
  // 8 s: the service must have started and answered 503 (naming the database) before the deadline, also on a loaded machine
  const noDb = makePlan({ deployer: { green: { instance: 'green-nodb', port: await freePort() } }, health: { deadlineSeconds: 8 } });
  const noDbActs = createReleaseActivities({ ...deps, resolveUrl: () => db.url.replace(/\/[^/]+$/, '/stp_no_such_database') });
  try {
    await assert.rejects(noDbActs.deployGreen(input(noDb)), (err: Error) =>
      err instanceof HealthTimeoutError && /green-nodb not healthy.*stp_no_such_database/s.test(err.message));
  } finally {
    await noDbActs.stopInstance({ ...input(noDb), which: 'green' });
  }
});

test('optimizeDatabase builds the extra indexes once, rebuilds an INVALID one, records them', async () => {
  const first = await acts.optimizeDatabase(input());
  assert.deepEqual(first.indexes, ['idx_chunks_unified_content_search', 'idx_chunks_unified_metadata_tags']);
  assert.deepEqual(first.built, first.indexes);
  assert.deepEqual(first.analyzed, ['chunks_unified', 'embeddings_v2']);
  assert.deepEqual((await acts.optimizeDatabase(input())).built, []);
  await db.pool.query(`update pg_index set indisvalid = false where indexrelid = 'idx_chunks_unified_metadata_tags'::regclass`);
  assert.deepEqual((await acts.optimizeDatabase(input())).built, ['idx_chunks_unified_metadata_tags']);
  assert.equal(await count(`select count(*) as n from pg_index i join pg_class c on c.oid = i.indexrelid
    where c.relname like 'idx_chunks_unified_%' and (c.relname like '%content_search' or c.relname like '%metadata_tags') and i.indisvalid`), 2);
  const { rows } = await db.pool.query(`select created_objects from stp_migration.runs where run_id = $1`, [runId]);
  assert.deepEqual(rows[0].created_objects, [
    { kind: 'index', name: 'public.idx_chunks_unified_content_search' },
    { kind: 'index', name: 'public.idx_chunks_unified_metadata_tags' },
  ]);
});

test('warmCache fills green\'s cache before the switch', async () => {
  const r = await acts.warmCache(input());
  assert.equal(r.queries, 2);
  assert.deepEqual(r.failures, []);
  assert.ok((r.cacheSize ?? 0) >= 3, `cache size ${r.cacheSize}`);
});

test('switchTraffic starts nginx and proves green under load; switchBack proves blue', async () => {
  const first = await acts.switchTraffic(input());
  assert.equal(first.target.instance, 'green');
  assert.equal(first.previous?.instance, 'blue');
  const running = startLoad(lb(), { concurrency: 4, maxMs: 10_000, maxRequests: 2000 });
  const back = await acts.switchBack(input());
  assert.ok('target' in back && back.target.instance === 'blue');
  await proveServing(lb(), { instance: 'blue', port: ports.blue, version: '1' });
  await acts.switchTraffic({ ...input(), to: 'green' });
  const report = await running.stop();
  assert.equal(report.failed, 0, report.failures.join('\n'));
  assert.ok(report.byInstance.blue > 0 && report.byInstance.green > 0, JSON.stringify(report.byInstance));
  await proveServing(lb(), { instance: 'green', port: ports.green, version: '2' });
});

test('finalize: refuses while blue serves or runs, keeps or archives legacy tables, unfinalize undoes it', async () => {
  // traffic on blue: nothing to finalize
  await acts.switchBack(input());
  await assert.rejects(acts.finalize(input()), FinalizeError);
  await acts.switchTraffic(input());
  const kept = await acts.finalize(input());
  assert.deepEqual(kept, { schemaVersion: 2, previous: null, archived: [] });
  assert.equal(await count(`select version as n from stp_migration.schema_version`), 2);

  const archivePlan = makePlan({ finalize: { legacyTables: 'archive' } });
  await assert.rejects(acts.finalize(input(archivePlan)), PreconditionError, 'blue still runs on the legacy tables');
  await acts.drain({ ...input(), seconds: 0 });
  assert.deepEqual(await acts.stopInstance({ ...input(), which: 'blue' }), { stopped: true });
  const archived = await acts.finalize(input(archivePlan));
  assert.equal(archived.archived.length, 6);
  assert.ok(archived.archived.includes('chunks_legacy_archived'));
  assert.deepEqual((await acts.finalize(input(archivePlan))).archived, archived.archived, 'idempotent');
  assert.equal(await count(`select count(*) as n from pg_tables where tablename = 'chunks_legacy'`), 0);
  assert.equal(await count(`select count(*) as n from pg_tables where tablename = 'texts'`), 1, 'texts is shared, never archived');

  const undone = await acts.unfinalize(input(archivePlan));
  assert.equal(undone.restored.length, 6);
  assert.equal(undone.schemaVersion, null);
  assert.equal(await count(`select count(*) as n from pg_tables where tablename = 'chunks_legacy'`), 1);
  assert.equal(await count(`select count(*) as n from stp_migration.schema_version`), 0);
  assert.deepEqual((await acts.unfinalize(input(archivePlan))).restored, []);
});

test('rollback after blue was stopped: switchBack starts blue again and proves it, then green stops', async () => {
  const back = await acts.switchBack(input());
  assert.ok('target' in back && back.target.instance === 'blue');
  await proveServing(lb(), { instance: 'blue', port: ports.blue, version: '1' });
  assert.deepEqual(await acts.stopInstance({ ...input(), which: 'green' }), { stopped: true });
  assert.deepEqual(await acts.stopInstance({ ...input(), which: 'green' }), { stopped: false });
  await proveServing(lb(), { instance: 'blue', port: ports.blue, version: '1' });
});
