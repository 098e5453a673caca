import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NON_RETRYABLE_RELEASE_ERRORS } from '../../activities/release/errors';
import { NON_RETRYABLE_RELEASE_STEP_ERRORS } from '../../activities/release';
import { releaseLines } from '../../client/upgrade-view';
import { plainLine } from '../../client/commands/watch';
import { MonitoringPlan, monitoringWindowMs } from '../../common/monitor';
import { ALL_STEPS, DATA_STEPS, parsePlan, type PlanInput } from '../../common/plan';
import { revertSteps } from '../../common/rollback';
import type { Progress } from '../../common/steps';
import { releasePlanProblems } from '../../workflows/upgrade/release-controls';
import { RELEASE_NON_RETRYABLE } from '../../workflows/upgrade/release-proxies';

const plan = (input: PlanInput) => {
  const r = parsePlan(input);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.plan;
};

test('the saga lists exactly the release activities\' permanent errors', () => {
  assert.deepEqual([...RELEASE_NON_RETRYABLE].sort(), [...NON_RETRYABLE_RELEASE_ERRORS, ...NON_RETRYABLE_RELEASE_STEP_ERRORS].sort());
});

test('revertSteps: release undone before data, in the saga\'s own reverse order', () => {
  const all = revertSteps(plan({ steps: [...ALL_STEPS], defects: { policy: 'quarantine' } })).map((s) => s.key);
  assert.deepEqual(all, ['finalize.unfinalize', 'drain.startBlue', 'switch.switchBack', 'deploy.stopInstance',
    'graph.dropTargetGraph', 'copy.clearQuarantine', 'copy.removeCapture', 'schema.dropTargetSchema']);
  const warm = revertSteps(plan({ steps: [...ALL_STEPS], release: { blueAfterSwitch: 'keep-warm' } })).map((s) => s.key);
  assert.ok(!warm.includes('drain.startBlue') && !warm.includes('copy.clearQuarantine'));
  assert.deepEqual(revertSteps(plan({ steps: [...DATA_STEPS] })).map((s) => s.activity), ['dropTargetGraph', 'removeCapture', 'dropTargetSchema']);
  assert.deepEqual(revertSteps(plan({ steps: [...ALL_STEPS] })).find((s) => s.activity === 'stopInstance')?.input, { which: 'green' });
});

test('release plan problems are named before anything runs', () => {
  assert.deepEqual(releasePlanProblems(plan({ steps: [...ALL_STEPS] })), []);
  assert.deepEqual(releasePlanProblems(plan({})), []);
  const p = releasePlanProblems(plan({ steps: ['deploy', 'monitor', 'finalize'], release: { finalize: { legacyTables: 'archive' } } }));
  assert.equal(p.length, 3, p.join('\n'));
  assert.match(p.join('\n'), /"monitor" needs the "switch" step/);
});

test('monitoring window: durationSeconds wins over durationMinutes', () => {
  assert.equal(monitoringWindowMs(MonitoringPlan.parse({})), 86_400_000);
  assert.equal(monitoringWindowMs(MonitoringPlan.parse({ durationMinutes: 2, durationSeconds: 10 })), 10_000);
  assert.equal(MonitoringPlan.safeParse({ durationSeconds: 0.5 }).success, false);
});

test('status and watch show the approval gate, monitoring counts and time left, and finalize', () => {
  const p = {
    runId: 'r1', phase: 'monitoring', paused: false, steps: {}, rules: {}, batchSize: 1, rowsPerSec: 0, etaSeconds: 0, redoneBatches: 0, compensations: [],
    approval: { by: 'alice', at: '2025-01-01T00:00:00.000Z' },
    monitoring: { checks: 42, failures: 2, consecutiveFailures: 1, secondsLeft: 7260, workflowId: 'r1-monitor' },
  } as Progress;
  assert.deepEqual(releaseLines(p), ['Approved by alice at 2025-01-01T00:00:00.000Z', 'Monitoring green: 42 checks, 2 failed (1 in a row), 2h 1m left']);
  assert.equal(plainLine(p), 'monitoring checks 42 failures 2 left 2h 1m');
  const waiting = releaseLines({ ...p, phase: 'awaiting_approval', approval: undefined, monitoring: undefined, waitingUntil: Date.UTC(2025, 0, 1, 1) });
  assert.deepEqual(waiting, ['Waiting for approval until 2025-01-01T01:00:00.000Z: stp-upgrade approve r1 --by NAME (or abort r1)']);
  const done = releaseLines({ ...p, monitoring: { ...p.monitoring!, outcome: 'promoted' }, finalized: { schemaVersion: 2, previous: 1, archived: [] } });
  assert.match(done.join('\n'), /42 checks, 2 failed \(1 in a row\), ended promoted/);
  assert.match(done.join('\n'), /Finalized: schema version 2 \(was 1\)/);
});
