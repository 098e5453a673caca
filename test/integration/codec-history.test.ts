import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { AesGcmCodec, dataConverterFromEnv, ENCRYPTED_ENCODING, loadCodecKeys } from '../../common/codec';
import { freePort } from '../../demo/ports';
import type { FixtureSummary } from '../../fixtures/generate';
import { REPO_ROOT, runCliProcess, startWorkerProcess } from '../helpers/processes';
import { TEMPORAL_ADDRESS } from '../helpers/temporal';
import { cloneDatabase, fixtureTemplate, randomQueue, tempDir, writePlan, type TestDb } from './upgrade-support';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';

// With STP_CODEC_KEYS set on the worker and the CLI, a real upgrade run (defects quarantined,
// verify report) and a failing one (policy block: the failure message lists legacy ids) leave
// nothing readable in the exported history: no plan value, no defect id, no report field, no
// failure message. Decrypted with the key (the CLI, the codec server, a replayer) all is there.

const KEYS = `test-${process.pid}:${crypto.randomBytes(32).toString('base64')}`;
const MODEL = `model-vault-${crypto.randomBytes(4).toString('hex')}`;
const BACKUP_DIR = `/var/backups/vault-${crypto.randomBytes(4).toString('hex')}`;
let summary: FixtureSummary;
let dropTemplate: (() => Promise<void>) | undefined;
let qdb: TestDb;
let bdb: TestDb;
let worker: Awaited<ReturnType<typeof startWorkerProcess>> | undefined;
let env: NodeJS.ProcessEnv;
let dir: string;
let connection: Connection;
let plainClient: Client;
const runs = { ok: `codec-ok-${Date.now()}`, blocked: `codec-blocked-${Date.now()}` };

before(async () => {
  const tpl = await fixtureTemplate('codec_tpl', { chunks: 400, dim: 8, defects: true, seed: 17 });
  summary = tpl.summary;
  dropTemplate = tpl.drop;
  qdb = await cloneDatabase(tpl.template, 'codec_q');
  bdb = await cloneDatabase(tpl.template, 'codec_b');
  dir = tempDir('codec');
  env = { TEMPORAL_ADDRESS, STP_TASK_QUEUE: randomQueue('codec'), STP_DATABASE_URL_VAULT: qdb.url, STP_DATABASE_URL_VAULTB: bdb.url, STP_CODEC_KEYS: KEYS };
  worker = await startWorkerProcess(env);
  connection = await Connection.connect({ address: TEMPORAL_ADDRESS });
  plainClient = new Client({ connection }); // no codec: what anyone with UI access sees
});

after(async () => {
  await worker?.stop();
  await connection?.close();
  await qdb?.drop();
  await bdb?.drop();
  await dropTemplate?.();
});

function planFile(name: string, database: string, policy: 'block' | 'quarantine'): string {
  return writePlan(dir, name, {
    database,
    defects: { policy },
    embeddings: { defaultModel: MODEL, index: { kind: 'none' } },
    backup: { dir: BACKUP_DIR },
    steps: ['preflight', 'schema', 'copy', 'embeddings', 'verify'],
  });
}

async function rawHistory(workflowId: string): Promise<{ bytes: Buffer; history: temporal.api.history.v1.IHistory }> {
  const history = await plainClient.workflow.getHandle(workflowId).fetchHistory();
  return { bytes: Buffer.from(temporal.api.history.v1.History.encode(history).finish()), history };
}

/**
 * Every payload of a history (inputs, results, heartbeats, failures' encoded attributes), except
 * the two the SDK keeps readable by design: search attributes (the server indexes them) and patch
 * markers (their id is a constant of our code, e.g. "stp-live-sync-v1").
 */
function payloadsOf(value: unknown, out: Payload[] = []): Payload[] {
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return out;
  const v = value as Record<string, unknown>;
  if (v.metadata && typeof v.metadata === 'object' && 'data' in v) out.push(v as Payload);
  for (const [k, child] of Object.entries(v)) if (k !== 'searchAttributes' && k !== 'patch-data') payloadsOf(child, out);
  return out;
}

async function decryptedText(history: temporal.api.history.v1.IHistory): Promise<string> {
  const codec = new AesGcmCodec(loadCodecKeys({ STP_CODEC_KEYS: KEYS })!);
  const payloads = payloadsOf(history);
  const decoded = await codec.decode(payloads);
  return decoded.map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('\n');
}

