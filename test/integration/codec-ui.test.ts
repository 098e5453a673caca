import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { dataConverterFromEnv } from '../../common/codec';
import { freePort } from '../../demo/ports';
import { HeadlessChromium } from '../helpers/chromium';
import { REPO_ROOT } from '../helpers/processes';
import { temporalCliPath } from '../helpers/temporal';

// The Web UI shows an encrypted run's plan through `stp-upgrade codec-server`: a dev server whose
// UI is given the codec endpoint (--ui-codec-endpoint), the real codec-server command on loopback,
// a workflow started with the key, and headless Chromium (Debian's, scripts/install.sh) reading the
// page. The history itself holds the plan only as ciphertext. The screenshot is kept in the test's
// directory (its path is printed).

const KEYS = `ui-${process.pid}:${crypto.randomBytes(32).toString('base64')}`;
const MODEL = `model-shown-in-ui-${crypto.randomBytes(3).toString('hex')}`;
const children: ChildProcess[] = [];
let dir: string;
let address: string;
let uiUrl: string;

function startChild(cmd: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp | undefined): Promise<ChildProcess> {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  if (!ready) return Promise.resolve(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cmd} did not start: ${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d;
      if (ready.test(out)) (clearTimeout(timer), resolve(child));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`${cmd} exited ${code}: ${out}`))));
  });
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stp-codec-ui-'));
  const [port, uiPort, codecPort] = [await freePort(), await freePort(), await freePort()];
  address = `127.0.0.1:${port}`;
  uiUrl = `http://127.0.0.1:${uiPort}`;
  await startChild(process.execPath, [path.join(REPO_ROOT, 'bin', 'stp-upgrade.js'), 'codec-server', '--port', String(codecPort), '--origin', uiUrl], { STP_CODEC_KEYS: KEYS }, /codec-server: http/);
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort), '--ui-codec-endpoint', `http://127.0.0.1:${codecPort}`, '--log-level', 'warn', '--ui-disable-news-fetch'];
  await startChild(temporalCliPath(), args, {}, undefined);
});

after(() => {
  for (const c of children.reverse()) if (c.exitCode === null) c.kill('SIGTERM');
});

async function connect(): Promise<Connection> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const c = await Connection.connect({ address, connectTimeout: '2s' });
      await c.workflowService.describeNamespace({ namespace: 'default' });
      return c;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

test('the Web UI shows the plan of an encrypted run through the codec server (headless Chromium)', { timeout: 120_000 }, async () => {
  const connection = await connect();
  const browser = HeadlessChromium.launch('chromium', '1400,1000');
  try {
    const client = new Client({ connection, dataConverter: dataConverterFromEnv({ STP_CODEC_KEYS: KEYS }) });
    // No worker: the run waits, and its input (the plan) is what the page shows.
    const handle = await client.workflow.start('upgradeWorkflow', { taskQueue: `ui-${process.pid}`, workflowId: `codec-ui-${Date.now()}`, args: [{ database: 'primary', embeddings: { defaultModel: MODEL } }] });
    const history = await new Client({ connection }).workflow.getHandle(handle.workflowId).fetchHistory();
    assert.ok(!Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1').includes(MODEL), 'the stored plan is ciphertext');

    const page = await browser.open(`${uiUrl}/namespaces/default/workflows/${handle.workflowId}`);
    const text = await browser.waitForText(page, MODEL, 60_000);
    const shot = path.join(dir, 'ui-plan-through-codec-server.png');
    fs.writeFileSync(shot, await browser.screenshot(page));
    console.log(`screenshot: ${shot}`);
    assert.ok(text.includes(handle.workflowId), 'the run\'s page loaded');
    assert.ok(text.includes(`"defaultModel": "${MODEL}"`), `the UI shows the decrypted plan:\n${text.slice(0, 2000)}`);
    assert.ok(fs.statSync(shot).size > 10_000, 'a screenshot');
    await handle.terminate('test done');
  } finally {
    await browser.close();
    await connection.close();
  }
});
