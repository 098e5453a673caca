import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { PlanInput } from '../../common/plan';
import { QueryNames, SignalNames } from '../../common/names';
import type { Progress } from '../../common/steps';
import type { UpgradeCarry } from '../../common/upgrade-input';
import type { upgradeWorkflow } from '../../workflows/upgrade';
import { startSagaEnv, type SagaTestEnv } from './env';
import { HAPPY_CALLS, type Scenario } from './stubs';

let t: SagaTestEnv;
let seq = 0;

before(async () => {
  t = await startSagaEnv();
});
after(async () => {
  await t?.stop();
});

async function start(scenario: Scenario, plan: PlanInput = {}, carry?: UpgradeCarry) {
  const workflowId = `upgrade-test-${++seq}`;
  t.scenarios.set(workflowId, scenario);
  return t.client.workflow.start<typeof upgradeWorkflow>('upgradeWorkflow', {
    taskQueue: t.taskQueue,
    workflowId,
    args: carry ? [plan, carry] : [plan],
  });
}

const calls = (h: WorkflowHandle) => t.logs.get(h.workflowId)?.calls ?? [];
const progress = (h: WorkflowHandle) => h.query<Progress>(QueryNames.progress);

/** Fails unless the workflow failed with an ApplicationFailure of `type`; returns it. */
async function failure(h: WorkflowHandle, type: string): Promise<ApplicationFailure> {
  const err = await h.result().then(
    () => assert.fail('the workflow should have failed'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof WorkflowFailedError, String(err));
  assert.ok(err.cause instanceof ApplicationFailure, String(err.cause));
  assert.equal(err.cause.type, type, err.cause.message);
  return err.cause;
}

async function until(h: WorkflowHandle, pred: (p: Progress) => boolean, what: string): Promise<Progress> {
  for (let i = 0; i < 200; i++) {
    const p = await progress(h);
    if (pred(p)) return p;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('upgrade saga', () => {
  test('happy path: every data step in order, progress complete', async () => {
    const h = await start({});
    const result = await h.result();
    assert.deepEqual(calls(h), HAPPY_CALLS);
    assert.equal(result.phase, 'completed');
    assert.equal(result.report?.ok, true);
    assert.deepEqual(result.steps, { preflight: 'done', backup: 'done', schema: 'done', copy: 'done', embeddings: 'done', graph: 'done', verify: 'done' });
    const p = await progress(h);
    assert.equal(p.phase, 'completed');
    assert.deepEqual(p.rules.chunks, { done: 200, total: 200 });
    assert.deepEqual(Object.keys(p.rules), ['chunks', 'templates', 'slots', 'tags', 'embeddings', 'graph']);
    assert.deepEqual(p.compensations, []);
    assert.equal(p.etaSeconds, 0);
    const slice = t.logs.get(h.workflowId)!.slices[0];
    assert.equal(slice.batchSize, 5000);
    assert.equal(slice.maxBatches, 20);
  });

  test('a bad plan fails at once with every error, before any activity', async () => {
    const h = await start({}, { copy: { batchSize: 'abc' as never }, steps: ['copy', 'nope' as never] });
    const f = await failure(h, 'BadInputError');
    assert.match(f.message, /plan\.copy\.batchSize: expected a positive integer, got "abc"/);
    assert.match(f.message, /plan\.steps\.1/);
    assert.deepEqual(calls(h), []);
  });

  test('policy block with defects: blocked, nothing changed, no compensation', async () => {
    const h = await start({ defects: true });
    const f = await failure(h, 'DefectsFoundError');
    assert.match(f.message, /orphan_text: 1/);
    assert.deepEqual(calls(h), ['preflight']);
    const p = await progress(h);
    assert.equal(p.phase, 'blocked');
    assert.deepEqual(p.defects?.counts, { orphan_text: 1 });
    assert.deepEqual(p.compensations, []);
  });

  test('policy quarantine: defects are quarantined before the copy', async () => {
    const h = await start({ defects: true }, { defects: { policy: 'quarantine' } });
    await h.result();
    const c = calls(h);
    assert.deepEqual(c.slice(3, 7), ['createTargetSchema', 'installCapture', 'quarantineDefects', 'copySlice:chunks']);
    // preflight is told to leave the defects to quarantineDefects (the stub then reports none): the progress shows quarantine's
    assert.deepEqual((await progress(h)).defects?.counts, { orphan_text: 1 });
  });

  test('graph skipped when AGE is absent', async () => {
    const h = await start({ graphSkipped: true }, { graph: { optional: true } });
    const r = await h.result();
    assert.equal(r.steps.graph, 'skipped');
    assert.ok(!calls(h).includes('copySlice:graph'));
  });

  test('a failure at each step runs only the registered compensations, in reverse', async () => {
    const schemaUndo = ['dropTargetSchema', 'forgetRun'];
    // capture goes on at the start of the copy step, its undo before the schema's
    const copyUndo = ['removeCapture', ...schemaUndo];
    const graphUndo = ['dropTargetGraph', ...copyUndo];
    const cases: [Scenario, string[], PlanInput?][] = [
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
    await Promise.all(
      cases.map(async ([scenario, undo, plan]) => {
        const h = await start(scenario, plan);
        const f = await failure(h, 'InjectedFailure');
        const c = calls(h);
        const at = c.indexOf(scenario.failAt!);
        assert.deepEqual(c.slice(at + 1), undo, `failAt ${scenario.failAt}`);
        const p = await progress(h);
        assert.equal(p.phase, undo.length ? 'rolled_back' : 'blocked', `failAt ${scenario.failAt}`);
        assert.deepEqual(p.compensations.map((x) => x.status), undo.map(() => 'done'));
        assert.match(f.message, /injected failure/);
        if (undo.includes('forgetRun') && scenario.failAt !== 'acquireRun') assert.equal(t.logs.get(h.workflowId)!.dropBookkeeping, true);
      }),
    );
  });

  test('a failed verification rolls back with VerificationError and keeps the report', async () => {
    const h = await start({ verifyOk: false });
    const f = await failure(h, 'VerificationError');
    assert.match(f.message, /invalid_metadata/);
    const p = await progress(h);
    assert.equal(p.report?.ok, false);
    assert.equal(p.phase, 'rolled_back');
    assert.equal(p.steps.verify, 'failed');
    assert.equal(p.steps.schema, 'compensated');
  });

  test('abort during a copy slice cancels it, rolls back, fails as Aborted', async () => {
    let h!: WorkflowHandle;
    const scenario: Scenario = {
      hangAt: 'copySlice:chunks#2',
      onSlice: async (input, n) => {
        if (input.rule === 'chunks' && n === 2) await h.signal(SignalNames.abort, { reason: 'maintenance window over' });
      },
    };
    h = await start(scenario);
    const f = await failure(h, 'Aborted');
    assert.match(f.message, /maintenance window over/);
    const c = calls(h);
    assert.deepEqual(c.slice(c.lastIndexOf('copySlice:chunks') + 1), ['removeCapture', 'dropTargetSchema', 'forgetRun']);
    const p = await progress(h);
    assert.equal(p.phase, 'rolled_back');
    assert.deepEqual(p.rules.chunks, { done: 100, total: 200 });
  });

  test('cancellation runs the compensations, then the workflow is cancelled', async () => {
    let h!: WorkflowHandle;
    h = await start({
      hangAt: 'copySlice:templates#1',
      onSlice: async (input, n) => {
        if (input.rule === 'templates' && n === 1) await h.cancel();
      },
    });
    const err = await h.result().catch((e: unknown) => e);
    assert.ok(err instanceof WorkflowFailedError && err.cause instanceof CancelledFailure, String(err));
    const c = calls(h);
    assert.deepEqual(c.slice(c.indexOf('copySlice:templates') + 1), ['removeCapture', 'dropTargetSchema', 'forgetRun']);
    const p = await progress(h);
    assert.equal(p.phase, 'rolled_back');
    assert.equal(p.error, 'workflow cancelled');
  });

  test('a failing compensation stops the rollback: rollback_failed with what is left', async () => {
    const h = await start({ failAt: 'copySlice:chunks', failCompensation: 'dropTargetSchema' });
    const f = await failure(h, 'RollbackFailed');
    assert.match(f.message, /schema\.dropTargetSchema, preflight\.forgetRun/);
    const c = calls(h);
    assert.deepEqual(c.slice(c.indexOf('copySlice:chunks') + 1), ['removeCapture', 'dropTargetSchema', 'releaseRun:rollback_failed']);
    const [p, left] = f.details as [Progress, string[]];
    assert.equal(p.phase, 'rollback_failed');
    assert.deepEqual(left, ['schema.dropTargetSchema', 'preflight.forgetRun']);
    assert.deepEqual(p.compensations.map((x) => x.status), ['done', 'failed', 'pending']);
  });

  test('pause takes effect between slices; progress, throttle and resume', async () => {
    let h!: WorkflowHandle;
    h = await start({
      slicesPerRule: 3,
      onSlice: async (input, n) => {
        if (input.rule === 'chunks' && n === 1) {
          await h.signal(SignalNames.pause);
          await h.signal(SignalNames.throttle, { batchSize: 77, throttleMs: 5 });
        }
      },
    });
    const p = await until(h, (x) => x.phase === 'paused', 'the pause');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(calls(h).filter((c) => c.startsWith('copySlice')).length, 1);
    assert.equal(p.paused, true);
    assert.equal(p.step, 'copy');
    assert.equal(p.steps.preflight, 'done');
    assert.equal(p.steps.copy, 'running');
    assert.deepEqual(p.rules.chunks, { done: 100, total: 300 });
    assert.deepEqual(p.rules.tags, { done: 0, total: 0 });
    assert.equal(p.batchSize, 77);
    await h.signal(SignalNames.resume);
    const r = await h.result();
    assert.equal(r.phase, 'completed');
    const slices = t.logs.get(h.workflowId)!.slices;
    assert.equal(slices[0].batchSize, 5000);
    assert.equal(slices[1].batchSize, 77);
    assert.equal(slices[1].plan.copy.batchSize, 77);
    assert.equal(slices[1].plan.copy.throttleMs, 5);
    assert.equal(slices.at(-1)!.batchSize, 77); // graph: min(throttle, plan.graph.batchSize)
  });

  test('continue-as-new with a low history limit keeps steps, progress and compensations', async () => {
    const h = await start({ slicesPerRule: 4, verifyOk: false }, {}, { historyLimit: 40 });
    await failure(h, 'VerificationError');
    const c = calls(h);
    for (const once of ['preflight', 'acquireRun', 'backup', 'createTargetSchema', 'prepareGraph']) {
      assert.equal(c.filter((x) => x === once).length, 1, once);
    }
    assert.equal(c.filter((x) => x === 'copySlice:chunks').length, 4);
    assert.deepEqual(c.slice(c.indexOf('verify') + 1), ['dropTargetGraph', 'removeCapture', 'dropTargetSchema', 'forgetRun']);
    const desc = await t.client.workflow.getHandle(h.workflowId).describe();
    assert.notEqual(desc.runId, h.firstExecutionRunId, 'the saga continued as new');
    const p = await t.client.workflow.getHandle(h.workflowId).query<Progress>(QueryNames.progress);
    assert.deepEqual(p.rules.graph, { done: 400, total: 400 });
    assert.equal(p.steps.schema, 'compensated');
    assert.equal(p.steps.copy, 'compensated'); // its capture was removed (no quarantine under policy block)
  });

  test('continue-as-new on the happy path completes with the same calls', async () => {
    const h = await start({}, {}, { historyLimit: 30 });
    const r = await h.result();
    assert.equal(r.phase, 'completed');
    assert.deepEqual(calls(h), HAPPY_CALLS);
  });

  test('policy quarantine across continue-as-new: the defects found by quarantineDefects reach the progress', async () => {
    // a limit this low continues as new before every step, so preflight's decision must travel in the carried state
    const h = await start({ defects: true }, { defects: { policy: 'quarantine' } }, { historyLimit: 10 });
    assert.equal((await h.result()).phase, 'completed');
    const desc = await t.client.workflow.getHandle(h.workflowId).describe();
    assert.notEqual(desc.runId, h.firstExecutionRunId, 'the saga continued as new');
    const p = await t.client.workflow.getHandle(h.workflowId).query<Progress>(QueryNames.progress);
    assert.deepEqual(p.defects?.counts, { orphan_text: 1 });
    assert.equal(p.defectsPending, undefined, 'the copy step reported: no longer pending');
  });

  test('verifyWorkflow runs verify alone', async () => {
    const id = `verify-test-${++seq}`;
    const report = await t.client.workflow.execute('verifyWorkflow', { taskQueue: t.taskQueue, workflowId: id, args: [{ plan: {}, runId: 'run-7' }] });
    assert.equal(report.runId, 'run-7');
    assert.deepEqual(t.logs.get(id)?.calls, ['verify']);
  });
});
