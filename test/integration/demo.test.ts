import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { portIsFree } from '../../demo/ports';
import { REPO_ROOT } from '../helpers/processes';

const DEMO = path.join(REPO_ROOT, 'dist', 'demo', 'main.js');

interface DemoRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
}

/**
 * Runs `node dist/demo/main.js` (what `npm run demo` runs after building). `interruptWhen`: send
 * SIGINT once the output matches it.
 */
function runDemo(args: string[], timeoutMs: number, interruptWhen?: RegExp): Promise<DemoRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DEMO, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TERM: 'dumb' } });
    let out = '';
    let interrupted = false;
    const onData = (d: Buffer) => {
      out += d;
      if (interruptWhen && !interrupted && interruptWhen.test(out)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out });
    });
  });
}

function temporalPorts(out: string): number[] {
  const m = /Temporal dev server on 127\.0\.0\.1:(\d+), Web UI http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
  assert.ok(m, `no Temporal dev server line in:\n${out}`);
  return [Number(m[1]), Number(m[2])];
}

test('npm run demo: a whole data upgrade on embedded servers, verified, everything stopped', { timeout: 300_000 }, async () => {
  const run = await runDemo([], 280_000);
  assert.equal(run.code, 0, run.out);
  assert.match(run.out, /Verification passed/);
  assert.match(run.out, /Result: completed, phase completed/);
  const balance = /data upgrade completed in [\d.]+ s: ([\d,]+) legacy rows = ([\d,]+) migrated \+ ([\d,]+) quarantined/.exec(run.out);
  assert.ok(balance, run.out);
  const [rows, migrated, quarantined] = balance.slice(1).map((n) => Number(n.replace(/,/g, '')));
  assert.equal(migrated + quarantined, rows);
  assert.ok(quarantined > 0, 'the fixtures carry defects, so some rows are quarantined');
  const sums = /checksums per rule: (\d+)\/(\d+) match/.exec(run.out);
  assert.ok(sums && sums[1] === sums[2] && Number(sums[1]) > 0, run.out);
  assert.match(run.out, /backup step skipped/);
  assert.match(run.out, /DEMO PASSED in [\d.]+ s/);
  for (const port of temporalPorts(run.out)) assert.ok(await portIsFree(port), `port ${port} still listening after the demo`);
});

test('demo: SIGINT while running stops the Temporal dev server and exits 130', { timeout: 180_000 }, async () => {
  const run = await runDemo([], 170_000, /Temporal dev server on .*\n/);
  assert.equal(run.code, 130, run.out);
  assert.match(run.out, /SIGINT: stopping everything/);
  for (const port of temporalPorts(run.out)) assert.ok(await portIsFree(port), `port ${port} still listening after SIGINT`);
});

test('demo: a bad option exits 2 before starting anything', async () => {
  const run = await runDemo(['--chunks', 'many'], 30_000);
  assert.equal(run.code, 2, run.out);
  assert.match(run.out, /--chunks: expected a positive integer/);
});
