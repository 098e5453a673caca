import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { ADMIN_URL } from '../helpers/pg';
import { runCliProcess, startWorkerProcess } from '../helpers/processes';
import { TEMPORAL_ADDRESS } from '../helpers/temporal';
import { randomQueue, tempDir, waitFor, writePlan } from './upgrade-support';

/**
 * A step whose activity fails and is retried shows its last error in `status` (and `watch`),
 * instead of `running` with no word: here preflight against a database that does not exist, with
 * a password in the worker's connection string that must not appear anywhere.
 */
const queue = randomQueue('stp-retrying');
const env = { TEMPORAL_ADDRESS, STP_TASK_QUEUE: queue };
const id = `${queue}-run`;
let worker: Awaited<ReturnType<typeof startWorkerProcess>>;
let connection: Connection;

before(async () => {
  const url = new URL(ADMIN_URL);
  url.password = 's3cr3tpw';
  url.pathname = '/stp_no_such_database_h10';
  worker = await startWorkerProcess({ ...env, STP_DATABASE_URL: url.toString() });
  connection = await Connection.connect({ address: TEMPORAL_ADDRESS });
});
after(async () => {
  await new Client({ connection }).workflow.getHandle(id).terminate('test over').catch(() => undefined);
  await connection?.close();
  await worker?.stop();
});

test('status shows the retrying step, its attempt and its last error, without the password', { timeout: 120_000 }, async () => {
  const plan = writePlan(tempDir('retrying'), 'plan', { database: 'primary' });
  assert.equal((await runCliProcess(['start', '--plan', plan, '--workflow-id', id], env)).code, 0);
  const status = await waitFor('a RETRYING line in status', async () => {
    const r = await runCliProcess(['status', id], env);
    return /RETRYING/.test(r.stdout) ? r : undefined;
  }, 90_000, 1000);
  assert.equal(status.code, 0, status.stderr);
  // "next at" while the attempt waits for its backoff; absent while an attempt is running (a loaded machine may catch that)
  assert.match(status.stdout, /RETRYING preflight \(attempt \d+\/20(, next at [^)]+)?\): database "primary" is not reachable .*STP_DATABASE_URL/);
  assert.match(status.stdout, /Started \S+ · running for /);
  const json = JSON.parse((await runCliProcess(['status', id, '--json'], env)).stdout) as { retrying: { activity: string; attempt: number; error: string }[]; startedAt: string };
  assert.equal(json.retrying[0].activity, 'preflight');
  assert.ok(json.retrying[0].attempt >= 2);
  assert.ok(json.startedAt);
  assert.doesNotMatch(status.stdout + JSON.stringify(json) + worker.output(), /s3cr3tpw/);
});
