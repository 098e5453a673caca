import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkflowFailedError } from '@temporalio/client';
import { createAlertActivities } from '../../activities/alerts';
import type { AlertsPlan } from '../../common/alerts';
import { QueryNames, UpdateNames, WorkflowTypes } from '../../common/names';
import { ALL_STEPS, DATA_STEPS, type PlanInput } from '../../common/plan';
import type { ReleasePlanInput } from '../../common/release';
import type { Progress } from '../../common/steps';
import type { UpgradeResult } from '../../common/upgrade-input';
import { freePort } from '../../demo/ports';
import { ALERTS_PATCH } from '../../workflows/alerts';
import { startReceiver } from '../helpers/receiver';
import { BASELINE, HEALTHY, type ReleaseScenario, SLOW, startReleaseEnv, type ReleaseTestEnv } from './release-stubs';
import type { Baseline } from '../../common/monitor';

// The saga's alerts: the real alert activity posting to a real HTTP receiver, the rest stubbed.
let t: ReleaseTestEnv;
let rx: Awaited<ReturnType<typeof startReceiver>>;
let seq = 0;
/** What the saga asked to keep in the backup as performance_baseline.json. */
const baselines: { runId: string; url: string; baseline: Baseline }[] = [];

before(async () => {
  rx = await startReceiver();
  const { sendAlert } = createAlertActivities({ env: { STP_TEST_SLACK: `${rx.url}/slack` }, retryDelayMs: 10 });
  const writeBaseline = async (input: { runId: string; url: string; baseline: Baseline }) => (baselines.push(input), { file: 'performance_baseline.json' });
  t = await startReleaseEnv('alerts-saga-test', { sendAlert, writeBaseline });
});
after(async () => {
  await t?.stop();
  await rx?.close();
});

function alertsPlan(extra: AlertsPlan['webhooks'] = []) {
  return { webhooks: [{ url: `${rx.url}/json` }, { urlEnv: 'STP_TEST_SLACK', format: 'slack' as const, events: ['switched' as const, 'rollback_failed' as const] }, ...extra] };
}

function plan(release: ReleasePlanInput, alerts = alertsPlan()): PlanInput {
  return { steps: [...ALL_STEPS], release: { drainSeconds: 0, monitoring: { durationMinutes: 10 }, ...release }, sync: { enabled: false }, alerts };
}

async function run(scenario: ReleaseScenario, p: PlanInput) {
  const workflowId = `alerts-saga-${++seq}`;
  t.scenarios.set(workflowId, scenario);
  return t.env.client.workflow.start(WorkflowTypes.upgrade, { taskQueue: t.taskQueue, workflowId, args: [p] });
}

/** The events each path received for one run, in order. */
function events(runId: string, path = '/json'): string[] {
  return rx.got.filter((g) => g.path === path && (g.body as { runId?: string; text?: string }).runId === runId).map((g) => (g.body as { event: string }).event);
}
function slackTexts(runId: string): string[] {
  return rx.got.filter((g) => g.path === '/slack').map((g) => (g.body as { text: string }).text).filter((x) => x.includes(runId + ':'));
}

describe('alerts from the saga', () => {
  test('started, awaiting approval, switched, finalized; Slack only the events it asked for', async () => {
    const h = await run({}, plan({ approval: { required: true, timeoutMinutes: 60 } }));
    for (let i = 0; i < 400 && (await h.query<Progress>(QueryNames.progress)).phase !== 'awaiting_approval'; i++) await new Promise((r) => setTimeout(r, 25));
    await h.executeUpdate(UpdateNames.approve, { args: [{ by: 'alice' }] });
    const result = (await h.result()) as UpgradeResult;
    assert.equal(result.phase, 'completed');
    assert.deepEqual(events(h.workflowId), ['run_started', 'awaiting_approval', 'switched', 'finalized']);
    // the run's report keeps the runbook's checklist, the backup ticked once its step finished
    const checklist = Object.fromEntries((result.progress.checklist ?? []).map((i) => [i.item, i.status]));
    assert.equal(checklist['Full system backup completed'], 'done');
    assert.equal(checklist['Team notification sent'], 'done');
    assert.equal(checklist['Monitoring alerts configured'], 'done');
    // blue's baseline, measured before the switch (and again after the approval gate), kept in the backup
    const kept = baselines.filter((b) => b.runId === h.workflowId);
    assert.equal(kept.length, 2);
    assert.deepEqual(kept[1].baseline, BASELINE);
    assert.equal(kept[1].url, 'http://127.0.0.1:8080');
    assert.deepEqual(slackTexts(h.workflowId), [`:information_source: stp-upgrade ${h.workflowId}: traffic switched to green`]);
    const started = rx.got.find((g) => g.path === '/json' && (g.body as { runId: string }).runId === h.workflowId)!.body as Record<string, unknown>;
    assert.equal(started.database, 'primary');
    assert.match(String(started.message), /started: preflight, backup, schema/);
  });

  test('a monitoring breach: breach then rolled back', async () => {
    const h = await run({ sample: (n) => (n > 2 ? SLOW : HEALTHY) }, plan({}));
    await assert.rejects(h.result(), WorkflowFailedError);
    assert.deepEqual(events(h.workflowId), ['run_started', 'switched', 'monitoring_breach', 'rolled_back']);
  });

  test('blocked by defects; a failed rollback; a receiver that is down never fails the run', async () => {
    const blocked = await run({ defects: true }, { steps: [...DATA_STEPS], alerts: alertsPlan() });
    await assert.rejects(blocked.result(), WorkflowFailedError);
    assert.deepEqual(events(blocked.workflowId), ['run_started', 'blocked_by_defects']);

    const failed = await run({ failAt: 'verify', failCompensation: 'dropTargetSchema' }, { steps: [...DATA_STEPS], alerts: alertsPlan() });
    await assert.rejects(failed.result(), (e: unknown) => e instanceof WorkflowFailedError && (e.cause as { type?: string })?.type === 'RollbackFailed');
    assert.deepEqual(events(failed.workflowId), ['run_started', 'rollback_failed']);
    assert.equal(slackTexts(failed.workflowId).length, 1);
    assert.match(slackTexts(failed.workflowId)[0], /^:rotating_light: .*ROLLBACK FAILED/);

    const dead = await freePort();
    const ok = await run({}, { steps: [...DATA_STEPS], alerts: { attempts: 2, webhooks: [{ url: `http://127.0.0.1:${dead}/down` }, { url: `${rx.url}/json` }] } });
    assert.equal((await ok.result()).phase, 'completed');
    assert.deepEqual(events(ok.workflowId), ['run_started']);
  });

  test('no webhooks: no alert activity and no patch marker in the history', async () => {
    const h = await run({}, { steps: [...DATA_STEPS] });
    await h.result();
    const history = await h.fetchHistory();
    const types = (history.events ?? []).map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
    assert.ok(!types.includes('sendAlert'));
    const patches = (history.events ?? []).flatMap((e) => e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads ?? [])
      .map((p) => Buffer.from(p.data ?? new Uint8Array()).toString('utf8'));
    assert.ok(!patches.some((p) => p.includes(`"${ALERTS_PATCH}"`)), patches.join(', '));
  });
});
