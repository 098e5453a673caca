import { log, patched } from '@temporalio/workflow';
import type { CopyRule, RangesResult, SliceResult } from '../../common/steps';
import { acts, copyRange } from './proxies';
import type { SagaRun } from './run';
import { replayOnce } from './sync';
import { COPY_GRAPH_PATCH, COPY_RULES_PATCH, copyConcurrently, openRanges } from './copy-concurrent';

/** A slice is short enough that pause and abort take effect within seconds, long enough to amortise a workflow task. */
export const SLICE_MAX_BATCHES = 20;
export const SLICE_MAX_MS = 20_000;

/** Key ranges copied concurrently (plan.copy.parallelism > 1); a history from before it replays without it. */
export const COPY_RANGES_PATCH = 'stp-copy-ranges-v1';

/**
 * Runs each rule slice by slice until the activity reports it finished. The copy engine keeps its
 * checkpoint in the database, so a resumed or continued-as-new saga just calls the next slice.
 * With plan.copy.parallelism > 1 a large rule is split into key ranges copied concurrently, and
 * independent rules are copied at the same time (copy-concurrent.ts); a history from before
 * that (no COPY_RULES_PATCH) keeps copying the rules one after another.
 */
export async function copyRules(run: SagaRun, rules: CopyRule[]): Promise<void> {
  const p = run.progress;
  const pending = rules.filter((rule) => !ruleCopied(run, rule));
  for (const rule of pending) p.rules[rule] ??= { done: 0, total: 0 };
  if (pending.length === 0) return;
  // parallelism is read before patched(): a plan without it (1) records no marker, as before.
  const parallel = (run.plan.copy.parallelism ?? 1) > 1 && patched(COPY_RANGES_PATCH);
  if (parallel && patched(COPY_RULES_PATCH)) return copyConcurrently(run, pending);
  for (const rule of pending) {
    const planned = parallel ? await acts.planRanges({ ...run.input(), rule, parts: run.plan.copy.parallelism ?? 1 }) : { ranges: 1 };
    const ranges = planned.ranges;
    if (ranges > 1) await copyRanges(run, rule, planned);
    else await copyWhole(run, rule);
    log.info('rule copied', { rule, ranges, ...p.rules[rule] });
    run.mark(`rule.${rule}`);
  }
}

/** The rule was copied to the end in this step, or by concurrent copy in an earlier one. */
export function ruleCopied(run: SagaRun, rule: CopyRule): boolean {
  return run.has(`rule.${rule}`) || (run.state.copiedRules ?? []).includes(rule);
}

/**
 * The rules the copy step copies. With concurrent rules the embeddings join them: they start
 * once the rules they need are copied, alongside the others still running (tags), and the
 * embeddings step then finds them done. So does the graph (COPY_GRAPH_PATCH), which reads no
 * target table: it is copied beside all of them, and its step finds it done. Without, as before:
 * their own steps copy them.
 */
export function copyStepRules(run: SagaRun): CopyRule[] {
  const rules: CopyRule[] = ['chunks', 'templates', 'slots', 'tags'];
  // Nothing left to copy: no marker, as before (a re-entered step of an old history replays as it ran).
  if (rules.every((rule) => ruleCopied(run, rule))) return rules;
  const steps = run.plan.steps;
  const concurrent = (run.plan.copy.parallelism ?? 1) > 1 && (steps.includes('embeddings') || steps.includes('graph')) &&
    patched(COPY_RANGES_PATCH) && patched(COPY_RULES_PATCH);
  if (!concurrent) return rules;
  const out: CopyRule[] = steps.includes('embeddings') ? [...rules, 'embeddings'] : rules;
  // Read after the others: a history from before it, or a plan without the graph, records no marker.
  return steps.includes('graph') && run.progress.steps.graph !== 'skipped' && patched(COPY_GRAPH_PATCH) ? [...out, 'graph'] : out;
}

