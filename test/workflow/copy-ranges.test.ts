import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { PlanInput } from '../../common/plan';
import { QueryNames, SignalNames } from '../../common/names';
import type { Progress } from '../../common/steps';
import type { UpgradeCarry } from '../../common/upgrade-input';
import type { upgradeWorkflow } from '../../workflows/upgrade';
import { startSagaEnv, type SagaTestEnv } from './env';
import { TEMPORAL_ADDRESS } from '../helpers/temporal';
import { HAPPY_CALLS, type Scenario } from './stubs';
import { copySpans, maxInFlight, overlapping } from '../helpers/copy-spans';

// plan.copy.parallelism in the saga: ranges planned once per rule, independent rules copied at the
// same time in rounds of at most `parallelism` activities, the rule's progress the sum of its ranges,
// a failing range ending the copy after its round, an abort cancelling every range in flight.
let t: SagaTestEnv;
let seq = 0;

before(async () => {
  // On the dev server: aborting ranges in flight races cancels with completions (see env.ts).
  t = await startSagaEnv(`copy-ranges-${Date.now()}`, { realServer: TEMPORAL_ADDRESS });
});
after(async () => {
  await t?.stop();
});

async function start(scenario: Scenario, plan: PlanInput, carry?: UpgradeCarry) {
  const workflowId = `${t.taskQueue}-${++seq}`;
  t.scenarios.set(workflowId, scenario);
  return t.client.workflow.start<typeof upgradeWorkflow>('upgradeWorkflow', { taskQueue: t.taskQueue, workflowId, args: carry ? [plan, carry] : [plan] });
}
const calls = (h: WorkflowHandle) => t.logs.get(h.workflowId)?.calls ?? [];