test('an encrypted run: no plan value, defect id or report field in the exported history; all there once decrypted', { timeout: 300_000 }, async () => {
  const run = await runCliProcess(['start', '--plan', planFile('ok', 'vault', 'quarantine'), '--workflow-id', runs.ok, '--wait', '--json'], env, 280_000);
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}\n${worker?.output().slice(-3000)}`);
  const out = JSON.parse(run.stdout) as { phase: string; report: { ok: boolean; checksums: unknown[] } };
  assert.equal(out.phase, 'completed', 'the CLI (with the key) reads the outcome');
  assert.equal(out.report.ok, true);

  const { bytes, history } = await rawHistory(runs.ok);
  const raw = bytes.toString('latin1');
  const defectIds = Object.values(summary.defects).flat().slice(0, 50);
  assert.ok(defectIds.length > 10);
  const needles = [MODEL, BACKUP_DIR, 'checksums', 'quarantined', 'chunks_legacy', ...defectIds];
  for (const n of needles) assert.ok(!raw.includes(n), `plaintext "${n}" in the stored history`);
  const payloads = payloadsOf(history);
  assert.ok(payloads.length > 10);
  for (const p of payloads) assert.equal(Buffer.from(p.metadata!.encoding!).toString(), ENCRYPTED_ENCODING);

  // The needles are real: decrypted, the same history has them.
  const clear = await decryptedText(history);
  for (const n of [MODEL, BACKUP_DIR, 'checksums', 'quarantined']) assert.ok(clear.includes(n), `decrypted history has "${n}"`);
  assert.ok(defectIds.some((id) => clear.includes(id)), 'decrypted history has defect ids (preflight samples)');

  // A replayer with the key replays the encrypted history (the same data converter as the worker).
  await Worker.runReplayHistory({ workflowsPath: require.resolve('../../workflows'), dataConverter: dataConverterFromEnv(env) }, history, runs.ok);
});

test('an encrypted failure: the message (legacy ids) is encrypted too; the CLI with the key shows it', { timeout: 200_000 }, async () => {
  const run = await runCliProcess(['start', '--plan', planFile('blocked', 'vaultb', 'block'), '--workflow-id', runs.blocked, '--wait', '--json'], env, 180_000);
  assert.notEqual(run.code, 0);
  const { bytes, history } = await rawHistory(runs.blocked);
  const raw = bytes.toString('latin1');
  const failed = history.events!.filter((e) => e.activityTaskFailedEventAttributes || e.workflowExecutionFailedEventAttributes);
  assert.ok(failed.length > 0, 'the run failed');
  for (const e of failed) {
    const failure = e.activityTaskFailedEventAttributes?.failure ?? e.workflowExecutionFailedEventAttributes?.failure;
    assert.equal(failure?.message, 'Encoded failure', 'the message is replaced in clear');
    assert.ok(failure?.encodedAttributes, 'and kept in the encrypted attributes');
  }
  for (const id of Object.values(summary.defects).flat()) assert.ok(!raw.includes(id), `defect id ${id} in clear`);
  const clear = await decryptedText(history);
  assert.match(clear, /defect/i, 'decrypted, the failure says why');
  assert.match(`${run.stdout}${run.stderr}`, /defect/i, 'the CLI with the key prints the reason');
});

test('the codec server decodes for the Web UI: CORS for its origin only, bearer token required', { timeout: 60_000 }, async () => {
  const port = await freePort();
  const token = crypto.randomBytes(16).toString('hex');
  const origin = 'http://localhost:8233';
  const child: ChildProcess = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'stp-upgrade.js'), 'codec-server', '--port', String(port), '--origin', origin], {
    env: { ...process.env, STP_CODEC_KEYS: KEYS, STP_CODEC_SERVER_TOKEN: token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`codec-server did not start: ${output}`)), 30_000);
      child.stdout!.on('data', (d: Buffer) => ((output += d), output.includes('codec-server: http') && (clearTimeout(timer), resolve())));
      child.stderr!.on('data', (d: Buffer) => (output += d));
      child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`codec-server exited ${code}: ${output}`))));
    });
    assert.ok(!output.includes(token) && !output.includes(KEYS.split(':')[1]!), 'no secret in its output');
    const url = `http://127.0.0.1:${port}`;
    const { history } = await rawHistory(runs.ok);
    const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads!;
    const body = JSON.stringify({
      payloads: input.map((p) => ({
        metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
        data: Buffer.from(p.data ?? []).toString('base64'),
      })),
    });
    const preflight = await fetch(`${url}/decode`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-namespace,authorization' } });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), origin);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /X-Namespace/i);
    const other = await fetch(`${url}/decode`, { method: 'OPTIONS', headers: { Origin: 'http://evil.example' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null, 'another origin is not allowed');
    const headers = { 'Content-Type': 'application/json', 'X-Namespace': 'default', Origin: origin };
    assert.equal((await fetch(`${url}/decode`, { method: 'POST', headers, body })).status, 401, 'no token');
    assert.equal((await fetch(`${url}/decode`, { method: 'POST', headers: { ...headers, Authorization: 'Bearer wrong' }, body })).status, 401, 'wrong token');
    const res = await fetch(`${url}/decode`, { method: 'POST', headers: { ...headers, Authorization: `Bearer ${token}` }, body });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), origin);
    const decoded = (await res.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
    const plan = JSON.parse(Buffer.from(decoded.payloads[0]!.data, 'base64').toString('utf8')) as { embeddings: { defaultModel: string } };
    assert.equal(plan.embeddings.defaultModel, MODEL, 'the plan, readable again');
    assert.equal(Buffer.from(decoded.payloads[0]!.metadata.encoding!, 'base64').toString(), 'json/plain');
  } finally {
    child.kill('SIGTERM');
  }
});
