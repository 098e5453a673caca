import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { runCli } from '../../client/cli';
import { defaultWorkflowId } from '../../client/commands/start';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stp-cli-plan-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  // An address nobody listens on: a command that validated badly must never get this far.
  const env = { TEMPORAL_ADDRESS: '127.0.0.1:1' };
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const GOOD_YAML = `# a plan
database: primary
copy:
  batchSize: 1000
defects:
  policy: quarantine
steps: [preflight, schema, copy, verify]
`;

test('plan check: a good YAML plan prints the resolved plan as JSON', async () => {
  const r = await cli('plan', 'check', file('good.yaml', GOOD_YAML));
  assert.equal(r.code, 0, r.err);
  const plan = JSON.parse(r.out);
  assert.equal(plan.copy.batchSize, 1000);
  assert.equal(plan.copy.throttleMs, 0);
  assert.equal(plan.defects.policy, 'quarantine');
  assert.equal(plan.legacy.chunks, 'chunks_legacy');
  assert.deepEqual(plan.steps, ['preflight', 'schema', 'copy', 'verify']);
});

test('plan check --yaml: a good JSON plan prints YAML with defaults', async () => {
  const r = await cli('plan', 'check', file('good.json', JSON.stringify({ database: 'reporting' })), '--yaml');
  assert.equal(r.code, 0, r.err);
  const plan = YAML.parse(r.out);
  assert.equal(plan.database, 'reporting');
  assert.equal(plan.embeddings.index.kind, 'ivfflat');
  assert.equal(plan.steps.length, 7);
});

test('plan check: every error of a bad YAML plan, one per line, exit 2', async () => {
  const bad = file('bad.yaml', 'database: "postgres://u:p@h/db"\ncopy:\n  batchSize: abc\nsteps: [copy, fly]\nextra: 1\n');
  const r = await cli('plan', 'check', bad);
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.match(r.err, /plan\.copy\.batchSize: expected a positive integer, got "abc"/);
  assert.match(r.err, /plan\.database: expected a database name/);
  assert.match(r.err, /plan\.steps\.1: .*got "fly"/);
  assert.match(r.err, /extra/);
});

test('plan check: a bad JSON plan and unparsable files exit 2', async () => {
  let r = await cli('plan', 'check', file('bad.json', JSON.stringify({ copy: { batchSize: -5 } })));
  assert.equal(r.code, 2);
  assert.match(r.err, /plan\.copy\.batchSize: expected a positive integer, got -5/);
  r = await cli('plan', 'check', file('broken.json', '{"database": '));
  assert.equal(r.code, 2);
  assert.match(r.err, /not valid JSON/);
  r = await cli('plan', 'check', file('broken.yaml', 'copy: [1, 2\n'));
  assert.equal(r.code, 2);
  assert.match(r.err, /not valid YAML/);
  r = await cli('plan', 'check', file('list.yaml', '- 1\n- 2\n'));
  assert.equal(r.code, 2);
  assert.match(r.err, /expected one mapping/);
  r = await cli('plan', 'check', path.join(dir, 'missing.yaml'));
  assert.equal(r.code, 2);
  assert.match(r.err, /cannot read the plan file/);
});

test('flag and argument errors exit 2 before contacting Temporal', async () => {
  const cases: [string[], RegExp][] = [
    [['plan', 'check'], /expected exactly one plan file/],
    [['plan', 'check', 'a.yaml', 'b.yaml'], /expected exactly one plan file/],
    [['plan', 'check', 'a.yaml', '--bogus'], /unknown option --bogus/],
    [['start'], /missing --plan/],
    [['start', '--plan', path.join(dir, 'bad.yaml')], /plan\.copy\.batchSize/],
    [['start', '--plan', path.join(dir, 'good.yaml'), 'extra'], /unexpected argument "extra"/],
    [['verify', '--plan', path.join(dir, 'bad.json')], /plan\.copy\.batchSize/],
    [['status'], /expected one run id/],
    [['watch', 'x', '--interval', 'soon'], /--interval/],
    [['pause'], /expected one run id/],
    [['resume', 'a', 'b'], /expected one run id/],
    [['abort', '--reason'], /argument missing|requires an argument|--reason/],
  ];
  for (const [argv, re] of cases) {
    const r = await cli(...argv);
    assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
    assert.match(r.err, re, argv.join(' '));
  }
});

test('help of each command documents the exit codes with an example', async () => {
  for (const name of ['plan check', 'start', 'status', 'watch', 'pause', 'resume', 'abort', 'verify']) {
    const r = await cli('help', ...name.split(' '));
    assert.equal(r.code, 0);
    assert.match(r.out, /Example/, name);
    assert.match(r.out, /3 rollback failed/, name);
  }
});

test('default workflow id: database and UTC timestamp', () => {
  assert.equal(defaultWorkflowId('primary', new Date('2025-01-02T03:04:05.678Z')), 'stp-upgrade-primary-20250102T030405Z');
});
