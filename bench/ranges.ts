import type { PlanInput } from '../common/plan';
import { cloneTemplate } from './fixture-cache';
import { COPY_SPAN } from './history';
import { runTool } from './tool-run';

/**
 * `npm run bench -- --ranges 1,2,4`: the copy and embeddings steps with plan.copy.parallelism 1, 2
 * and 4 on clones of one fixture, one worker process each (its activity slots take every range).
 * The figure is each copy rule's wall time (first slice scheduled to last slice closed, from the
 * history), all copy rules' together (rules overlap from parallelism 2) and the speed-up against
 * parallelism 1.
 */
export interface RangesFigures {
  parallelism: number;
  totalMs: number;
  rules: Record<string, number>;
  /** First copy slice scheduled to the last one closed, all rules (they overlap with concurrent rules). */
  copyMs: number;
}

const RULES = ['chunks', 'templates', 'slots', 'tags', 'embeddings'];

export async function measureRanges(template: string, plan: PlanInput, counts: number[], log: (l: string) => void): Promise<RangesFigures[]> {
  const out: RangesFigures[] = [];
  for (const n of counts) {
    const db = await cloneTemplate(template, `ranges_${n}`);
    try {
      const copy = { ...plan.copy, parallelism: n };
      const split = await runTool(db.url, { ...plan, copy, steps: ['preflight', 'schema', 'copy', 'embeddings'] }, `ranges${n}`);
      const rules = Object.fromEntries(RULES.map((r) => [r, split.spans[`copy ${r}`] ?? 0]));
      const copyMs = split.spans[COPY_SPAN] ?? 0;
      out.push({ parallelism: n, totalMs: split.totalMs, rules, copyMs });
      log(`    parallelism ${n}: run ${(split.totalMs / 1000).toFixed(1)} s, copy ${(copyMs / 1000).toFixed(1)} s: ${RULES.map((r) => `${r} ${(rules[r] / 1000).toFixed(1)} s`).join(', ')}`);
    } finally {
      await db.drop();
    }
  }
  return out;
}

export function formatRanges(figures: RangesFigures[], chunks: number, machine: string): string {
  const base = figures.find((f) => f.parallelism === 1) ?? figures[0];
  const cell = (ms: number, baseMs: number) => `${(ms / 1000).toFixed(1)} s (${ms > 0 ? (baseMs / ms).toFixed(2) : '-'}×)`;
  const lines = [
    `Concurrent key ranges at ${chunks} chunks (plan.copy.parallelism; wall time, speed-up against ${base.parallelism}); ${machine}`,
    '',
    `| parallelism | ${RULES.join(' | ')} | all copy rules | whole run |`,
    `| --- | ${RULES.map(() => '---').join(' | ')} | --- | --- |`,
  ];
  for (const f of figures) {
    lines.push(`| ${f.parallelism} | ${RULES.map((r) => cell(f.rules[r], base.rules[r])).join(' | ')} | ${cell(f.copyMs, base.copyMs)} | ${cell(f.totalMs, base.totalMs)} |`);
  }
  return lines.join('\n');
}
