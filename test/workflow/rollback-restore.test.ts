import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { QueryNames, WorkflowTypes } from '../../common/names';
import { ALL_STEPS, parsePlan, type Plan, type PlanInput } from '../../common/plan';
import type { RollbackResult } from '../../common/rollback';
import type { Progress } from '../../common/steps';
import { type ReleaseScenario, startReleaseEnv, type ReleaseTestEnv } from './release-stubs';

// The emergency rollback's restore of the previous configuration and binary (emergency_rollback.sh),
// on the time-skipping server with stub activities.
let t: ReleaseTestEnv;
let seq = 0;
before(async () => {
  t = await startReleaseEnv('rollback-restore-test');
});
after(async () => {
  await t?.stop();
});

function plan(backup: PlanInput['backup'] = { config: '/etc/semantic-text-processor', binary: '/usr/local/bin/semantic-text-processor' }): Plan {
  const p = parsePlan({ steps: [...ALL_STEPS], backup, release: { drainSeconds: 0 }, sync: { enabled: false } });
  assert.ok(p.ok);
  return p.plan;
}

async function rollback(runId: string, scenario: ReleaseScenario) {
  const workflowId = `${runId}-rollback-${++seq}`;
  t.scenarios.set(workflowId, scenario);
  const r = await t.env.client.workflow.execute(WorkflowTypes.rollback, { taskQueue: t.taskQueue, workflowId, args: [{ runId }] });
  return { r: r as RollbackResult, calls: t.logs.get(workflowId)?.calls ?? [] };
}

const REVERT = ['unfinalize', 'startBlue', 'switchBack', 'stopInstance:green', 'dropTargetGraph', 'removeCapture', 'dropTargetSchema', 'forgetRun'];

describe('emergency rollback restores configuration and binary', () => {
  test('files that differ are restored first, blue restarts on them and is healthy; the result lists them', async () => {
    const restored = ['/etc/semantic-text-processor/config.yaml', '/usr/local/bin/semantic-text-processor'];
    const { r, calls } = await rollback('restore-run', { record: { status: 'completed', plan: plan(), createdBookkeeping: false }, restored });
    assert.deepEqual(calls, ['loadRun', 'releaseRun:rolling_back', 'restoreArtifacts', 'restartBlue', ...REVERT]);
    assert.equal(r.mode, 'reverted');
    assert.deepEqual(r.restored, restored);
    assert.equal(r.blueRestarted, true);
    assert.match(r.message, /restored from the backup: \/etc\/semantic-text-processor\/config\.yaml, \/usr\/local\/bin\/semantic-text-processor; blue restarted \(healthy\)/);
  });

  test('nothing differs: nothing restored, blue not restarted', async () => {
    const { r, calls } = await rollback('same-run', { record: { status: 'completed', plan: plan(), createdBookkeeping: false } });
    assert.deepEqual(calls, ['loadRun', 'releaseRun:rolling_back', 'restoreArtifacts', ...REVERT]);
    assert.deepEqual(r.restored, []);
    assert.equal(r.blueRestarted, false);
  });

  test('a plan that backed up neither: no restore step, no restored field', async () => {
    const { r, calls } = await rollback('plain-run', { record: { status: 'completed', plan: plan({}), createdBookkeeping: false } });
    assert.deepEqual(calls, ['loadRun', 'releaseRun:rolling_back', ...REVERT]);
    assert.equal(r.restored, undefined);
  });

  test('a restore that fails is a failed rollback: nothing else undone, the run marked rollback_failed', async () => {
    const err = await rollback('broken-run', { record: { status: 'completed', plan: plan(), createdBookkeeping: false }, failCompensation: 'restoreArtifacts' })
      .then(() => assert.fail('should fail'), (e: unknown) => e);
    assert.ok(err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure, String(err));
    assert.equal(err.cause.type, 'RollbackFailed');
    assert.match(err.cause.message, /backup\.restoreArtifacts: injected failure/);
    const calls = t.logs.get(`broken-run-rollback-${seq}`)?.calls ?? [];
    assert.deepEqual(calls.slice(0, 3), ['loadRun', 'releaseRun:rolling_back', 'restoreArtifacts']);
    assert.ok(!calls.includes('unfinalize'));
    assert.ok(calls.includes('releaseRun:rollback_failed'));
  });

  test('an open run: its record is read before the abort, then the files restored after it rolled itself back', async () => {
    const p = plan();
    const workflowId = `open-restore-${++seq}`;
    t.scenarios.set(workflowId, {});
    const h = await t.env.client.workflow.start(WorkflowTypes.upgrade, { taskQueue: t.taskQueue, workflowId, args: [{ ...p, release: { ...p.release, approval: { required: true, timeoutMinutes: 600 } } }] });
    for (let i = 0; i < 400 && (await h.query<Progress>(QueryNames.progress)).phase !== 'awaiting_approval'; i++) await new Promise((r) => setTimeout(r, 25));
    const { r, calls } = await rollback(workflowId, { record: { status: 'active', plan: p, createdBookkeeping: false }, restored: ['/etc/semantic-text-processor/config.yaml'] });
    assert.equal(r.mode, 'aborted');
    assert.deepEqual(calls, ['loadRun', 'restoreArtifacts', 'restartBlue']);
    assert.deepEqual(r.restored, ['/etc/semantic-text-processor/config.yaml']);
    assert.equal(r.blueRestarted, true);
  });
});
