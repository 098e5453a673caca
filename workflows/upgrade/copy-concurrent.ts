import { log } from '@temporalio/workflow';
import type { CopyRule, RangesResult } from '../../common/steps';
import { noteSlice, ruleCopied, SLICE_MAX_BATCHES, SLICE_MAX_MS, sliceBatchSize } from './copy';
import { acts, copyRange, planRangesWaited } from './proxies';
import type { SagaRun } from './run';
import { replayOnce } from './sync';

/** Independent rules copied at the same time (plan.copy.parallelism > 1); a history from before it replays without it. */
export const COPY_RULES_PATCH = 'stp-copy-rules-v1';

/** The graph copied in the copy step beside the other rules; a history from before it copies it in its own step. */
export const COPY_GRAPH_PATCH = 'stp-copy-graph-v1';

/**
 * What a rule reads of the target, and so must be copied first. Rule 6 keeps an embedding only
 * when its chunk is in the target (the last guard against an orphan): chunks, templates and slots
 * all make the chunks it may point at. The others read the legacy tables only (chunks and tags
 * their own stages), so they are independent: each writes its own ids into chunks_unified.
 */
const NEEDS: Partial<Record<CopyRule, CopyRule[]>> = { embeddings: ['chunks', 'templates', 'slots'] };

/** A rule in flight: its ranges once planned (undefined: the whole rule), what each has copied. */
interface RuleLanes {
  rule: CopyRule;
  open?: (number | undefined)[];
  done: number[];
  total: number;
  adapted?: number;
}

/** One activity of a round: plan a rule's ranges, or one slice of one of its ranges. */
type Task = { lanes: RuleLanes; plan: true } | { lanes: RuleLanes; plan: false; range: number | undefined };

/**
 * Copies `rules` in rounds of at most plan.copy.parallelism activities (a rule's planRanges or one
 * slice per open range), taken across every rule whose needs are copied: first one of each rule,
 * then a second of each, and so on, so a small rule is not starved by a large one's ranges.
 * Between rounds, as between slices: pause, continue-as-new (nothing in flight then), one replay
 * of live writes. A failing activity fails the copy once the others of its round have ended (a
 * slice is bounded), so a rollback never drops the target under a batch still writing; an abort
 * cancels them all and waits for them.
 */
export async function copyConcurrently(run: SagaRun, rules: CopyRule[]): Promise<void> {
  const limit = run.plan.copy.parallelism ?? 1;
  const left = new Map(rules.map((rule) => [rule, { rule, done: [], total: 0 } as RuleLanes]));
  while (left.size > 0) {
    await run.between();
    const tasks = nextRound(run, rules, left, limit);
    const before = rowsDone(left);
    const started = Date.now();
    const settled = await Promise.allSettled(tasks.map((t) => runTask(run, t, limit)));
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    run.measure(rowsDone(left) - before, Date.now() - started);
    for (const lanes of left.values()) {
      if (lanes.open?.length !== 0) continue;
      log.info('rule copied', { rule: lanes.rule, ranges: lanes.done.length, ...run.progress.rules[lanes.rule] });
      run.mark(`rule.${lanes.rule}`);
      run.state.copiedRules = [...(run.state.copiedRules ?? []), lanes.rule];
      left.delete(lanes.rule);
    }
    await replayOnce(run);
  }
}

/** The round's tasks: the rules whose needs are copied, interleaved, at most `limit`. */
function nextRound(run: SagaRun, rules: CopyRule[], left: Map<CopyRule, RuleLanes>, limit: number): Task[] {
  const copied = (rule: CopyRule) => !rules.includes(rule) || ruleCopied(run, rule);
  const queues = [...left.values()]
    .filter((lanes) => (NEEDS[lanes.rule] ?? []).every(copied))
    .map((lanes): Task[] => (lanes.open ? lanes.open.map((range) => ({ lanes, plan: false, range })) : [{ lanes, plan: true }]));
  const tasks: Task[] = [];
  for (let i = 0; tasks.length < limit && queues.some((q) => q.length > i); i++) {
    for (const q of queues) if (i < q.length && tasks.length < limit) tasks.push(q[i]);
  }
  return tasks;
}

/**
 * Plans the rule's ranges, or copies one slice of a range (or of the whole rule) and notes it in
 * the rule's progress: the range's rows, the rule's the sum of its ranges.
 */
async function runTask(run: SagaRun, task: Task, limit: number): Promise<void> {
  const { lanes } = task;
  const rule = lanes.rule;
  if (task.plan) {
    const planned = await planRangesWaited({ ...run.input(), rule, parts: limit });
    if (planned.ranges > 1) {
      const { open, done } = openRanges(planned);
      lanes.open = open;
      lanes.done = done;
      const sum = done.reduce((a, b) => a + b, 0);
      if (sum > 0) run.progress.rules[rule] = { done: sum, total: Math.max(run.progress.rules[rule]?.total ?? 0, sum) };
    } else {
      lanes.open = [undefined];
      lanes.done = [0];
    }
    return;
  }
  const { batchSize, fixedBatchSize } = sliceBatchSize(run, rule, lanes.adapted);
  const input = { ...run.input(), rule, maxBatches: SLICE_MAX_BATCHES, maxMs: SLICE_MAX_MS, batchSize, fixedBatchSize };
  const r = task.range === undefined ? await acts.copySlice(input) : await copyRange({ ...input, range: task.range });
  lanes.done[task.range === undefined ? 0 : task.range - 1] = r.rowsDone;
  lanes.total = Math.max(lanes.total, r.rowsTotal);
  lanes.adapted = noteSlice(run, r, fixedBatchSize) ?? lanes.adapted;
  if (r.finished) lanes.open = lanes.open?.filter((range) => range !== task.range);
  const sum = lanes.done.reduce((a, b) => a + b, 0);
  run.progress.rules[rule] = { done: sum, total: Math.max(lanes.total, sum) };
}

/**
 * The ranges still to copy and each range's rows so far. A range finished before a continue-as-new
 * (planRanges reports it from its checkpoint) gets no slice again; a result recorded before
 * planRanges reported them (no `finished`) gives every range one, as then.
 */
export function openRanges(planned: RangesResult): { open: number[]; done: number[] } {
  const done = new Array<number>(planned.ranges).fill(0);
  const finished = new Set<number>();
  for (const f of planned.finished ?? []) {
    done[f.range - 1] = f.rowsDone;
    finished.add(f.range);
  }
  return { open: Array.from({ length: planned.ranges }, (_, i) => i + 1).filter((r) => !finished.has(r)), done };
}

function rowsDone(left: Map<CopyRule, RuleLanes>): number {
  let n = 0;
  for (const lanes of left.values()) n += lanes.done.reduce((a, b) => a + b, 0);
  return n;
}
