import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { PlanInput } from '../../common/plan';
import { QueryNames, SignalNames } from '../../common/names';
import type { Progress } from '../../common/steps';
import type { upgradeWorkflow } from '../../workflows/upgrade';
import { startSagaEnv, type SagaTestEnv } from './env';
import { TEMPORAL_ADDRESS } from '../helpers/temporal';
import { HAPPY_CALLS, type Scenario } from './stubs';

// plan.copy.parallelism in the saga: ranges planned once per rule, one slice per range per round,
// the rule's progress the sum of its ranges, a failing range ending the rule after its round, an abort
// cancelling every range in flight.
let t: SagaTestEnv;
let seq = 0;

before(async () => {
  // On the dev server: aborting ranges in flight races cancels with completions (see env.ts).
  t = await startSagaEnv(`copy-ranges-${Date.now()}`, { realServer: TEMPORAL_ADDRESS });
});
after(async () => {
  await t?.stop();
});

async function start(scenario: Scenario, plan: PlanInput) {
  const workflowId = `${t.taskQueue}-${++seq}`;
  t.scenarios.set(workflowId, scenario);
  return t.client.workflow.start<typeof upgradeWorkflow>('upgradeWorkflow', { taskQueue: t.taskQueue, workflowId, args: [plan] });
}
const calls = (h: WorkflowHandle) => t.logs.get(h.workflowId)?.calls ?? [];

describe('copy in key ranges', () => {
  test('parallelism 3: every rule planned once, rounds of one slice per range, progress the sum of the ranges', async () => {
    const h = await start({}, { copy: { parallelism: 3 } });
    const result = await h.result();
    assert.equal(result.phase, 'completed');
    const c = calls(h);
    for (const rule of ['chunks', 'templates', 'slots', 'tags', 'embeddings', 'graph']) {
      assert.equal(c.filter((x) => x === `planRanges:${rule}`).length, 1, `${rule} planned once`);
    }
    // chunks: two rounds of ranges 1-3; templates (not split by the stub): its slices as before
    const chunkSlices = c.filter((x) => x.startsWith('copySlice:chunks'));
    assert.deepEqual(chunkSlices.slice(0, 3).sort(), ['copySlice:chunks/1', 'copySlice:chunks/2', 'copySlice:chunks/3']);
    assert.deepEqual(chunkSlices.slice(3).sort(), ['copySlice:chunks/1', 'copySlice:chunks/2', 'copySlice:chunks/3']);
    assert.deepEqual(c.filter((x) => x.startsWith('copySlice:templates')), ['copySlice:templates', 'copySlice:templates']);
    // apart from the range calls, the run is the one with parallelism 1
    const plain = c.filter((x) => !x.startsWith('planRanges:')).map((x) => x.replace(/\/\d+$/, ''));
    const dedup = plain.filter((x, i) => !(x.startsWith('copySlice:chunks') || x.startsWith('copySlice:embeddings')) || plain[i - 1] !== x);
    assert.deepEqual(dedup.filter((x) => !/copySlice:(chunks|embeddings)/.test(x)), HAPPY_CALLS.filter((x) => !/copySlice:(chunks|embeddings)/.test(x)));
    const p = await h.query<Progress>(QueryNames.progress);
    assert.deepEqual(p.rules.chunks, { done: 600, total: 600 });
    assert.deepEqual(p.rules.embeddings, { done: 600, total: 600 });
    assert.deepEqual(p.rules.templates, { done: 200, total: 200 });
  });

  test('a failing range fails the rule once the other ranges of its round have ended, then the saga rolls back', async () => {
    const h = await start({ failAt: 'copySlice:chunks/2' }, { copy: { parallelism: 3 } });
    const err = await h.result().then(() => assert.fail('the workflow should have failed'), (e: unknown) => e);
    assert.ok(err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure, String(err));
    assert.equal((err.cause as ApplicationFailure).type, 'InjectedFailure');
    const c = calls(h);
    assert.deepEqual(c.slice(-3), ['removeCapture', 'dropTargetSchema', 'forgetRun'], 'the rollback ran after the round');
    assert.equal(c.filter((x) => x.startsWith('copySlice:chunks')).length, 3, 'no new round after the failure');
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
});
