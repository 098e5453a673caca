import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../client/cli';
import { startSagaEnv, type SagaTestEnv } from './env';
import type { Scenario } from './stubs';

// The operator commands against a real (time-skipping) Temporal server and the saga with stub activities.
let t: SagaTestEnv;
let planFile: string;
let seq = 0;

before(async () => {
  t = await startSagaEnv('cli-upgrade');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stp-cli-upgrade-'));
  planFile = path.join(dir, 'plan.yaml');
  fs.writeFileSync(planFile, 'database: primary\ncopy:\n  batchSize: 500\n');
});
after(async () => {
  await t?.stop();
});

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const env = { TEMPORAL_ADDRESS: t.env.address, STP_TASK_QUEUE: t.taskQueue };
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function id(scenario: Scenario): string {
  const workflowId = `cli-upgrade-${++seq}`;
  t.scenarios.set(workflowId, scenario);
  return workflowId;
}

test('start --wait exits by outcome: 0 completed, 1 rolled back, 2 blocked, 3 rollback failed', async () => {
  const cases: [Scenario, number, string][] = [
    [{}, 0, 'completed'],
    [{ failAt: 'copySlice:chunks' }, 1, 'rolled_back'],
    [{ defects: true }, 2, 'blocked'],
    [{ failAt: 'verify', failCompensation: 'dropTargetGraph' }, 3, 'rollback_failed'],
  ];
  for (const [scenario, code, phase] of cases) {
    const wf = id(scenario);
    const r = await cli('start', '--plan', planFile, '--workflow-id', wf, '--wait', '--json');
    assert.equal(r.code, code, `${wf}: ${r.out}${r.err}`);
    const json = JSON.parse(r.out);
    assert.equal(json.phase, phase);
    if (code === 0) assert.equal(json.report.ok, true);
    const s = await cli('status', wf);
    assert.equal(s.code, code);
    assert.match(s.out, new RegExp(`phase ${phase}`));
  }
});

test('start without --wait prints the id; a second start with the same id is refused', async () => {
  const wf = id({});
  const r = await cli('start', '--plan', planFile, '--workflow-id', wf);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, new RegExp(`stp-upgrade watch ${wf}`));
  const again = await cli('start', '--plan', planFile, '--workflow-id', wf);
  assert.equal(again.code, 2);
  assert.match(again.err, /already exists/);
  const w = await cli('watch', wf, '--interval', '100');
  assert.equal(w.code, 0, w.err);
  assert.match(w.out, /Result: completed, phase completed/);
  assert.match(w.out, /Verification passed/);
});

test('pause, status and resume from the command line', async () => {
  const wf = await pausedRun();
  const s = await cli('status', wf, '--json');
  assert.deepEqual(JSON.parse(s.out).progress.rules.chunks, { done: 100, total: 300 });
  const text = await cli('status', wf);
  assert.match(text.out, /Run .*: paused, step copy/);
  assert.match(text.out, /chunks +\[#+-+\] +33\.3% +100\/300/);
  assert.equal((await cli('resume', wf)).code, 0);
  const w = await cli('watch', wf, '--interval', '100');
  assert.equal(w.code, 0, w.out);
});

// Aborted while paused: the Java time-skipping server mishandles cancelling an activity that is
// completing at that moment (the real server does not), so the test avoids that race.
test('abort from the command line rolls back; watch exits 1; a closed run refuses signals', async () => {
  const wf = await pausedRun();
  assert.equal((await cli('abort', wf, '--reason', 'test over')).code, 0);
  const w = await cli('watch', wf, '--interval', '100');
  assert.equal(w.code, 1, w.out);
  assert.match(w.out, /aborted by the operator: test over/);
  assert.match(w.out, /preflight\.forgetRun done/);
  assert.match(w.out, /phase rolled_back/);
  const late = await cli('pause', wf);
  assert.equal(late.code, 2);
  assert.match(late.err, /already ended/);
  assert.equal((await cli('status', 'no-such-run')).code, 2);
});

/** Starts a run whose first chunks slice waits until the CLI's pause has been delivered. */
async function pausedRun(): Promise<string> {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const wf = id({ slicesPerRule: 3, onSlice: (input, n) => (input.rule === 'chunks' && n === 1 ? gate : undefined) });
  assert.equal((await cli('start', '--plan', planFile, '--workflow-id', wf)).code, 0);
  await waitFor(() => t.logs.get(wf)?.calls.includes('copySlice:chunks') ?? false);
  const p = await cli('pause', wf);
  assert.equal(p.code, 0, p.err);
  release();
  await waitFor(async () => JSON.parse((await cli('status', wf, '--json')).out).phase === 'paused');
  return wf;
}

test('verify prints the report and exits 0 when ok', async () => {
  const r = await cli('verify', '--plan', planFile, '--run-id', 'run-1');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Verification passed \(run run-1/);
});

async function waitFor(pred: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await pred()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out');
}
