"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const client_1 = require("@temporalio/client");
const alerts_1 = require("../../activities/alerts");
const names_1 = require("../../common/names");
const plan_1 = require("../../common/plan");
const ports_1 = require("../../demo/ports");
const alerts_2 = require("../../workflows/alerts");
const receiver_1 = require("../helpers/receiver");
const release_stubs_1 = require("./release-stubs");
// The saga's alerts: the real alert activity posting to a real HTTP receiver, the rest stubbed.
let t;
let rx;
let seq = 0;
/** What the saga asked to keep in the backup as performance_baseline.json. */
const baselines = [];
(0, node_test_1.before)(async () => {
    rx = await (0, receiver_1.startReceiver)();
    const { sendAlert } = (0, alerts_1.createAlertActivities)({ env: { STP_TEST_SLACK: `${rx.url}/slack` }, retryDelayMs: 10 });
    const writeBaseline = async (input) => (baselines.push(input), { file: 'performance_baseline.json' });
    t = await (0, release_stubs_1.startReleaseEnv)('alerts-saga-test', { sendAlert, writeBaseline });
});
(0, node_test_1.after)(async () => {
    await t?.stop();
    await rx?.close();
});
function alertsPlan(extra = []) {
    return { webhooks: [{ url: `${rx.url}/json` }, { urlEnv: 'STP_TEST_SLACK', format: 'slack', events: ['switched', 'rollback_failed'] }, ...extra] };
}
function plan(release, alerts = alertsPlan()) {
    return { steps: [...plan_1.ALL_STEPS], release: { drainSeconds: 0, monitoring: { durationMinutes: 10 }, ...release }, sync: { enabled: false }, alerts };
}
async function run(scenario, p) {
    const workflowId = `alerts-saga-${++seq}`;
    t.scenarios.set(workflowId, scenario);
    return t.env.client.workflow.start(names_1.WorkflowTypes.upgrade, { taskQueue: t.taskQueue, workflowId, args: [p] });
}
/** The events each path received for one run, in order. */
function events(runId, path = '/json') {
    return rx.got.filter((g) => g.path === path && g.body.runId === runId).map((g) => g.body.event);
}
function slackTexts(runId) {
    return rx.got.filter((g) => g.path === '/slack').map((g) => g.body.text).filter((x) => x.includes(runId + ':'));
}
(0, node_test_1.describe)('alerts from the saga', () => {
    (0, node_test_1.test)('started, awaiting approval, switched, finalized; Slack only the events it asked for', async () => {
        const h = await run({}, plan({ approval: { required: true, timeoutMinutes: 60 } }));
        for (let i = 0; i < 400 && (await h.query(names_1.QueryNames.progress)).phase !== 'awaiting_approval'; i++)
            await new Promise((r) => setTimeout(r, 25));
        await h.executeUpdate(names_1.UpdateNames.approve, { args: [{ by: 'alice' }] });
        const result = (await h.result());
        strict_1.default.equal(result.phase, 'completed');
        strict_1.default.deepEqual(events(h.workflowId), ['run_started', 'awaiting_approval', 'switched', 'finalized']);
        // the run's report keeps the runbook's checklist, the backup ticked once its step finished
        const checklist = Object.fromEntries((result.progress.checklist ?? []).map((i) => [i.item, i.status]));
        strict_1.default.equal(checklist['Full system backup completed'], 'done');
        strict_1.default.equal(checklist['Team notification sent'], 'done');
        strict_1.default.equal(checklist['Monitoring alerts configured'], 'done');
        // blue's baseline, measured before the switch (and again after the approval gate), kept in the backup
        const kept = baselines.filter((b) => b.runId === h.workflowId);
        strict_1.default.equal(kept.length, 2);
        strict_1.default.deepEqual(kept[1].baseline, release_stubs_1.BASELINE);
        strict_1.default.equal(kept[1].url, 'http://127.0.0.1:8080');
        strict_1.default.deepEqual(slackTexts(h.workflowId), [`:information_source: stp-upgrade ${h.workflowId}: traffic switched to green`]);
        const started = rx.got.find((g) => g.path === '/json' && g.body.runId === h.workflowId).body;
        strict_1.default.equal(started.database, 'primary');
        strict_1.default.match(String(started.message), /started: preflight, backup, schema/);
    });
    (0, node_test_1.test)('a monitoring breach: breach then rolled back', async () => {
        const h = await run({ sample: (n) => (n > 2 ? release_stubs_1.SLOW : release_stubs_1.HEALTHY) }, plan({}));
        await strict_1.default.rejects(h.result(), client_1.WorkflowFailedError);
        strict_1.default.deepEqual(events(h.workflowId), ['run_started', 'switched', 'monitoring_breach', 'rolled_back']);
    });
    (0, node_test_1.test)('blocked by defects; a failed rollback; a receiver that is down never fails the run', async () => {
        const blocked = await run({ defects: true }, { steps: [...plan_1.DATA_STEPS], alerts: alertsPlan() });
        await strict_1.default.rejects(blocked.result(), client_1.WorkflowFailedError);
        strict_1.default.deepEqual(events(blocked.workflowId), ['run_started', 'blocked_by_defects']);
        const failed = await run({ failAt: 'verify', failCompensation: 'dropTargetSchema' }, { steps: [...plan_1.DATA_STEPS], alerts: alertsPlan() });
        await strict_1.default.rejects(failed.result(), (e) => e instanceof client_1.WorkflowFailedError && e.cause?.type === 'RollbackFailed');
        strict_1.default.deepEqual(events(failed.workflowId), ['run_started', 'rollback_failed']);
        strict_1.default.equal(slackTexts(failed.workflowId).length, 1);
        strict_1.default.match(slackTexts(failed.workflowId)[0], /^:rotating_light: .*ROLLBACK FAILED/);
        const dead = await (0, ports_1.freePort)();
        const ok = await run({}, { steps: [...plan_1.DATA_STEPS], alerts: { attempts: 2, webhooks: [{ url: `http://127.0.0.1:${dead}/down` }, { url: `${rx.url}/json` }] } });
        strict_1.default.equal((await ok.result()).phase, 'completed');
        strict_1.default.deepEqual(events(ok.workflowId), ['run_started']);
    });
    (0, node_test_1.test)('no webhooks: no alert activity and no patch marker in the history', async () => {
        const h = await run({}, { steps: [...plan_1.DATA_STEPS] });
        await h.result();
        const history = await h.fetchHistory();
        const types = (history.events ?? []).map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
        strict_1.default.ok(!types.includes('sendAlert'));
        const patches = (history.events ?? []).flatMap((e) => e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads ?? [])
            .map((p) => Buffer.from(p.data ?? new Uint8Array()).toString('utf8'));
        strict_1.default.ok(!patches.some((p) => p.includes(`"${alerts_2.ALERTS_PATCH}"`)), patches.join(', '));
    });
});
//# sourceMappingURL=alerts.test.js.map