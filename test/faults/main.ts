/**
 * `npm run test:faults`: the fault matrix of issue 8 on real servers of its own (PostgreSQL on
 * STP_FAULTS_PG_PORT, a Temporal dev server on free ports), worker processes it kills, runs
 * started through the CLI. Prints `case | outcome | recover s | data` and exits 1 when a case failed.
 *   --fast        only the CI subset: kill-copy and pg-restart-fast-copy
 *   --only NAME   one case (or several, comma-separated)
 *   --list        the case names
 * Environment: STP_FAULTS_STUCK_SECONDS (default 150), STP_FAULTS_RECOVER_BUDGET (default 25),
 * STP_FAULTS_KEEP=1 keeps the case databases.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { generateFixtures } from '../../fixtures/generate';
import { CASES, type FaultCase } from './cases';
import { admin, CaseRun, type CaseResult, type Suite } from './harness';
import { dbUrl, postgres, TemporalServer } from './servers';

const FIXTURE = { chunks: 40_000, dim: 64, defects: true, seed: 7, graph: true };
const TEMPLATE = 'stp_faults_fixture_v1';

/** The fixture, generated once into a template database and kept (marked complete by a comment). */
async function ensureTemplate(): Promise<string> {
  const done = await admin(async (c) => {
    const { rows } = await c.query<{ d: string | null }>(`select shobj_description(oid, 'pg_database') as d from pg_database where datname = $1`, [TEMPLATE]);
    return rows[0]?.d === JSON.stringify(FIXTURE);
  });
  if (done) return TEMPLATE;
  const started = Date.now();
  await admin(async (c) => {
    await c.query(`drop database if exists "${TEMPLATE}" with (force)`);
    await c.query(`create database "${TEMPLATE}"`);
  });
  const pool = new pg.Pool({ connectionString: dbUrl(TEMPLATE), max: 4 });
  try {
    await pool.query(`set client_min_messages = warning; create extension if not exists vector; create extension if not exists age`);
    await generateFixtures(pool, FIXTURE);
  } finally {
    await pool.end();
  }
  await admin((c) => c.query(`comment on database "${TEMPLATE}" is '${JSON.stringify(FIXTURE)}'`));
  console.log(`fixture ${TEMPLATE}: ${FIXTURE.chunks} chunks with every defect kind, generated in ${Math.round((Date.now() - started) / 1000)} s`);
  return TEMPLATE;
}

function pickCases(args: string[]): FaultCase[] {
  if (args.includes('--fast')) return CASES.filter((c) => c.fast);
  const i = args.indexOf('--only');
  if (i >= 0) {
    const names = (args[i + 1] ?? '').split(',').filter(Boolean);
    const unknown = names.filter((n) => !CASES.some((c) => c.name === n));
    if (names.length === 0 || unknown.length > 0) {
      console.error(`--only: unknown case ${unknown.join(', ') || '(none given)'}; cases: ${CASES.map((c) => c.name).join(', ')}`);
      process.exit(2);
    }
    return CASES.filter((c) => names.includes(c.name));
  }
  return CASES;
}

/** The case running now: an error nobody handled (a cut connection of the suite's own) is its problem, not a crash. */
let current: CaseRun | undefined;
process.on('uncaughtException', (err) => {
  console.log(`  ! uncaught in the suite: ${err.message}`);
  current?.problem(`fault suite error: ${err.message}`);
});

async function runCase(suite: Suite, c: FaultCase): Promise<CaseResult> {
  const r = new CaseRun(suite, c.name);
  current = r;
  const started = Date.now();
  console.log(`\n== ${c.name}: ${c.what}`);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`case deadline of ${c.deadlineS} s passed`)), c.deadlineS * 1000);
  });
  try {
    await Promise.race([c.run(r), deadline]);
  } catch (err) {
    r.problem((err as Error).message);
    if (r.result.outcome === '-') r.result.outcome = 'error';
  } finally {
    clearTimeout(timer);
    await r.dispose();
  }
  for (const p of r.result.problems) console.log(`  ✗ ${p}`);
  console.log(`  ${r.result.problems.length === 0 ? 'PASS' : 'FAIL'} ${c.name} in ${Math.round((Date.now() - started) / 1000)} s`);
  return r.result;
}

function matrix(rows: { name: string; r: CaseResult }[]): string {
  const table = [['case', 'outcome', 'recover s', 'data', 'result'], ...rows.map(({ name, r }) => [
    name, r.outcome, r.recoverS === undefined ? '-' : String(r.recoverS), r.data, r.problems.length === 0 ? 'pass' : `FAIL: ${r.problems[0].slice(0, 110)}`,
  ])];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  return table.map((row) => row.map((cell, i) => (i === 4 ? cell : cell.padEnd(widths[i]))).join(' | ')).join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--list')) {
    for (const c of CASES) console.log(`${c.name.padEnd(28)} ${c.fast ? '[fast] ' : ''}${c.what}`);
    return;
  }
  const cases = pickCases(args);
  const started = Date.now();
  postgres.up();
  const tmp = path.join(os.tmpdir(), 'stp-faults');
  fs.mkdirSync(tmp, { recursive: true });
  const [template, temporal] = await Promise.all([ensureTemplate(), TemporalServer.start()]);
  const suite: Suite = {
    temporal, template, tmp,
    stuckSeconds: Number(process.env.STP_FAULTS_STUCK_SECONDS ?? 150),
    recoverBudget: Number(process.env.STP_FAULTS_RECOVER_BUDGET ?? 25),
  };
  console.log(`fault suite: ${cases.length} case(s); PostgreSQL ${dbUrl('')}, Temporal ${temporal.address}; recovery budget ${suite.recoverBudget} s, stuck after ${suite.stuckSeconds} s`);
  const rows: { name: string; r: CaseResult }[] = [];
  const stop = () => {
    temporal.stop();
    process.exit(130);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    for (const c of cases) rows.push({ name: c.name, r: await runCase(suite, c) });
  } finally {
    temporal.stop();
  }
  const failed = rows.filter((x) => x.r.problems.length > 0);
  console.log(`\n${matrix(rows)}\n`);
  console.log(`${rows.length - failed.length} passed, ${failed.length} failed (fault suite, ${Math.round((Date.now() - started) / 1000)} s)`);
  process.exitCode = failed.length > 0 ? 1 : 0;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(`fault suite: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
