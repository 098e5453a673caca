import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createPreflightActivities } from '../../activities/preflight';
import { parsePlan } from '../../common/plan';
import { generateFixtures } from '../../fixtures/generate';
import { createTestDatabase } from '../helpers/pg';
import { runCliProcess, startWorkerProcess } from '../helpers/processes';
import { randomQueue } from './upgrade-support';

/**
 * `stp-upgrade defects`: every legacy defect, however many (the run's progress lists 20), through
 * a real worker, in text, CSV and JSON; the count per kind equals preflight's complete counts.
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let worker: Awaited<ReturnType<typeof startWorkerProcess>>;
const env = { STP_TASK_QUEUE: randomQueue('stp-defects') };

before(async () => {
  db = await createTestDatabase('defects_cli');
  await generateFixtures(db.pool, { chunks: 4000, dim: 8, defects: true, seed: 17, graph: true });
  worker = await startWorkerProcess({ ...env, STP_DATABASE_URL: db.url });
});
after(async () => {
  await worker?.stop();
  await db?.drop();
});

test('defects --format csv lists every defect preflight counts, one row each', async () => {
  const plan = parsePlan({});
  assert.ok(plan.ok);
  const pre = await createPreflightActivities({ pools: { get: () => db.pool } }).preflight({ runId: 'count', plan: plan.plan, defectLimit: 1 });
  const total = Object.values(pre.defectCounts).reduce((a, b) => a + (b ?? 0), 0);
  assert.ok(total > 100, `the fixture has ${total} defects`);
  const r = await runCliProcess(['defects', '--database', 'primary', '--format', 'csv'], env, 120_000);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0], 'kind,table,id,reason');
  assert.equal(lines.length - 1, total, r.stderr);
  for (const [kind, n] of Object.entries(pre.defectCounts)) {
    assert.equal(lines.filter((l) => l.startsWith(`${kind},`)).length, n, kind);
  }
  assert.match(r.stderr, new RegExp(`^${total} defect\\(s\\) in database primary: `));
});

test('defects --format json is one JSON array of every defect; text has a line each', async () => {
  const json = await runCliProcess(['defects', '--database', 'primary', '--format', 'json'], env, 120_000);
  assert.equal(json.code, 0, json.stderr);
  const list = JSON.parse(json.stdout) as { kind: string; table: string; id: string; reason: string }[];
  const csv = await runCliProcess(['defects', '--database', 'primary'], env, 120_000);
  assert.equal(csv.stdout.trim().split('\n').length - 1, list.length);
  assert.equal(new Set(list.map((d) => `${d.kind} ${d.table} ${d.id}`)).size, list.length, 'no defect listed twice');
});
