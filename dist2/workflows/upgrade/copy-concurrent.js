"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.COPY_RULES_PATCH = void 0;
exports.copyConcurrently = copyConcurrently;
const workflow_1 = require("@temporalio/workflow");
const copy_1 = require("./copy");
const proxies_1 = require("./proxies");
const sync_1 = require("./sync");
/** Independent rules copied at the same time (plan.copy.parallelism > 1); a history from before it replays without it. */
exports.COPY_RULES_PATCH = 'stp-copy-rules-v1';
/**
 * What a rule reads of the target, and so must be copied first. Rule 6 keeps an embedding only
 * when its chunk is in the target (the last guard against an orphan): chunks, templates and slots
 * all make the chunks it may point at. The others read the legacy tables only (chunks and tags
 * their own stages), so they are independent: each writes its own ids into chunks_unified.
 */
const NEEDS = { embeddings: ['chunks', 'templates', 'slots'] };
/**
 * Copies `rules` in rounds of at most plan.copy.parallelism activities (a rule's planRanges or one
 * slice per open range), taken across every rule whose needs are copied: first one of each rule,
 * then a second of each, and so on, so a small rule is not starved by a large one's ranges.
 * Between rounds, as between slices: pause, continue-as-new (nothing in flight then), one replay
 * of live writes. A failing activity fails the copy once the others of its round have ended (a
 * slice is bounded), so a rollback never drops the target under a batch still writing; an abort
 * cancels them all and waits for them.
 */
async function copyConcurrently(run, rules) {
    const limit = run.plan.copy.parallelism ?? 1;
    const left = new Map(rules.map((rule) => [rule, { rule, done: [], total: 0 }]));
    while (left.size > 0) {
        await run.between();
        const tasks = nextRound(run, rules, left, limit);
        const before = rowsDone(left);
        const started = Date.now();
        const settled = await Promise.allSettled(tasks.map((t) => runTask(run, t, limit)));
        const failed = settled.find((s) => s.status === 'rejected');
        if (failed)
            throw failed.reason;
        run.measure(rowsDone(left) - before, Date.now() - started);
        for (const lanes of left.values()) {
            if (lanes.open?.length !== 0)
                continue;
            workflow_1.log.info('rule copied', { rule: lanes.rule, ranges: lanes.done.length, ...run.progress.rules[lanes.rule] });
            run.mark(`rule.${lanes.rule}`);
            run.state.copiedRules = [...(run.state.copiedRules ?? []), lanes.rule];
            left.delete(lanes.rule);
        }
        await (0, sync_1.replayOnce)(run);
    }
}
/** The round's tasks: the rules whose needs are copied, interleaved, at most `limit`. */
function nextRound(run, rules, left, limit) {
    const copied = (rule) => !rules.includes(rule) || (0, copy_1.ruleCopied)(run, rule);
    const queues = [...left.values()]
        .filter((lanes) => (NEEDS[lanes.rule] ?? []).every(copied))
        .map((lanes) => (lanes.open ? lanes.open.map((range) => ({ lanes, plan: false, range })) : [{ lanes, plan: true }]));
    const tasks = [];
    for (let i = 0; tasks.length < limit && queues.some((q) => q.length > i); i++) {
        for (const q of queues)
            if (i < q.length && tasks.length < limit)
                tasks.push(q[i]);
    }
    return tasks;
}
/**
 * Plans the rule's ranges, or copies one slice of a range (or of the whole rule) and notes it in
 * the rule's progress: the range's rows, the rule's the sum of its ranges.
 */
async function runTask(run, task, limit) {
    const { lanes } = task;
    const rule = lanes.rule;
    if (task.plan) {
        const { ranges } = await (0, proxies_1.planRangesWaited)({ ...run.input(), rule, parts: limit });
        lanes.open = ranges > 1 ? Array.from({ length: ranges }, (_, i) => i + 1) : [undefined];
        lanes.done = new Array(ranges).fill(0);
        return;
    }
    const { batchSize, fixedBatchSize } = (0, copy_1.sliceBatchSize)(run, rule, lanes.adapted);
    const input = { ...run.input(), rule, maxBatches: copy_1.SLICE_MAX_BATCHES, maxMs: copy_1.SLICE_MAX_MS, batchSize, fixedBatchSize };
    const r = task.range === undefined ? await proxies_1.acts.copySlice(input) : await (0, proxies_1.copyRange)({ ...input, range: task.range });
    lanes.done[task.range === undefined ? 0 : task.range - 1] = r.rowsDone;
    lanes.total = Math.max(lanes.total, r.rowsTotal);
    lanes.adapted = (0, copy_1.noteSlice)(run, r, fixedBatchSize) ?? lanes.adapted;
    if (r.finished)
        lanes.open = lanes.open?.filter((range) => range !== task.range);
    const sum = lanes.done.reduce((a, b) => a + b, 0);
    run.progress.rules[rule] = { done: sum, total: Math.max(lanes.total, sum) };
}
function rowsDone(left) {
    let n = 0;
    for (const lanes of left.values())
        n += lanes.done.reduce((a, b) => a + b, 0);
    return n;
}
//# sourceMappingURL=copy-concurrent.js.map