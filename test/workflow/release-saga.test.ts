import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkflowFailedError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { MonitorStatus } from '../../common/monitor';
import { QueryNames, SignalNames, UpdateNames, WorkflowTypes } from '../../common/names';
import { ALL_STEPS, parsePlan, type PlanInput } from '../../common/plan';
import type { ReleasePlanInput } from '../../common/release';
import type { RollbackResult } from '../../common/rollback';
import type { Progress } from '../../common/steps';
import { HAPPY_CALLS } from './stubs';
import { HEALTHY, NO_DATA, type ReleaseScenario, SLOW, startReleaseEnv, type ReleaseTestEnv } from './release-stubs';

// The release half of the saga on the time-skipping server: a 24 h monitoring window takes seconds.
let t: ReleaseTestEnv;
let seq = 0;

before(async () => {
  t = await startReleaseEnv();
});
after(async () => {
  await t?.stop();
});

// Live-write capture has its own tests below; the others are about the release logic.
const DATA_CALLS = HAPPY_CALLS.slice(0, -1).filter((c) => c !== 'installCapture' && c !== 'removeCapture'); // without releaseRun:completed
const RELEASE_CALLS = ['deployGreen', 'smokeTests', 'optimizeDatabase', 'warmCache', 'measureBaseline', 'switchTraffic', 'stopInstance:blue'];

function fullPlan(release: ReleasePlanInput = {}, sync = false): PlanInput {
  return { steps: [...ALL_STEPS], release, sync: { enabled: sync } };
}

async function start(scenario: ReleaseScenario, plan: PlanInput) {
  const workflowId = `release-saga-${++seq}`;
  t.scenarios.set(workflowId, scenario);
  return t.env.client.workflow.start(WorkflowTypes.upgrade, { taskQueue: t.taskQueue, workflowId, args: [plan] });
}

const calls = (h: WorkflowHandle | string) => t.logs.get(typeof h === 'string' ? h : h.workflowId)?.calls ?? [];
const progress = (h: WorkflowHandle) => h.query<Progress>(QueryNames.progress);

