import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { freePort } from '../../demo/ports';
import { runCliProcess, startWorkerProcess } from '../helpers/processes';
import { TEMPORAL_ADDRESS } from '../helpers/temporal';
import { cloneDatabase, fixtureTemplate, randomQueue, tempDir, writePlan, type TestDb } from './upgrade-support';

// A real worker process during a real run: its stdout is JSON lines with the run's fields and no
// secret of its environment; STP_METRICS_ADDRESS serves the SDK's metrics and ours, scraped while
// the run goes and after it.

const SECRETS = {
  STP_CODEC_KEYS: `obs:${crypto.randomBytes(32).toString('base64')}`,
  STP_CODEC_SERVER_TOKEN: `tok-${crypto.randomBytes(8).toString('hex')}`,
  PGPASSWORD: `pw-${crypto.randomBytes(8).toString('hex')}`,
  STP_DATABASE_URL_ELSEWHERE: `postgres://stp:urlpw-${crypto.randomBytes(6).toString('hex')}@127.0.0.1:1/elsewhere`,
};
let dropTemplate: (() => Promise<void>) | undefined;
let db: TestDb;
let worker: Awaited<ReturnType<typeof startWorkerProcess>> | undefined;
let env: NodeJS.ProcessEnv;
let metricsUrl: string;
let dir: string;

before(async () => {
  const tpl = await fixtureTemplate('obs_tpl', { chunks: 3000, dim: 8, defects: true, seed: 23 });
  dropTemplate = tpl.drop;
  db = await cloneDatabase(tpl.template, 'obs');
  dir = tempDir('obs');
  const port = await freePort();
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  // The test database needs no password: PGPASSWORD is only there to be kept out of the logs.
  env = { TEMPORAL_ADDRESS, STP_TASK_QUEUE: randomQueue('obs'), STP_DATABASE_URL: db.url, STP_METRICS_ADDRESS: `127.0.0.1:${port}`, STP_LOG_LEVEL: 'info', ...SECRETS };
  worker = await startWorkerProcess(env);
});

after(async () => {
  await worker?.stop();
  await db?.drop();
  await dropTemplate?.();
});

/** name{labels} value, for the series of one metric name. */
function series(text: string, name: string): { labels: string; value: number }[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .map((l) => {
      const i = l.lastIndexOf(' ');
      return { labels: l.slice(name.length, i), value: Number(l.slice(i + 1)) };
    });
}

test('a run: JSON log lines with run_id, step, rule and attempt, no secret; metrics scraped during and after', { timeout: 240_000 }, async () => {
  const wf = `obs-${Date.now()}`;
  const plan = writePlan(dir, 'obs', { copy: { batchSize: 200 }, defects: { policy: 'quarantine' }, embeddings: { index: { kind: 'none' } }, steps: ['preflight', 'schema', 'copy', 'embeddings', 'verify'] });
  const running = runCliProcess(['start', '--plan', plan, '--workflow-id', wf, '--wait', '--json'], env, 200_000);
  const scrapes: string[] = [];
  let done = false;
  void running.finally(() => (done = true));
  while (!done) {
    scrapes.push(await fetch(metricsUrl).then((r) => r.text(), () => ''));
    await new Promise((r) => setTimeout(r, 300));
  }
  const run = await running;
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  const final = await fetch(metricsUrl).then((r) => r.text());

  // Metrics: ours and the SDK's on one endpoint.
  assert.ok(scrapes.some((s) => series(s, 'stp_run_step').some((x) => x.labels.includes(`run_id="${wf}"`) && x.value > 0)), 'the step gauge seen during the run');
  const copied = series(final, 'stp_rows_copied_total');
  assert.ok(copied.some((s) => s.labels.includes('rule="chunks"') && s.value > 0), `rows copied per rule: ${JSON.stringify(copied)}`);
  assert.ok(series(final, 'stp_copy_batch_duration_bucket').length > 0, 'batch duration histogram');
  assert.ok(series(final, 'stp_copy_batch_duration_count').some((s) => s.value >= 10), 'one observation per batch');
  assert.ok(series(final, 'stp_verify_duration_count').some((s) => s.labels.includes('ok="true"') && s.value >= 1), 'verify duration');
  assert.ok(series(final, 'stp_runs_closed_total').some((s) => s.labels.includes('phase="completed"') && s.value >= 1), 'runs closed');
  assert.ok(series(final, 'stp_run_step').some((s) => s.labels.includes(`run_id="${wf}"`) && s.value === 0), 'the step gauge is 0 once closed');
  assert.ok(series(final, 'stp_run_phase').some((s) => s.labels.includes(`run_id="${wf}"`) && s.value === 10), 'the phase gauge says completed (10)');
  assert.ok(scrapes.some((s) => series(s, 'stp_run_phase').some((x) => x.labels.includes(`run_id="${wf}"`) && x.value === 2)), 'and running (2) during the run');
  assert.ok(/^temporal_\w+/m.test(final), 'the SDK\'s own metrics are on the same endpoint');

  // Logs: every stdout line is JSON; the run's lines carry its fields.
  const lines = worker!.output().split('\n').filter((l) => l.trim().startsWith('{'));
  const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const mine = parsed.filter((l) => l.run_id === wf);
  const activityDone = mine.filter((l) => l.msg === 'activity completed');
  assert.ok(activityDone.some((l) => l.step === 'copy' && l.rule === 'chunks' && typeof l.attempt === 'number' && typeof l.duration_ms === 'number'), 'copy slices logged with step, rule and attempt');
  assert.ok(activityDone.some((l) => l.step === 'verify' && l.activity === 'verify'));
  assert.ok(mine.some((l) => l.msg === 'step started' && l.step === 'copy' && l.component === 'workflow'), 'workflow log lines through the SDK sink');
  assert.ok(mine.some((l) => l.msg === 'rule copied' && l.rule === 'chunks'), 'workflow lines keep their fields');
  const all = worker!.output();
  for (const [name, value] of Object.entries(SECRETS)) {
    const secret = name === 'STP_CODEC_KEYS' ? value.split(':')[1]! : name === 'STP_DATABASE_URL_ELSEWHERE' ? new URL(value).password : value;
    assert.ok(!all.includes(secret), `${name} is not in the worker's output`);
  }
});