async function until(h: WorkflowHandle, pred: (p: Progress) => boolean): Promise<Progress> {
  for (let i = 0; i < 200; i++) {
    const p = await h.query<Progress>(QueryNames.progress);
    if (pred(p)) return p;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the progress never matched');
}

describe('copy in key ranges', () => {
  test('parallelism 3: every rule planned once, independent rules at once, never more than 3 in flight, progress the sum of the ranges', async () => {
    const h = await start({}, { copy: { parallelism: 3 } });
    const result = await h.result();
    assert.equal(result.phase, 'completed');
    const c = calls(h);
    for (const rule of ['chunks', 'templates', 'slots', 'tags', 'embeddings', 'graph']) {
      assert.equal(c.filter((x) => x === `planRanges:${rule}`).length, 1, `${rule} planned once`);
    }
    const spans = copySpans(await h.fetchHistory());
    assert.equal(maxInFlight(spans), 3, 'plan.copy.parallelism bounds ranges x rules in flight, and is reached');
    // the stub splits chunks (and embeddings) into 3 ranges, the other rules stay whole
    const slices = spans.filter((s) => s.activity === 'copySlice');
    assert.ok(overlapping(slices, 'chunks', 'templates') && overlapping(slices, 'templates', 'slots'), 'independent rules copied at the same time');
    // embeddings keep only rows whose chunk is in the target: they start after chunks, templates and
    // slots, in the copy step, alongside tags still running
    const firstEmbedding = Math.min(...spans.filter((s) => s.rule === 'embeddings').map((s) => s.scheduledId));
    const needed = spans.filter((s) => ['chunks', 'templates', 'slots'].includes(s.rule));
    assert.ok(needed.every((s) => s.closedId < firstEmbedding), 'embeddings wait for the rules they need');
    assert.ok(overlapping(spans, 'tags', 'chunks'), 'tags copied while chunks still are');
    assert.ok(c.lastIndexOf('copySlice:embeddings/1') < c.indexOf('finishTargetSchema'));
    // the graph reads no target table: prepared at the start of the copy step, copied beside the others
    assert.ok(overlapping(slices, 'graph', 'chunks'), 'graph copied beside the other rules');
    assert.ok(c.lastIndexOf('copySlice:graph') < c.indexOf('finishTargetSchema'), 'graph copied in the copy step');
    assert.equal(c.filter((x) => x === 'prepareGraph').length, 1);
    // every range of a rule copied its two slices, and the rest of the run is the one with parallelism 1
    assert.equal(c.filter((x) => x.startsWith('copySlice:chunks/')).length, 6);
    assert.deepEqual(c.filter((x) => x.startsWith('copySlice:templates')), ['copySlice:templates', 'copySlice:templates']);
    const others = (list: string[]) => list.filter((x) => !/^(copySlice|planRanges):/.test(x) && x !== 'prepareGraph');
    assert.deepEqual(others(c), others(HAPPY_CALLS));
    assert.equal(c.indexOf('prepareGraph'), c.indexOf('installCapture') + 1, 'the target graph made before the first rule is copied');
    const p = await h.query<Progress>(QueryNames.progress);
    assert.deepEqual(p.rules.chunks, { done: 600, total: 600 });
    assert.deepEqual(p.rules.embeddings, { done: 600, total: 600 });
    assert.deepEqual(p.rules.templates, { done: 200, total: 200 });
    assert.deepEqual(p.rules.tags, { done: 200, total: 200 });
  });

  test('parallelism 2: rounds of at most 2 activities, a small rule not starved by a large one', async () => {
    const h = await start({}, { copy: { parallelism: 2 } });
    assert.equal((await h.result()).phase, 'completed');
    const spans = copySpans(await h.fetchHistory());
    assert.equal(maxInFlight(spans), 2);
    assert.ok(overlapping(spans.filter((s) => s.activity === 'copySlice'), 'chunks', 'templates'), 'templates copied while chunks still are');
  });

  test('pause and throttle take effect between rounds: nothing new in flight while paused, every later slice throttled', async () => {
    let h!: WorkflowHandle;
    h = await start({
      onSlice: async (input, n) => {
        if (input.rule === 'chunks' && input.range === 1 && n === 1) {
          await h.signal(SignalNames.pause);
          await h.signal(SignalNames.throttle, { batchSize: 77 });
        }
      },
    }, { copy: { parallelism: 3 } });
    const p = await until(h, (x) => x.phase === 'paused');
    await new Promise((r) => setTimeout(r, 300));
    const copies = () => calls(h).filter((x) => /^(copySlice|planRanges):/.test(x));
    // the round of the pause (chunks/1, templates, slots) ended; no new one started
    assert.deepEqual(copies().slice(3).sort(), ['copySlice:chunks/1', 'copySlice:slots', 'copySlice:templates']);
    assert.deepEqual(p.rules.templates, { done: 100, total: 200 });
    assert.deepEqual(p.rules.chunks, { done: 100, total: 600 });
    await h.signal(SignalNames.resume);
    assert.equal((await h.result()).phase, 'completed');
    const slices = t.logs.get(h.workflowId)!.slices;
    assert.ok(slices.slice(0, 3).every((s) => s.batchSize === 5000));
    assert.ok(slices.slice(3).every((s) => s.batchSize === 77), 'every slice after the pause throttled');
  });

  test('continue-as-new between rounds: the ranges resume from their checkpoints, copied rules stay copied', async () => {
    const h = await start({}, { copy: { parallelism: 3 } }, { historyLimit: 40 });
    assert.equal((await h.result()).phase, 'completed');
    const desc = await t.client.workflow.getHandle(h.workflowId).describe();
    assert.notEqual(desc.runId, h.firstExecutionRunId, 'the saga continued as new');
    const c = calls(h);
    // A new execution plans its rules again: the stored ranges come back with those already copied to
    // the end, which get no slice again. Every range and rule is copied in exactly its two slices.
    for (const name of ['chunks/1', 'chunks/2', 'chunks/3', 'templates', 'slots', 'tags', 'embeddings/1', 'embeddings/2', 'embeddings/3', 'graph']) {
      assert.equal(c.filter((x) => x === `copySlice:${name}`).length, 2, `${name}: its two slices, no more`);
    }
    // the embeddings, copied in the copy step, are not copied again by their own step after continuing as new
    assert.ok(c.lastIndexOf('copySlice:embeddings/1') < c.indexOf('finishTargetSchema'));
    const p = await t.client.workflow.getHandle(h.workflowId).query<Progress>(QueryNames.progress);
    for (const [rule, rows] of [['chunks', 600], ['tags', 200], ['embeddings', 600]] as const) {
      assert.deepEqual(p.rules[rule], { done: rows, total: rows }, `${rule}: the sum of its ranges across executions`);
    }
  });

  test('a failing range fails the rule once the other ranges of its round have ended, then the saga rolls back', async () => {
    const h = await start({ failAt: 'copySlice:chunks/2' }, { copy: { parallelism: 3 } });
    const err = await h.result().then(() => assert.fail('the workflow should have failed'), (e: unknown) => e);
    assert.ok(err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure, String(err));
    assert.equal((err.cause as ApplicationFailure).type, 'InjectedFailure');
    const c = calls(h);
    assert.deepEqual(c.slice(-3), ['removeCapture', 'dropTargetSchema', 'forgetRun'], 'the rollback ran after the round');
    const copies = c.filter((x) => /^(copySlice|planRanges):/.test(x));
    assert.ok(copies.length - copies.indexOf('copySlice:chunks/2') - 1 <= 2, `no new round after the failure: ${copies.join(', ')}`);
    const spans = copySpans(await h.fetchHistory());
    const failed = spans.find((s) => s.rule === 'chunks' && s.range === 2)!;
    assert.ok(spans.every((s) => s.scheduledId < failed.closedId), 'nothing scheduled after the failing slice closed');
    const p = await h.query<Progress>(QueryNames.progress);
    assert.equal(p.phase, 'rolled_back');
  });

  test('abort while ranges are in flight cancels them, rolls back, fails as Aborted', async () => {
    let h!: WorkflowHandle;
    h = await start({
      hangAt: 'copySlice:chunks/3#1',
      onSlice: async (input) => {
        if (input.rule === 'chunks' && input.range === 3) await h.signal(SignalNames.abort, { reason: 'window over' });
      },
    }, { copy: { parallelism: 3 } });
    const err = await h.result().then(() => assert.fail('the workflow should have failed'), (e: unknown) => e);
    assert.ok(err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure, String(err));
    assert.equal((err.cause as ApplicationFailure).type, 'Aborted');
    assert.deepEqual(calls(h).slice(-3), ['removeCapture', 'dropTargetSchema', 'forgetRun']);
  });

  test('the graph beside the other rules: a failing graph slice rolls the target graph back with the copy', async () => {
    const h = await start({ failAt: 'copySlice:graph' }, { copy: { parallelism: 3 } });
    const err = await h.result().then(() => assert.fail('the workflow should have failed'), (e: unknown) => e);
    assert.ok(err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure, String(err));
    assert.equal((err.cause as ApplicationFailure).type, 'InjectedFailure');
    const c = calls(h);
    assert.ok(!c.includes('finishTargetSchema'), 'failed in the copy step');
    assert.deepEqual(c.slice(-4), ['dropTargetGraph', 'removeCapture', 'dropTargetSchema', 'forgetRun']);
    const p = await h.query<Progress>(QueryNames.progress);
    assert.equal(p.steps.copy, 'compensated');
    assert.equal(p.steps.graph, 'pending', 'the graph step itself never started');
  });

  test('a graph skipped (plan.graph.optional, no AGE) is found so in the copy step and its step shows skipped', async () => {
    const h = await start({ graphSkipped: true }, { copy: { parallelism: 3 }, graph: { optional: true } });
    const r = await h.result();
    assert.equal(r.phase, 'completed');
    assert.equal(r.steps.graph, 'skipped');
    const c = calls(h);
    assert.deepEqual(c.filter((x) => x === 'prepareGraph' || x.startsWith('copySlice:graph') || x === 'planRanges:graph'), ['prepareGraph']);
    assert.equal(c.indexOf('prepareGraph'), c.indexOf('installCapture') + 1);
  });
});
