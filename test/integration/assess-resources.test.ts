import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ChecklistItem } from '../../common/checklist';
import type { Assessment } from '../../common/steps';
import { freePort } from '../../demo/ports';
import { ensureLegacySchema } from '../../service/schema';
import { createTestDatabase } from '../helpers/pg';
import { runCliProcess, startWorkerProcess } from '../helpers/processes';
import { TEMPORAL_ADDRESS } from '../helpers/temporal';
import { tempDir, waitFor } from './upgrade-support';

// assess's resource planning and checklist end to end: CLI -> Temporal -> worker -> the running
// reference service's /metrics and PostgreSQL.
const taskQueue = `stp-test-assess-res-${randomUUID().slice(0, 8)}`;
const env = () => ({ TEMPORAL_ADDRESS, STP_TASK_QUEUE: taskQueue });
const dir = tempDir('assess-resources');
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let worker: Awaited<ReturnType<typeof startWorkerProcess>>;
let service: ChildProcess | undefined;
let blueUrl = '';

before(async () => {
  db = await createTestDatabase('assess_resources', { extensions: ['vector'] });
  await ensureLegacySchema(db.pool, 8);
  const port = await freePort();
  service = spawn(process.execPath, [path.resolve(__dirname, '..', '..', 'service', 'main.js')], {
    env: { PATH: process.env.PATH, DATABASE_URL: db.url, PORT: String(port), STP_SERVICE_VERSION: '1', STP_INSTANCE: 'blue' }, stdio: 'ignore',
  });
  blueUrl = `http://127.0.0.1:${port}`;
  await waitFor('the service to answer', async () => (await fetch(`${blueUrl}/api/v1/health`).catch(() => null))?.ok, 30_000, 100);
  worker = await startWorkerProcess({ ...env(), STP_DATABASE_URL: db.url });
});

after(async () => {
  await worker?.stop();
  if (service && service.exitCode === null) {
    const exited = new Promise((r) => service!.once('exit', r));
    service.kill('SIGTERM');
    await exited;
  }
  await db?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('assess --blue-url --plan: the service memory, 2x recommended, and the checklist', async () => {
  const planFile = path.join(dir, 'plan.yaml');
  fs.writeFileSync(planFile, 'backup:\n  config: /etc/semantic-text-processor\nalerts:\n  webhooks:\n    - urlEnv: SLACK_URL\n      format: slack\n');
  const run = await runCliProcess(['assess', '--database', 'primary', '--blue-url', blueUrl, '--plan', planFile, '--json'], env());
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout) as Assessment & { checklist: ChecklistItem[] };
  const metrics = (await (await fetch(`${blueUrl}/api/v1/metrics`)).json()) as { gauges: { memory_usage_bytes: number } };
  const mem = report.resources?.memoryBytes as number;
  assert.ok(mem > 10 * 1024 * 1024, `rss ${mem}`);
  assert.ok(Math.abs(mem - metrics.gauges.memory_usage_bytes) < 64 * 1024 * 1024, 'the service\'s own figure');
  assert.equal(report.resources?.recommendedMemoryBytes, mem * 2);
  assert.equal(report.resources?.url, blueUrl);
  const items = Object.fromEntries(report.checklist.map((i) => [i.item, i.status]));
  assert.equal(items['Monitoring alerts configured'], 'done');
  assert.equal(items['Migration scripts tested in staging'], 'manual');

  const text = await runCliProcess(['assess', '--database', 'primary', '--blue-url', blueUrl, '--plan', planFile], env());
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /Service memory \(http:\/\/127\.0\.0\.1:\d+\): [\d.]+ MiB now; recommended during the migration: [\d.]+ MiB \(2x\)/);
  assert.match(text.stdout, /Migration checklist:\n {2}\[i\] Full system backup completed: configured: pg_dump of the touched tables \+ configuration/);
  assert.match(text.stdout, /\[x\] Monitoring alerts configured/);
});

test('a service that does not answer is a warning, not a failure; a bad --blue-url is bad input', async () => {
  const down = await freePort();
  const run = await runCliProcess(['assess', '--database', 'primary', '--blue-url', `http://127.0.0.1:${down}`, '--json'], env());
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout) as Assessment;
  assert.equal(report.resources?.memoryBytes, null);
  assert.ok(report.warnings.some((w) => /^service memory unknown: GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/metrics/.test(w)), report.warnings.join('\n'));
  const bad = await runCliProcess(['assess', '--database', 'primary', '--blue-url', 'ftp://x'], env());
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--blue-url: expected an http\(s\) URL/);
});
