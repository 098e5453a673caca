"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const client_1 = require("@temporalio/client");
const common_1 = require("@temporalio/common");
const names_1 = require("../../common/names");
const env_1 = require("./env");
const temporal_1 = require("../helpers/temporal");
const stubs_1 = require("./stubs");
const copy_spans_1 = require("../helpers/copy-spans");
// plan.copy.parallelism in the saga: ranges planned once per rule, independent rules copied at the
// same time in rounds of at most `parallelism` activities, the rule's progress the sum of its ranges,
// a failing range ending the copy after its round, an abort cancelling every range in flight.
let t;
let seq = 0;
(0, node_test_1.before)(async () => {
    // On the dev server: aborting ranges in flight races cancels with completions (see env.ts).
    t = await (0, env_1.startSagaEnv)(`copy-ranges-${Date.now()}`, { realServer: temporal_1.TEMPORAL_ADDRESS });
});
(0, node_test_1.after)(async () => {
    await t?.stop();
});
async function start(scenario, plan, carry) {
    const workflowId = `${t.taskQueue}-${++seq}`;
    t.scenarios.set(workflowId, scenario);
    return t.client.workflow.start('upgradeWorkflow', { taskQueue: t.taskQueue, workflowId, args: carry ? [plan, carry] : [plan] });
}
const calls = (h) => t.logs.get(h.workflowId)?.calls ?? [];
async function until(h, pred) {
    for (let i = 0; i < 200; i++) {
        const p = await h.query(names_1.QueryNames.progress);
        if (pred(p))
            return p;
        await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the progress never matched');
}
(0, node_test_1.describe)('copy in key ranges', () => {
    (0, node_test_1.test)('parallelism 3: every rule planned once, independent rules at once, never more than 3 in flight, progress the sum of the ranges', async () => {
        const h = await start({}, { copy: { parallelism: 3 } });
        const result = await h.result();
        strict_1.default.equal(result.phase, 'completed');
        const c = calls(h);
        for (const rule of ['chunks', 'templates', 'slots', 'tags', 'embeddings', 'graph']) {
            strict_1.default.equal(c.filter((x) => x === `planRanges:${rule}`).length, 1, `${rule} planned once`);
        }
        const spans = (0, copy_spans_1.copySpans)(await h.fetchHistory());
        strict_1.default.equal((0, copy_spans_1.maxInFlight)(spans), 3, 'plan.copy.parallelism bounds ranges x rules in flight, and is reached');
        // the stub splits chunks (and embeddings) into 3 ranges, the other rules stay whole
        const slices = spans.filter((s) => s.activity === 'copySlice');
        strict_1.default.ok((0, copy_spans_1.overlapping)(slices, 'chunks', 'templates') && (0, copy_spans_1.overlapping)(slices, 'templates', 'slots'), 'independent rules copied at the same time');
        // embeddings keep only rows whose chunk is in the target: they start after chunks, templates and
        // slots, in the copy step, alongside tags still running
        const firstEmbedding = Math.min(...spans.filter((s) => s.rule === 'embeddings').map((s) => s.scheduledId));
        const needed = spans.filter((s) => ['chunks', 'templates', 'slots'].includes(s.rule));
        strict_1.default.ok(needed.every((s) => s.closedId < firstEmbedding), 'embeddings wait for the rules they need');
        strict_1.default.ok((0, copy_spans_1.overlapping)(spans, 'tags', 'embeddings'), 'embeddings start (their ranges planned) while tags are copied');
        strict_1.default.ok(c.lastIndexOf('copySlice:embeddings/1') < c.indexOf('finishTargetSchema'));
        // every range of a rule copied its two slices, and the rest of the run is the one with parallelism 1
        strict_1.default.equal(c.filter((x) => x.startsWith('copySlice:chunks/')).length, 6);
        strict_1.default.deepEqual(c.filter((x) => x.startsWith('copySlice:templates')), ['copySlice:templates', 'copySlice:templates']);
        const others = (list) => list.filter((x) => !/^(copySlice|planRanges):/.test(x));
        strict_1.default.deepEqual(others(c), others(stubs_1.HAPPY_CALLS));
        const p = await h.query(names_1.QueryNames.progress);
        strict_1.default.deepEqual(p.rules.chunks, { done: 600, total: 600 });
        strict_1.default.deepEqual(p.rules.embeddings, { done: 600, total: 600 });
        strict_1.default.deepEqual(p.rules.templates, { done: 200, total: 200 });
        strict_1.default.deepEqual(p.rules.tags, { done: 200, total: 200 });
    });
    (0, node_test_1.test)('parallelism 2: rounds of at most 2 activities, a small rule not starved by a large one', async () => {
        const h = await start({}, { copy: { parallelism: 2 } });
        strict_1.default.equal((await h.result()).phase, 'completed');
        const spans = (0, copy_spans_1.copySpans)(await h.fetchHistory());
        strict_1.default.equal((0, copy_spans_1.maxInFlight)(spans), 2);
        strict_1.default.ok((0, copy_spans_1.overlapping)(spans.filter((s) => s.activity === 'copySlice'), 'chunks', 'templates'), 'templates copied while chunks still are');
    });
    (0, node_test_1.test)('pause and throttle take effect between rounds: nothing new in flight while paused, every later slice throttled', async () => {
        let h;
        h = await start({
            onSlice: async (input, n) => {
                if (input.rule === 'chunks' && input.range === 1 && n === 1) {
                    await h.signal(names_1.SignalNames.pause);
                    await h.signal(names_1.SignalNames.throttle, { batchSize: 77 });
                }
            },
        }, { copy: { parallelism: 3 } });
        const p = await until(h, (x) => x.phase === 'paused');
        await new Promise((r) => setTimeout(r, 300));
        const copies = () => calls(h).filter((x) => /^(copySlice|planRanges):/.test(x));
        // the round of the pause (chunks/1, templates, slots) ended; no new one started
        strict_1.default.deepEqual(copies().slice(3).sort(), ['copySlice:chunks/1', 'copySlice:slots', 'copySlice:templates']);
        strict_1.default.deepEqual(p.rules.templates, { done: 100, total: 200 });
        strict_1.default.deepEqual(p.rules.chunks, { done: 100, total: 600 });
        await h.signal(names_1.SignalNames.resume);
        strict_1.default.equal((await h.result()).phase, 'completed');
        const slices = t.logs.get(h.workflowId).slices;
        strict_1.default.ok(slices.slice(0, 3).every((s) => s.batchSize === 5000));
        strict_1.default.ok(slices.slice(3).every((s) => s.batchSize === 77), 'every slice after the pause throttled');
    });
    (0, node_test_1.test)('continue-as-new between rounds: the ranges resume from their checkpoints, copied rules stay copied', async () => {
        const h = await start({}, { copy: { parallelism: 3 } }, { historyLimit: 40 });
        strict_1.default.equal((await h.result()).phase, 'completed');
        const desc = await t.client.workflow.getHandle(h.workflowId).describe();
        strict_1.default.notEqual(desc.runId, h.firstExecutionRunId, 'the saga continued as new');
        const c = calls(h);
        // A new execution plans its rules again (the stored ranges come back) and gives each open range a
        // slice; one that had finished answers at once from its checkpoint (the stub: its rows, finished).
        for (const name of ['chunks/1', 'chunks/2', 'chunks/3', 'templates', 'slots', 'tags', 'embeddings/1', 'embeddings/2', 'embeddings/3']) {
            strict_1.default.ok(c.filter((x) => x === `copySlice:${name}`).length >= 2, `${name}: its two slices`);
        }
        // the embeddings, copied in the copy step, are not copied again by their own step after continuing as new
        strict_1.default.ok(c.lastIndexOf('copySlice:embeddings/1') < c.indexOf('finishTargetSchema'));
        strict_1.default.equal(c.filter((x) => x.startsWith('copySlice:graph')).length, 2);
        const p = await t.client.workflow.getHandle(h.workflowId).query(names_1.QueryNames.progress);
        for (const [rule, rows] of [['chunks', 600], ['tags', 200], ['embeddings', 600]]) {
            strict_1.default.deepEqual(p.rules[rule], { done: rows, total: rows }, `${rule}: the sum of its ranges across executions`);
        }
    });
    (0, node_test_1.test)('a failing range fails the rule once the other ranges of its round have ended, then the saga rolls back', async () => {
        const h = await start({ failAt: 'copySlice:chunks/2' }, { copy: { parallelism: 3 } });
        const err = await h.result().then(() => strict_1.default.fail('the workflow should have failed'), (e) => e);
        strict_1.default.ok(err instanceof client_1.WorkflowFailedError && err.cause instanceof common_1.ApplicationFailure, String(err));
        strict_1.default.equal(err.cause.type, 'InjectedFailure');
        const c = calls(h);
        strict_1.default.deepEqual(c.slice(-3), ['removeCapture', 'dropTargetSchema', 'forgetRun'], 'the rollback ran after the round');
        const copies = c.filter((x) => /^(copySlice|planRanges):/.test(x));
        strict_1.default.ok(copies.length - copies.indexOf('copySlice:chunks/2') - 1 <= 2, `no new round after the failure: ${copies.join(', ')}`);
        const spans = (0, copy_spans_1.copySpans)(await h.fetchHistory());
        const failed = spans.find((s) => s.rule === 'chunks' && s.range === 2);
        strict_1.default.ok(spans.every((s) => s.scheduledId < failed.closedId), 'nothing scheduled after the failing slice closed');
        const p = await h.query(names_1.QueryNames.progress);
        strict_1.default.equal(p.phase, 'rolled_back');
    });
    (0, node_test_1.test)('abort while ranges are in flight cancels them, rolls back, fails as Aborted', async () => {
        let h;
        h = await start({
            hangAt: 'copySlice:chunks/3#1',
            onSlice: async (input) => {
                if (input.rule === 'chunks' && input.range === 3)
                    await h.signal(names_1.SignalNames.abort, { reason: 'window over' });
            },
        }, { copy: { parallelism: 3 } });
        const err = await h.result().then(() => strict_1.default.fail('the workflow should have failed'), (e) => e);
        strict_1.default.ok(err instanceof client_1.WorkflowFailedError && err.cause instanceof common_1.ApplicationFailure, String(err));
        strict_1.default.equal(err.cause.type, 'Aborted');
        strict_1.default.deepEqual(calls(h).slice(-3), ['removeCapture', 'dropTargetSchema', 'forgetRun']);
    });
});
//# sourceMappingURL=copy-ranges.test.js.map