async function until(h: WorkflowHandle, pred: (p: Progress) => boolean, what: string): Promise<Progress> {
  for (let i = 0; i < 400; i++) {
    const p = await progress(h);
    if (pred(p)) return p;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The saga's failure (type checked) and the progress it carries. */
async function failure(h: WorkflowHandle, type: string): Promise<{ f: ApplicationFailure; p: Progress }> {
  const err = await h.result().then(() => assert.fail('the workflow should have failed'), (e: unknown) => e);
  assert.ok(err instanceof WorkflowFailedError, String(err));
  assert.ok(err.cause instanceof ApplicationFailure, String(err.cause));
  assert.equal(err.cause.type, type, err.cause.message);
  return { f: err.cause, p: err.cause.details?.[0] as Progress };
}

/** 24 h of checks every 5 minutes (monitor.test.ts runs the default 1440 one-minute checks). */
const DAY = { durationMinutes: 1440, intervalSeconds: 300, continueAsNewEvery: 100 };
const ROLLBACK_AFTER_MONITOR = ['startBlue', 'switchBack', 'stopInstance:green', 'dropTargetGraph', 'dropTargetSchema', 'forgetRun'];

describe('release saga', () => {
  test('a clean 24 h day finalizes; the parent history stays small', async () => {
    const h = await start({}, fullPlan({ monitoring: DAY }));
    const r = await h.result();
    assert.equal(r.phase, 'completed');
    assert.deepEqual(calls(h), [...DATA_CALLS, ...RELEASE_CALLS, 'finalize', 'releaseRun:completed']);
    assert.equal(t.samples.get(h.workflowId), 288);
    const m = r.progress.monitoring!;
    assert.equal(m.outcome, 'passed');
    assert.equal(m.checks, 288);
    assert.equal(m.failures, 0);
    assert.equal(m.workflowId, `${h.workflowId}-monitor`);
    assert.deepEqual(r.progress.finalized, { schemaVersion: 2, previous: 1, archived: [] });
    assert.equal(r.steps.approval, 'skipped');
    for (const s of ['deploy', 'smoke', 'switch', 'drain', 'monitor', 'finalize'] as const) assert.equal(r.steps[s], 'done', s);
    const events = (await h.fetchHistory()).events?.length ?? 0;
    // ~200: the steps, their activities and the 3 child runs; not one event per check
    assert.ok(events < 220, `the saga's history has ${events} events for 288 checks in 3 child runs`);
  });

  test('a breach at hour 13 rolls back: blue started and serving, green stopped, then the data', async () => {
    const h = await start({ sample: (n) => (n > 156 ? SLOW : HEALTHY) }, fullPlan({ monitoring: DAY }));
    const { f, p } = await failure(h, 'MonitoringBreached');
    assert.match(f.message, /3 consecutive failed checks .* at check 159: p95 4000 ms/);
    assert.equal(p.phase, 'rolled_back');
    assert.equal(p.monitoring?.checks, 159);
    assert.equal(p.monitoring?.outcome, 'breached');
    assert.deepEqual(calls(h), [...DATA_CALLS, ...RELEASE_CALLS, ...ROLLBACK_AFTER_MONITOR]);
    assert.deepEqual(p.compensations.map((c) => c.step), [
      'drain.startBlue', 'switch.switchBack', 'deploy.stopInstance', 'graph.dropTargetGraph', 'schema.dropTargetSchema', 'preflight.forgetRun',
    ]);
    assert.ok(p.compensations.every((c) => c.status === 'done'));
    assert.equal(p.steps.monitor, 'failed');
    assert.equal(p.steps.switch, 'compensated');
  });

  test('missing data, policy fail: counts as failed checks and rolls back', async () => {
    const h = await start({ sample: (n) => (n > 24 ? NO_DATA : HEALTHY) }, fullPlan({ monitoring: { ...DAY, missingData: 'fail' } }));
    const { f, p } = await failure(h, 'MonitoringBreached');
    assert.match(f.message, /no data: health: ECONNREFUSED/);
    assert.equal(p.monitoring?.checks, 27);
    assert.ok(calls(h).includes('switchBack'));
  });

  test('missing data, policy pause: monitoring waits for the operator; resume on the saga carries on', async () => {
    const h = await start({ sample: (n) => (n === 5 ? NO_DATA : HEALTHY) },
      fullPlan({ drainSeconds: 0, monitoring: { durationMinutes: 2, intervalSeconds: 1, missingData: 'pause' } }));
    // Time stays locked (real time) until the pause: an idle time-skipping server would jump to the
    // workflow's execution timeout while the monitor waits for an operator.
    const child = t.env.client.workflow.getHandle(`${h.workflowId}-monitor`);
    let s: MonitorStatus | undefined;
    for (let i = 0; i < 400 && !s?.paused; i++) {
      s = await child.query<MonitorStatus>(QueryNames.status).catch(() => undefined);
      if (!s?.paused) await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(s?.paused, true);
    assert.match(s!.pausedReason!, /no data at check 5/);
    assert.equal((await progress(h)).phase, 'monitoring');
    await h.signal(SignalNames.resume);
    const r = await h.result();
    assert.equal(r.phase, 'completed');
    assert.equal(r.progress.monitoring?.outcome, 'passed');
    assert.equal(r.progress.monitoring?.failures, 0);
    assert.ok(calls(h).includes('finalize'));
  });

  test('approval gate: refused without a name, approved by alice, then switch and finalize', async () => {
    const h = await start({}, fullPlan({ drainSeconds: 0, approval: { required: true, timeoutMinutes: 60 }, monitoring: { durationMinutes: 10 } }));
    const waiting = await until(h, (p) => p.phase === 'awaiting_approval', 'the approval gate');
    assert.equal(waiting.step, 'approval');
    assert.ok(!calls(h).includes('switchTraffic'));
    await assert.rejects(h.executeUpdate(UpdateNames.promote, { args: [{}] }), (e: unknown) => e instanceof WorkflowUpdateFailedError && /not monitoring green/.test(String((e as Error).cause)));
    await assert.rejects(h.executeUpdate(UpdateNames.approve, { args: [{ by: ' ' }] }), WorkflowUpdateFailedError);
    const approval = await h.executeUpdate<{ by: string; at: string }, [{ by: string }]>(UpdateNames.approve, { args: [{ by: 'alice' }] });
    assert.equal(approval.by, 'alice');
    const r = await h.result();
    assert.equal(r.phase, 'completed');
    assert.equal(r.progress.approval?.by, 'alice');
    assert.equal(r.steps.approval, 'done');
    assert.ok(calls(h).indexOf('switchTraffic') > calls(h).indexOf('measureBaseline'));
  });

  test('approval gate: a timeout fails and rolls back before any switch', async () => {
    const h = await start({}, fullPlan({ approval: { required: true, timeoutMinutes: 30 } }));
    const { f, p } = await failure(h, 'ApprovalTimeout');
    assert.match(f.message, /within 30 minutes/);
    assert.equal(p.phase, 'rolled_back');
    assert.deepEqual(calls(h).slice(DATA_CALLS.length), [
      'deployGreen', 'smokeTests', 'optimizeDatabase', 'warmCache', 'measureBaseline', 'stopInstance:green', 'dropTargetGraph', 'dropTargetSchema', 'forgetRun',
    ]);
  });

  test('promote ends monitoring early and finalizes', async () => {
    const h = await start({}, fullPlan({ drainSeconds: 0 }));
    await until(h, (p) => p.phase === 'monitoring', 'monitoring');
    await assert.rejects(h.executeUpdate(UpdateNames.approve, { args: [{ by: 'bob' }] }), WorkflowUpdateFailedError);
    const m = await h.executeUpdate<Progress['monitoring'], [{ reason: string }]>(UpdateNames.promote, { args: [{ reason: 'looks good' }] });
    assert.equal(m?.workflowId, `${h.workflowId}-monitor`);
    const r = await h.result();
    assert.equal(r.phase, 'completed');
    assert.equal(r.progress.monitoring?.outcome, 'promoted');
    assert.ok(r.progress.monitoring!.checks < 10, `promoted after ${r.progress.monitoring!.checks} checks`);
    assert.ok(r.progress.monitoring!.secondsLeft > 80_000);
    assert.deepEqual(calls(h).slice(-2), ['finalize', 'releaseRun:completed']);
  });

  test('abort during monitoring rolls back now; the monitor child is cancelled', async () => {
    const h = await start({}, fullPlan({ drainSeconds: 0 }));
    await until(h, (p) => p.phase === 'monitoring', 'monitoring');
    await h.signal(SignalNames.abort, { reason: 'error budget' });
    const { p } = await failure(h, 'Aborted');
    assert.equal(p.phase, 'rolled_back');
    assert.deepEqual(calls(h).slice(-ROLLBACK_AFTER_MONITOR.length), ROLLBACK_AFTER_MONITOR);
    const child = await t.env.client.workflow.getHandle(`${h.workflowId}-monitor`).describe();
    assert.equal(child.status.name, 'CANCELLED');
  });

  test('a plan that archives the legacy tables while blue stays warm is refused before anything runs', async () => {
    const h = await start({}, fullPlan({ blueAfterSwitch: 'keep-warm', finalize: { legacyTables: 'archive' } }));
    const { f } = await failure(h, 'BadInputError');
    assert.match(f.message, /legacyTables: "archive"/);
    assert.deepEqual(calls(h), []);
  });
});

describe('rollback workflow', () => {
  const rollback = async (runId: string, scenario: ReleaseScenario = {}, extra: { acceptLoss?: boolean } = {}) => {
    const workflowId = `${runId}-rollback-${++seq}`;
    t.scenarios.set(workflowId, scenario);
    const r = await t.env.client.workflow.execute(WorkflowTypes.rollback, { taskQueue: t.taskQueue, workflowId, args: [{ runId, ...extra }] });
    return { r: r as RollbackResult, calls: calls(workflowId) };
  };

  test('a completed run is reverted from its stored plan, release first, then data', async () => {
    const plan = parsePlan(fullPlan({ drainSeconds: 0 }));
    assert.ok(plan.ok);
    const { r, calls: c } = await rollback('finished-run', { record: { status: 'completed', plan: plan.plan, createdBookkeeping: true } });
    assert.equal(r.mode, 'reverted');
    assert.equal(r.upgradeStatus, 'NOT_FOUND');
    assert.equal(r.reason, `emergency rollback (${r.runId}-rollback-${seq})`);
    assert.ok(!Number.isNaN(Date.parse(r.at)), r.at);
    // the run's bookkeeping goes last, stp_migration with it when the run had created it
    assert.deepEqual(c, ['loadRun', 'releaseRun:rolling_back', 'unfinalize', 'startBlue', 'switchBack', 'stopInstance:green',
      'dropTargetGraph', 'removeCapture', 'dropTargetSchema', 'forgetRun']);
    assert.equal(t.logs.get(`${r.runId}-rollback-${seq}`)?.dropBookkeeping, true);
  });

  test('a finalized run that took writes since finalize is refused until --accept-loss', async () => {
    const plan = parsePlan(fullPlan({ drainSeconds: 0 }));
    assert.ok(plan.ok);
    const record = { status: 'completed', plan: plan.plan, createdBookkeeping: true } as const;
    const refused = await rollback('finalized-run', { record, writesSinceFinalize: 42 }).then(() => assert.fail('should refuse'), (e: unknown) => e);
    assert.ok(refused instanceof WorkflowFailedError && refused.cause instanceof ApplicationFailure, String(refused));
    assert.equal(refused.cause.type, 'UncarriedWrites');
    assert.match(refused.cause.message, /42 writes since then.*Nothing was changed.*--accept-loss/);
    const { r, calls: c } = await rollback('finalized-run', { record, writesSinceFinalize: 42 }, { acceptLoss: true });
    assert.equal(r.mode, 'reverted');
    assert.ok(c.includes('unfinalize'));
  });

  test('an open run is aborted and rolls itself back', async () => {
    const h = await start({}, fullPlan({ approval: { required: true, timeoutMinutes: 600 } }));
    await until(h, (p) => p.phase === 'awaiting_approval', 'the approval gate');
    const { r, calls: c } = await rollback(h.workflowId);
    assert.equal(r.mode, 'aborted');
    assert.equal(r.upgradeStatus, 'FAILED');
    // the record is read before the abort (the run forgets it as it rolls back): nothing to restore here
    assert.deepEqual(c, ['loadRun']);
    await failure(h, 'Aborted');
    assert.deepEqual(calls(h).slice(-4), ['stopInstance:green', 'dropTargetGraph', 'dropTargetSchema', 'forgetRun']);
  });

  test('a run without a record has nothing to roll back', async () => {
    const { r } = await rollback('never-ran', { record: null });
    assert.equal(r.mode, 'nothing');
    assert.match(r.message, /no record of run never-ran/);
  });
});

describe('release saga with live-write capture', () => {
  test('completes: capture on before the copy, switch through the cut-over, capture off before finalize', async () => {
    // 150 s of monitoring, not 180: the saga's follow loop waits in 60 s steps, and a monitoring
    // child ending on the same virtual instant as one of those waits makes the saga cancel a timer
    // the test server has just fired, which hangs the time-skipping server (it never records the
    // workflow task's completion). A real server takes that race; see whileSyncing.
    const h = await start({}, fullPlan({ drainSeconds: 30, monitoring: { durationSeconds: 150, intervalSeconds: 60 } }, true));
    const r = (await h.result()) as { phase: string; progress: Progress };
    assert.equal(r.phase, 'completed');
    const c = calls(h);
    assert.ok(c.indexOf('installCapture') === c.indexOf('createTargetSchema') + 1, c.join(' '));
    assert.ok(c.indexOf('removeCapture') > c.indexOf('stopInstance:blue') && c.indexOf('removeCapture') < c.indexOf('finalize'), c.join(' '));
    assert.deepEqual(r.progress.sync?.cutover?.holdsMs, [3]);
  });
  // The rollback order with capture (green's writes back before blue takes traffic, and again
  // after green stopped) is tested on real servers: test/release/online-e2e.test.ts (b). The
  // time-skipping test server fails that workflow task ("invalid history builder state").
});