/** The batch size of the next slice: the throttle signal's, else what the last slice adapted to (plan.copy.targetBatchMs). */
export function sliceBatchSize(run: SagaRun, rule: CopyRule, adapted: number | undefined): { batchSize: number; fixedBatchSize: boolean } {
  const fixedBatchSize = run.state.throttle.batchSize !== undefined;
  const batchSize = fixedBatchSize ? run.batchSize(rule) : (adapted ?? run.batchSize(rule));
  run.progress.batchSize = batchSize;
  return { batchSize, fixedBatchSize };
}

/** What every slice result adds to the progress; returns the size the slice adapted to. */
export function noteSlice(run: SagaRun, r: SliceResult, fixedBatchSize: boolean): number | undefined {
  const p = run.progress;
  p.redoneBatches += r.redoneBatches;
  if (r.pauseReason) p.copyPause = { reason: r.pauseReason, pausedMs: (p.copyPause?.pausedMs ?? 0) + (r.pausedMs ?? 0) };
  if (r.batchSize === undefined || fixedBatchSize) return undefined;
  p.batchSize = r.batchSize;
  return r.batchSize;
}

async function copyWhole(run: SagaRun, rule: CopyRule): Promise<void> {
  const p = run.progress;
  let finished = false;
  let adapted: number | undefined;
  while (!finished) {
    await run.between();
    const { batchSize, fixedBatchSize } = sliceBatchSize(run, rule, adapted);
    const before = p.rules[rule]?.done ?? 0;
    const started = Date.now();
    const r = await acts.copySlice({ ...run.input(), rule, maxBatches: SLICE_MAX_BATCHES, maxMs: SLICE_MAX_MS, batchSize, fixedBatchSize });
    p.rules[rule] = { done: r.rowsDone, total: r.rowsTotal };
    adapted = noteSlice(run, r, fixedBatchSize) ?? adapted;
    run.measure(r.rowsDone - before, Date.now() - started);
    finished = r.finished;
    // Live writes are replayed during the copy too, so the backlog never outgrows a slice.
    await replayOnce(run);
  }
}

/**
 * Rounds of one slice per unfinished range, all in flight at once (any worker on the task queue
 * takes them). Between rounds, as between slices: pause, continue-as-new (no slice is in flight
 * then), one replay of live writes. The rule's progress is the sum of its ranges. A failing slice
 * fails the rule once the other slices of its round have ended (a slice is bounded: SLICE_MAX_MS),
 * so a rollback never drops the target under a batch still writing; an abort cancels them all.
 */
async function copyRanges(run: SagaRun, rule: CopyRule, planned: RangesResult): Promise<void> {
  const p = run.progress;
  const { open: openList, done } = openRanges(planned);
  const open = new Set(openList);
  let adapted: number | undefined;
  while (open.size > 0) {
    await run.between();
    const { batchSize, fixedBatchSize } = sliceBatchSize(run, rule, adapted);
    const before = done.reduce((a, b) => a + b, 0);
    const started = Date.now();
    const settled = await Promise.allSettled([...open].map((range) =>
      copyRange({ ...run.input(), rule, range, maxBatches: SLICE_MAX_BATCHES, maxMs: SLICE_MAX_MS, batchSize, fixedBatchSize })));
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    let total = 0;
    for (const s of settled) {
      const r = s.status === 'fulfilled' ? s.value : undefined;
      if (!r || r.range === undefined) continue;
      done[r.range - 1] = r.rowsDone;
      total = Math.max(total, r.rowsTotal);
      adapted = noteSlice(run, r, fixedBatchSize) ?? adapted;
      if (r.finished) open.delete(r.range);
    }
    const sum = done.reduce((a, b) => a + b, 0);
    p.rules[rule] = { done: sum, total: Math.max(total, sum) };
    run.measure(sum - before, Date.now() - started);
    await replayOnce(run);
  }
}
