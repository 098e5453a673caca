/**
 * `npm test`: brings up the real servers (or uses what dev:up started), then runs every test
 * layer with node:test and ends with `N passed, N failed`.
 *   --only unit|workflow|integration|release   run one layer
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const layers = only ? [only] : ['unit', 'workflow', 'integration', 'release'];

function files(layer: string): string[] {
  const dir = path.join(root, 'dist', 'test', layer);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.js'))
    .sort()
    .map((f) => path.join(dir, f));
}

if (layers.some((l) => l !== 'unit')) {
  const up = spawnSync('bash', [path.join(root, 'scripts', 'dev-up.sh')], { stdio: 'inherit' });
  if (up.status !== 0) {
    console.error('could not bring up the dev servers (see above); 0 passed, 1 failed');
    process.exit(1);
  }
}

const testFiles = layers.flatMap(files);
const reporter = path.join(root, 'dist', 'test', 'summary-reporter.js');
// The whole run is bounded too: a file whose test timed out but whose process does not exit (a
// hung server keeping a worker alive) would otherwise keep node --test, and CI, waiting.
const budgetMin = Number(process.env.STP_TEST_BUDGET_MINUTES ?? 50);
const child = spawn(
  process.execPath,
  [
    '--test',
    '--test-concurrency=2',
    // a test that hangs fails on its own after 8 minutes instead of stalling the run (and CI)
    '--test-timeout=480000',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${reporter}`,
    '--test-reporter-destination=stdout',
    ...testFiles,
  ],
  { stdio: 'inherit', cwd: root, env: { ...process.env, STP_REPO_ROOT: root }, detached: true },
);
const killer = setTimeout(() => {
  console.error(`the test run took longer than ${budgetMin} minutes (STP_TEST_BUDGET_MINUTES): stopped; 0 passed, 1 failed`);
  try {
    process.kill(-child.pid!, 'SIGKILL'); // node --test and every test process under it
  } catch {
    child.kill('SIGKILL');
  }
  process.exit(1);
}, budgetMin * 60_000);
child.on('exit', (code) => {
  clearTimeout(killer);
  process.exit(code ?? 1);
});
