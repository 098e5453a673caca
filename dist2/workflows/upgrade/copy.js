"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.COPY_RANGES_PATCH = exports.SLICE_MAX_MS = exports.SLICE_MAX_BATCHES = void 0;
exports.copyRules = copyRules;
exports.ruleCopied = ruleCopied;
exports.copyStepRules = copyStepRules;
exports.sliceBatchSize = sliceBatchSize;
exports.noteSlice = noteSlice;
const workflow_1 = require("@temporalio/workflow");
const proxies_1 = require("./proxies");
const sync_1 = require("./sync");
const copy_concurrent_1 = require("./copy-concurrent");
/** A slice is short enough that pause and abort take effect within seconds, long enough to amortise a workflow task. */
exports.SLICE_MAX_BATCHES = 20;
exports.SLICE_MAX_MS = 20_000;
/** Key ranges copied concurrently (plan.copy.parallelism > 1); a history from before it replays without it. */
exports.COPY_RANGES_PATCH = 'stp-copy-ranges-v1';
/**
 * Runs each rule slice by slice until the activity reports it finished. The copy engine keeps its
 * checkpoint in the database, so a resumed or continued-as-new saga just calls the next slice.
 * With plan.copy.parallelism > 1 a large rule is split into key ranges copied concurrently, and
 * independent rules are copied at the same time (copy-concurrent.ts); a history from before
 * that (no COPY_RULES_PATCH) keeps copying the rules one after another.
 */
async function copyRules(run, rules) {
    const p = run.progress;
    const pending = rules.filter((rule) => !ruleCopied(run, rule));
    for (const rule of pending)
        p.rules[rule] ??= { done: 0, total: 0 };
    if (pending.length === 0)
        return;
    // parallelism is read before patched(): a plan without it (1) records no marker, as before.
    const parallel = (run.plan.copy.parallelism ?? 1) > 1 && (0, workflow_1.patched)(exports.COPY_RANGES_PATCH);
    if (parallel && (0, workflow_1.patched)(copy_concurrent_1.COPY_RULES_PATCH))
        return (0, copy_concurrent_1.copyConcurrently)(run, pending);
    for (const rule of pending) {
        const ranges = parallel ? (await proxies_1.acts.planRanges({ ...run.input(), rule, parts: run.plan.copy.parallelism ?? 1 })).ranges : 1;
        if (ranges > 1)
            await copyRanges(run, rule, ranges);
        else
            await copyWhole(run, rule);
        workflow_1.log.info('rule copied', { rule, ranges, ...p.rules[rule] });
        run.mark(`rule.${rule}`);
    }
}
/** The rule was copied to the end in this step, or by concurrent copy in an earlier one. */
function ruleCopied(run, rule) {
    return run.has(`rule.${rule}`) || (run.state.copiedRules ?? []).includes(rule);
}
/**
 * The rules the copy step copies. With concurrent rules the embeddings join them: they start
 * once the rules they need are copied, alongside the others still running (tags), and the
 * embeddings step then finds them done. Without, as before: the embeddings step copies them.
 */
function copyStepRules(run) {
    const rules = ['chunks', 'templates', 'slots', 'tags'];
    // Nothing left to copy: no marker, as before (a re-entered step of an old history replays as it ran).
    if (rules.every((rule) => ruleCopied(run, rule)))
        return rules;
    const concurrent = (run.plan.copy.parallelism ?? 1) > 1 && run.plan.steps.includes('embeddings') &&
        (0, workflow_1.patched)(exports.COPY_RANGES_PATCH) && (0, workflow_1.patched)(copy_concurrent_1.COPY_RULES_PATCH);
    return concurrent ? [...rules, 'embeddings'] : rules;
}
/** The batch size of the next slice: the throttle signal's, else what the last slice adapted to (plan.copy.targetBatchMs). */
function sliceBatchSize(run, rule, adapted) {
    const fixedBatchSize = run.state.throttle.batchSize !== undefined;
    const batchSize = fixedBatchSize ? run.batchSize(rule) : (adapted ?? run.batchSize(rule));
    run.progress.batchSize = batchSize;
    return { batchSize, fixedBatchSize };
}
/** What every slice result adds to the progress; returns the size the slice adapted to. */
function noteSlice(run, r, fixedBatchSize) {
    const p = run.progress;
    p.redoneBatches += r.redoneBatches;
    if (r.pauseReason)
        p.copyPause = { reason: r.pauseReason, pausedMs: (p.copyPause?.pausedMs ?? 0) + (r.pausedMs ?? 0) };
    if (r.batchSize === undefined || fixedBatchSize)
        return undefined;
    p.batchSize = r.batchSize;
    return r.batchSize;
}
async function copyWhole(run, rule) {
    const p = run.progress;
    let finished = false;
    let adapted;
    while (!finished) {
        await run.between();
        const { batchSize, fixedBatchSize } = sliceBatchSize(run, rule, adapted);
        const before = p.rules[rule]?.done ?? 0;
        const started = Date.now();
        const r = await proxies_1.acts.copySlice({ ...run.input(), rule, maxBatches: exports.SLICE_MAX_BATCHES, maxMs: exports.SLICE_MAX_MS, batchSize, fixedBatchSize });
        p.rules[rule] = { done: r.rowsDone, total: r.rowsTotal };
        adapted = noteSlice(run, r, fixedBatchSize) ?? adapted;
        run.measure(r.rowsDone - before, Date.now() - started);
        finished = r.finished;
        // Live writes are replayed during the copy too, so the backlog never outgrows a slice.
        await (0, sync_1.replayOnce)(run);
    }
}
/**
 * Rounds of one slice per unfinished range, all in flight at once (any worker on the task queue
 * takes them). Between rounds, as between slices: pause, continue-as-new (no slice is in flight
 * then), one replay of live writes. The rule's progress is the sum of its ranges. A failing slice
 * fails the rule once the other slices of its round have ended (a slice is bounded: SLICE_MAX_MS),
 * so a rollback never drops the target under a batch still writing; an abort cancels them all.
 */
async function copyRanges(run, rule, ranges) {
    const p = run.progress;
    const done = new Array(ranges).fill(0);
    const open = new Set(Array.from({ length: ranges }, (_, i) => i + 1));
    let adapted;
    while (open.size > 0) {
        await run.between();
        const { batchSize, fixedBatchSize } = sliceBatchSize(run, rule, adapted);
        const before = done.reduce((a, b) => a + b, 0);
        const started = Date.now();
        const settled = await Promise.allSettled([...open].map((range) => (0, proxies_1.copyRange)({ ...run.input(), rule, range, maxBatches: exports.SLICE_MAX_BATCHES, maxMs: exports.SLICE_MAX_MS, batchSize, fixedBatchSize })));
        const failed = settled.find((s) => s.status === 'rejected');
        if (failed)
            throw failed.reason;
        let total = 0;
        for (const s of settled) {
            const r = s.status === 'fulfilled' ? s.value : undefined;
            if (!r || r.range === undefined)
                continue;
            done[r.range - 1] = r.rowsDone;
            total = Math.max(total, r.rowsTotal);
            adapted = noteSlice(run, r, fixedBatchSize) ?? adapted;
            if (r.finished)
                open.delete(r.range);
        }
        const sum = done.reduce((a, b) => a + b, 0);
        p.rules[rule] = { done: sum, total: Math.max(total, sum) };
        run.measure(sum - before, Date.now() - started);
        await (0, sync_1.replayOnce)(run);
    }
}
//# sourceMappingURL=copy.js.map