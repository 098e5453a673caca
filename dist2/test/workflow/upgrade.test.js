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
const stubs_1 = require("./stubs");
let t;
let seq = 0;
(0, node_test_1.before)(async () => {
    t = await (0, env_1.startSagaEnv)();
});
(0, node_test_1.after)(async () => {
    await t?.stop();
});
async function start(scenario, plan = {}, carry) {
    const workflowId = `upgrade-test-${++seq}`;
    t.scenarios.set(workflowId, scenario);
    return t.client.workflow.start('upgradeWorkflow', {
        taskQueue: t.taskQueue,
        workflowId,
        args: carry ? [plan, carry] : [plan],
    });
}
const calls = (h) => t.logs.get(h.workflowId)?.calls ?? [];
const progress = (h) => h.query(names_1.QueryNames.progress);
/** Fails unless the workflow failed with an ApplicationFailure of `type`; returns it. */
async function failure(h, type) {
    const err = await h.result().then(() => strict_1.default.fail('the workflow should have failed'), (e) => e);
    strict_1.default.ok(err instanceof client_1.WorkflowFailedError, String(err));
    strict_1.default.ok(err.cause instanceof common_1.ApplicationFailure, String(err.cause));
    strict_1.default.equal(err.cause.type, type, err.cause.message);
    return err.cause;
}
async function until(h, pred, what) {
    for (let i = 0; i < 200; i++) {
        const p = await progress(h);
        if (pred(p))
            return p;
        await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${what}`);
}
(0, node_test_1.describe)('upgrade saga', () => {
    (0, node_test_1.test)('happy path: every data step in order, progress complete', async () => {
        const h = await start({});
        const result = await h.result();
        strict_1.default.deepEqual(calls(h), stubs_1.HAPPY_CALLS);
        strict_1.default.equal(result.phase, 'completed');
        strict_1.default.equal(result.report?.ok, true);
        strict_1.default.deepEqual(result.steps, { preflight: 'done', backup: 'done', schema: 'done', copy: 'done', embeddings: 'done', graph: 'done', verify: 'done' });
        const p = await progress(h);
        strict_1.default.equal(p.phase, 'completed');
        strict_1.default.deepEqual(p.rules.chunks, { done: 200, total: 200 });
        strict_1.default.deepEqual(Object.keys(p.rules), ['chunks', 'templates', 'slots', 'tags', 'embeddings', 'graph']);
        strict_1.default.deepEqual(p.compensations, []);
        strict_1.default.equal(p.etaSeconds, 0);
        const slice = t.logs.get(h.workflowId).slices[0];
        strict_1.default.equal(slice.batchSize, 5000);
        strict_1.default.equal(slice.maxBatches, 20);
    });
    (0, node_test_1.test)('a bad plan fails at once with every error, before any activity', async () => {
        const h = await start({}, { copy: { batchSize: 'abc' }, steps: ['copy', 'nope'] });
        const f = await failure(h, 'BadInputError');
        strict_1.default.match(f.message, /plan\.copy\.batchSize: expected a positive integer, got "abc"/);
        strict_1.default.match(f.message, /plan\.steps\.1/);
        strict_1.default.deepEqual(calls(h), []);
    });
    (0, node_test_1.test)('policy block with defects: blocked, nothing changed, no compensation', async () => {
        const h = await start({ defects: true });
        const f = await failure(h, 'DefectsFoundError');
        strict_1.default.match(f.message, /orphan_text: 1/);
        strict_1.default.deepEqual(calls(h), ['preflight']);
        const p = await progress(h);
        strict_1.default.equal(p.phase, 'blocked');
        strict_1.default.deepEqual(p.defects?.counts, { orphan_text: 1 });
        strict_1.default.deepEqual(p.compensations, []);
    });
    (0, node_test_1.test)('policy quarantine: defects are quarantined before the copy', async () => {
        const h = await start({ defects: true }, { defects: { policy: 'quarantine' } });
        await h.result();
        const c = calls(h);
        strict_1.default.deepEqual(c.slice(3, 7), ['createTargetSchema', 'installCapture', 'quarantineDefects', 'copySlice:chunks']);
        // preflight is told to leave the defects to quarantineDefects (the stub then reports none): the progress shows quarantine's
        strict_1.default.deepEqual((await progress(h)).defects?.counts, { orphan_text: 1 });
    });
    (0, node_test_1.test)('graph skipped when AGE is absent', async () => {
        const h = await start({ graphSkipped: true }, { graph: { optional: true } });
        const r = await h.result();
        strict_1.default.equal(r.steps.graph, 'skipped');
        strict_1.default.ok(!calls(h).includes('copySlice:graph'));
    });
    (0, node_test_1.test)('a failure at each step runs only the registered compensations, in reverse', async () => {
        const schemaUndo = ['dropTargetSchema', 'forgetRun'];
        // capture goes on at the start of the copy step, its undo before the schema's
        const copyUndo = ['removeCapture', ...schemaUndo];
        const graphUndo = ['dropTargetGraph', ...copyUndo];
        const cases = [
            [{ failAt: 'preflight' }, []],
            [{ failAt: 'acquireRun' }, ['forgetRun']],
            [{ failAt: 'backup' }, ['forgetRun']],
            [{ failAt: 'createTargetSchema' }, schemaUndo],
            [{ failAt: 'installCapture' }, copyUndo],
            [{ failAt: 'quarantineDefects', defects: true }, ['clearQuarantine', ...copyUndo], { defects: { policy: 'quarantine' } }],
            [{ failAt: 'copySlice:chunks' }, copyUndo],
            [{ failAt: 'copySlice:tags' }, copyUndo],
            [{ failAt: 'copySlice:embeddings' }, copyUndo],
            [{ failAt: 'finishTargetSchema' }, copyUndo],
            [{ failAt: 'buildVectorIndex' }, copyUndo],
            [{ failAt: 'prepareGraph' }, graphUndo],
            [{ failAt: 'copySlice:graph' }, graphUndo],
            [{ failAt: 'verify' }, graphUndo],
            [{ failAt: 'releaseRun:completed' }, graphUndo],
        ];
        await Promise.all(cases.map(async ([scenario, undo, plan]) => {
            const h = await start(scenario, plan);
            const f = await failure(h, 'InjectedFailure');
            const c = calls(h);
            const at = c.indexOf(scenario.failAt);
            strict_1.default.deepEqual(c.slice(at + 1), undo, `failAt ${scenario.failAt}`);
            const p = await progress(h);
            strict_1.default.equal(p.phase, undo.length ? 'rolled_back' : 'blocked', `failAt ${scenario.failAt}`);
            strict_1.default.deepEqual(p.compensations.map((x) => x.status), undo.map(() => 'done'));
            strict_1.default.match(f.message, /injected failure/);
            if (undo.includes('forgetRun') && scenario.failAt !== 'acquireRun')
                strict_1.default.equal(t.logs.get(h.workflowId).dropBookkeeping, true);
        }));
    });
    (0, node_test_1.test)('a failed verification rolls back with VerificationError and keeps the report', async () => {
        const h = await start({ verifyOk: false });
        const f = await failure(h, 'VerificationError');
        strict_1.default.match(f.message, /invalid_metadata/);
        const p = await progress(h);
        strict_1.default.equal(p.report?.ok, false);
        strict_1.default.equal(p.phase, 'rolled_back');
        strict_1.default.equal(p.steps.verify, 'failed');
        strict_1.default.equal(p.steps.schema, 'compensated');
    });
    (0, node_test_1.test)('abort during a copy slice cancels it, rolls back, fails as Aborted', async () => {
        let h;
        const scenario = {
            hangAt: 'copySlice:chunks#2',
            onSlice: async (input, n) => {
                if (input.rule === 'chunks' && n === 2)
                    await h.signal(names_1.SignalNames.abort, { reason: 'maintenance window over' });
            },
        };
        h = await start(scenario);
        const f = await failure(h, 'Aborted');
        strict_1.default.match(f.message, /maintenance window over/);
        const c = calls(h);
        strict_1.default.deepEqual(c.slice(c.lastIndexOf('copySlice:chunks') + 1), ['removeCapture', 'dropTargetSchema', 'forgetRun']);
        const p = await progress(h);
        strict_1.default.equal(p.phase, 'rolled_back');
        strict_1.default.deepEqual(p.rules.chunks, { done: 100, total: 200 });
    });
    (0, node_test_1.test)('cancellation runs the compensations, then the workflow is cancelled', async () => {
        let h;
        h = await start({
            hangAt: 'copySlice:templates#1',
            onSlice: async (input, n) => {
                if (input.rule === 'templates' && n === 1)
                    await h.cancel();
            },
        });
        const err = await h.result().catch((e) => e);
        strict_1.default.ok(err instanceof client_1.WorkflowFailedError && err.cause instanceof common_1.CancelledFailure, String(err));
        const c = calls(h);
        strict_1.default.deepEqual(c.slice(c.indexOf('copySlice:templates') + 1), ['removeCapture', 'dropTargetSchema', 'forgetRun']);
        const p = await progress(h);
        strict_1.default.equal(p.phase, 'rolled_back');
        strict_1.default.equal(p.error, 'workflow cancelled');
    });
    (0, node_test_1.test)('a failing compensation stops the rollback: rollback_failed with what is left', async () => {
        const h = await start({ failAt: 'copySlice:chunks', failCompensation: 'dropTargetSchema' });
        const f = await failure(h, 'RollbackFailed');
        strict_1.default.match(f.message, /schema\.dropTargetSchema, preflight\.forgetRun/);
        const c = calls(h);
        strict_1.default.deepEqual(c.slice(c.indexOf('copySlice:chunks') + 1), ['removeCapture', 'dropTargetSchema', 'releaseRun:rollback_failed']);
        const [p, left] = f.details;
        strict_1.default.equal(p.phase, 'rollback_failed');
        strict_1.default.deepEqual(left, ['schema.dropTargetSchema', 'preflight.forgetRun']);
        strict_1.default.deepEqual(p.compensations.map((x) => x.status), ['done', 'failed', 'pending']);
    });
    (0, node_test_1.test)('pause takes effect between slices; progress, throttle and resume', async () => {
        let h;
        h = await start({
            slicesPerRule: 3,
            onSlice: async (input, n) => {
                if (input.rule === 'chunks' && n === 1) {
                    await h.signal(names_1.SignalNames.pause);
                    await h.signal(names_1.SignalNames.throttle, { batchSize: 77, throttleMs: 5 });
                }
            },
        });
        const p = await until(h, (x) => x.phase === 'paused', 'the pause');
        await new Promise((r) => setTimeout(r, 200));
        strict_1.default.equal(calls(h).filter((c) => c.startsWith('copySlice')).length, 1);
        strict_1.default.equal(p.paused, true);
        strict_1.default.equal(p.step, 'copy');
        strict_1.default.equal(p.steps.preflight, 'done');
        strict_1.default.equal(p.steps.copy, 'running');
        strict_1.default.deepEqual(p.rules.chunks, { done: 100, total: 300 });
        strict_1.default.deepEqual(p.rules.tags, { done: 0, total: 0 });
        strict_1.default.equal(p.batchSize, 77);
        await h.signal(names_1.SignalNames.resume);
        const r = await h.result();
        strict_1.default.equal(r.phase, 'completed');
        const slices = t.logs.get(h.workflowId).slices;
        strict_1.default.equal(slices[0].batchSize, 5000);
        strict_1.default.equal(slices[1].batchSize, 77);
        strict_1.default.equal(slices[1].plan.copy.batchSize, 77);
        strict_1.default.equal(slices[1].plan.copy.throttleMs, 5);
        strict_1.default.equal(slices.at(-1).batchSize, 77); // graph: min(throttle, plan.graph.batchSize)
    });
    (0, node_test_1.test)('continue-as-new with a low history limit keeps steps, progress and compensations', async () => {
        const h = await start({ slicesPerRule: 4, verifyOk: false }, {}, { historyLimit: 40 });
        await failure(h, 'VerificationError');
        const c = calls(h);
        for (const once of ['preflight', 'acquireRun', 'backup', 'createTargetSchema', 'prepareGraph']) {
            strict_1.default.equal(c.filter((x) => x === once).length, 1, once);
        }
        strict_1.default.equal(c.filter((x) => x === 'copySlice:chunks').length, 4);
        strict_1.default.deepEqual(c.slice(c.indexOf('verify') + 1), ['dropTargetGraph', 'removeCapture', 'dropTargetSchema', 'forgetRun']);
        const desc = await t.client.workflow.getHandle(h.workflowId).describe();
        strict_1.default.notEqual(desc.runId, h.firstExecutionRunId, 'the saga continued as new');
        const p = await t.client.workflow.getHandle(h.workflowId).query(names_1.QueryNames.progress);
        strict_1.default.deepEqual(p.rules.graph, { done: 400, total: 400 });
        strict_1.default.equal(p.steps.schema, 'compensated');
        strict_1.default.equal(p.steps.copy, 'compensated'); // its capture was removed (no quarantine under policy block)
    });
    (0, node_test_1.test)('continue-as-new on the happy path completes with the same calls', async () => {
        const h = await start({}, {}, { historyLimit: 30 });
        const r = await h.result();
        strict_1.default.equal(r.phase, 'completed');
        strict_1.default.deepEqual(calls(h), stubs_1.HAPPY_CALLS);
    });
    (0, node_test_1.test)('policy quarantine across continue-as-new: the defects found by quarantineDefects reach the progress', async () => {
        // a limit this low continues as new before every step, so preflight's decision must travel in the carried state
        const h = await start({ defects: true }, { defects: { policy: 'quarantine' } }, { historyLimit: 10 });
        strict_1.default.equal((await h.result()).phase, 'completed');
        const desc = await t.client.workflow.getHandle(h.workflowId).describe();
        strict_1.default.notEqual(desc.runId, h.firstExecutionRunId, 'the saga continued as new');
        const p = await t.client.workflow.getHandle(h.workflowId).query(names_1.QueryNames.progress);
        strict_1.default.deepEqual(p.defects?.counts, { orphan_text: 1 });
    });
    (0, node_test_1.test)('verifyWorkflow runs verify alone', async () => {
        const id = `verify-test-${++seq}`;
        const report = await t.client.workflow.execute('verifyWorkflow', { taskQueue: t.taskQueue, workflowId: id, args: [{ plan: {}, runId: 'run-7' }] });
        strict_1.default.equal(report.runId, 'run-7');
        strict_1.default.deepEqual(t.logs.get(id)?.calls, ['verify']);
    });
});
//# sourceMappingURL=upgrade.test.js.map