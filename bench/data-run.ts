/**
 * `npm run bench`: the data run (preflight → schema → copy → embeddings → verify) against the
 * set-based limit on the same server, at 100k and 1M legacy chunks (fixture --dim 256 --defects,
 * no graph). Prints figures, never pass/fail:
 *  - the ratios of issue 9: each rule vs its single `insert … select`, verify vs one full scan of
 *    every table, the whole run vs the limit (mapping statements + plain index builds + full scan);
 *  - the split of the run by step (from the workflow's history), rows/s, the worker's peak RSS;
 *  - the time lost to a kill -9 of the worker mid-copy.
 * The limit runs before and after the tool's run (its time is the mean of both), so both see the
 * same machine. Fixtures are template databases kept between runs (bench/fixture-cache.ts).
 * Options: --sizes 100k,1m (none: only the kill -9)  --seed N (7)  --dim N (256)  --batch-size N (5000)  --limit-rounds N (2)
 *          --skip-kill  --kill-size 100k (kill -9 measured twice: worker restarted; a second worker already polling)
 *          --ranges 1,2,4 [--ranges-size 100k]: only the speed-up of concurrent key ranges (bench/ranges.ts)
 */
import fs from 'node:fs';
import os from 'node:os';
import { describePgError } from '../activities/db';
import type { PlanInput } from '../common/plan';
import { cloneTemplate, ensureTemplate } from './fixture-cache';
import { limitTotal, runLimit, type LimitTimes } from './limit';
import { measureKill, type KillFigures } from './kill';
import { runTool } from './tool-run';
import { formatReport, type SizeFigures } from './report';
import { formatRanges, measureRanges } from './ranges';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : dflt);
const size = (s: string) => {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
  if (!m) throw new Error(`--sizes: expected sizes like 100k,1m, got "${s}"`);
  return Math.round(Number(m[1]) * ({ k: 1e3, m: 1e6, '': 1 } as Record<string, number>)[m[2].toLowerCase()]);
};
const log = (l: string) => console.log(l);

async function limitOnce(template: string, label: string, dim: number, plan: PlanInput): Promise<LimitTimes> {
  const db = await cloneTemplate(template, `limit_${label}`);
  try {
    const c = await db.pool.connect();
    try {
      const { parsePlan } = await import('../common/plan');
      const parsed = parsePlan(plan);
      if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
      return await runLimit(c, parsed.plan, dim, log);
    } finally {
      c.release();
    }
  } finally {
    await db.drop();
  }
}

function mean(runs: LimitTimes[]): LimitTimes {
  const out: LimitTimes = {};
  for (const r of runs) for (const [k, v] of Object.entries(r)) out[k] = (out[k] ?? 0) + v / runs.length;
  return out;
}

async function main(): Promise<void> {
  const sizes = opt('sizes', '100k,1m') === 'none' ? [] : opt('sizes', '100k,1m').split(',').map(size);
  const seed = Number(opt('seed', '7'));
  const dim = Number(opt('dim', '256'));
  const batchSize = Number(opt('batch-size', '5000'));
  const rounds = Math.max(1, Number(opt('limit-rounds', '2')));
  const parallelism = Number(opt('parallelism', '1'));
  if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > 64) {
    throw new Error(`--parallelism: expected a whole number 1-64 (plan.copy.parallelism of the tool's run), got "${opt('parallelism', '1')}"`);
  }
  const plan: PlanInput = {
    database: 'primary',
    defects: { policy: 'quarantine' },
    copy: { batchSize, ...(parallelism > 1 ? { parallelism } : {}) },
    embeddings: { index: { kind: 'ivfflat' } },
    steps: ['preflight', 'schema', 'copy', 'embeddings', 'verify'],
  };
  const machine = () => `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average at the end ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`;
  if (argv.includes('--ranges')) {
    const counts = opt('ranges', '1,2,4').split(',').map((s) => {
      const n = Number(s);
      if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`--ranges: expected parallelism values like 1,2,4 (1-64), got "${s}"`);
      return n;
    });
    const chunks = size(opt('ranges-size', '100k'));
    log(`== concurrent key ranges at ${chunks} chunks: parallelism ${counts.join(', ')}`);
    const tpl = await ensureTemplate({ chunks, seed, dim }, log);
    console.log(formatRanges(await measureRanges(tpl.name, plan, counts, log), chunks, machine()));
    return;
  }
  const figures: SizeFigures[] = [];
  for (const chunks of sizes) {
    log(`== ${chunks} chunks, plan.copy.parallelism ${parallelism}`);
    const tpl = await ensureTemplate({ chunks, seed, dim }, log);
    if (tpl.generatedMs !== null) log(`  fixture template ${tpl.name} generated in ${(tpl.generatedMs / 1000).toFixed(1)} s`);
    const limits: LimitTimes[] = [];
    limits.push(await limitOnce(tpl.name, `${chunks}_a`, dim, plan));
    const db = await cloneTemplate(tpl.name, `run_${chunks}`);
    let tool;
    let legacyRows = 0;
    try {
      const { rows } = await db.pool.query<{ n: number }>(
        `select ((select count(*) from texts) + (select count(*) from chunks_legacy) + (select count(*) from templates_legacy)
               + (select count(*) from template_slots_legacy) + (select count(*) from template_slot_instances_legacy)
               + (select count(*) from chunk_tags_legacy) + (select count(*) from embeddings_legacy))::int as n`,
      );
      legacyRows = rows[0].n;
      log(`  tool run (${legacyRows} legacy rows)`);
      tool = await runTool(db.url, plan, String(chunks));
      log(`    tool run ${(tool.totalMs / 1000).toFixed(1)} s, worker peak RSS ${tool.rssMb} MB`);
    } finally {
      await db.drop();
    }
    for (let i = 1; i < rounds; i++) limits.push(await limitOnce(tpl.name, `${chunks}_b`, dim, plan));
    figures.push({ chunks, legacyRows, tool, limit: mean(limits), limitTotalMs: limitTotal(mean(limits)) });
  }
  const kills: KillFigures[] = [];
  for (const mode of argv.includes('--skip-kill') ? [] : (['restart', 'standby'] as const)) {
    const chunks = size(opt('kill-size', '100k'));
    log(`== kill -9 mid-copy at ${chunks} chunks, ${mode}`);
    const tpl = await ensureTemplate({ chunks, seed, dim }, log);
    const db = await cloneTemplate(tpl.name, `kill_${chunks}`);
    try {
      kills.push(await measureKill(db, { ...plan, copy: { batchSize: 1000 }, steps: ['preflight', 'schema', 'copy'] }, mode, log));
    } finally {
      await db.drop();
    }
  }
  console.log(formatReport(figures, kills, machine()));
}

main().catch((err) => {
  console.error(`bench: ${describePgError(err)}`);
  process.exit(1);
});
