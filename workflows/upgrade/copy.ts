import { log } from '@temporalio/workflow';
import type { CopyRule } from '../../common/steps';
import { acts } from './proxies';
import type { SagaRun } from './run';
import { replayOnce } from './sync';

/** A slice is short enough that pause and abort take effect within seconds, long enough to amortise a workflow task. */
export const SLICE_MAX_BATCHES = 20;
export const SLICE_MAX_MS = 20_000;

/**
 * Runs each rule slice by slice until the activity reports it finished. The copy engine keeps its
 * checkpoint in the database, so a resumed or continued-as-new saga just calls the next slice.
 */
export async function copyRules(run: SagaRun, rules: CopyRule[]): Promise<void> {
  const p = run.progress;
  for (const rule of rules) {
    if (!run.has(`rule.${rule}`)) p.rules[rule] ??= { done: 0, total: 0 };
  }
  for (const rule of rules) {
    if (run.has(`rule.${rule}`)) continue;
    let finished = false;
    // The size the last slice adapted to (plan.copy.targetBatchMs); a size set by the throttle signal wins.
    let adapted: number | undefined;
    while (!finished) {
      await run.between();
      const fixedBatchSize = run.state.throttle.batchSize !== undefined;
      const batchSize = fixedBatchSize ? run.batchSize(rule) : (adapted ?? run.batchSize(rule));
      p.batchSize = batchSize;
      const before = p.rules[rule]?.done ?? 0;
      const started = Date.now();
      const r = await acts.copySlice({ ...run.input(), rule, maxBatches: SLICE_MAX_BATCHES, maxMs: SLICE_MAX_MS, batchSize, fixedBatchSize });
      p.rules[rule] = { done: r.rowsDone, total: r.rowsTotal };
      p.redoneBatches += r.redoneBatches;
      if (r.batchSize !== undefined && !fixedBatchSize) adapted = p.batchSize = r.batchSize;
      if (r.pauseReason) p.copyPause = { reason: r.pauseReason, pausedMs: (p.copyPause?.pausedMs ?? 0) + (r.pausedMs ?? 0) };
      run.measure(r.rowsDone - before, Date.now() - started);
      finished = r.finished;
      // Live writes are replayed during the copy too, so the backlog never outgrows a slice.
      await replayOnce(run);
    }
    log.info('rule copied', { rule, ...p.rules[rule] });
    run.mark(`rule.${rule}`);
  }
}
