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
const plan_1 = require("../../common/plan");
const release_stubs_1 = require("./release-stubs");
// The emergency rollback's restore of the previous configuration and binary (emergency_rollback.sh),
// on the time-skipping server with stub activities.
let t;
let seq = 0;
(0, node_test_1.before)(async () => {
    t = await (0, release_stubs_1.startReleaseEnv)('rollback-restore-test');
});
(0, node_test_1.after)(async () => {
    await t?.stop();
});
function plan(backup = { config: '/etc/semantic-text-processor', binary: '/usr/local/bin/semantic-text-processor' }) {
    const p = (0, plan_1.parsePlan)({ steps: [...plan_1.ALL_STEPS], backup, release: { drainSeconds: 0 }, sync: { enabled: false } });
    strict_1.default.ok(p.ok);
    return p.plan;
}
async function rollback(runId, scenario) {
    const workflowId = `${runId}-rollback-${++seq}`;
    t.scenarios.set(workflowId, scenario);
    const r = await t.env.client.workflow.execute(names_1.WorkflowTypes.rollback, { taskQueue: t.taskQueue, workflowId, args: [{ runId }] });
    return { r: r, calls: t.logs.get(workflowId)?.calls ?? [] };
}
const REVERT = ['unfinalize', 'startBlue', 'switchBack', 'stopInstance:green', 'dropTargetGraph', 'removeCapture', 'dropTargetSchema', 'forgetRun'];
(0, node_test_1.describe)('emergency rollback restores configuration and binary', () => {
    (0, node_test_1.test)('files that differ are restored first, blue restarts on them and is healthy; the result lists them', async () => {
        const restored = ['/etc/semantic-text-processor/config.yaml', '/usr/local/bin/semantic-text-processor'];
        const { r, calls } = await rollback('restore-run', { record: { status: 'completed', plan: plan(), createdBookkeeping: false }, restored });
        strict_1.default.deepEqual(calls, ['loadRun', 'releaseRun:rolling_back', 'restoreArtifacts', 'restartBlue', ...REVERT]);
        strict_1.default.equal(r.mode, 'reverted');
        strict_1.default.deepEqual(r.restored, restored);
        strict_1.default.equal(r.blueRestarted, true);
        strict_1.default.match(r.message, /restored from the backup: \/etc\/semantic-text-processor\/config\.yaml, \/usr\/local\/bin\/semantic-text-processor; blue restarted \(healthy\)/);
    });
    (0, node_test_1.test)('nothing differs: nothing restored, blue not restarted', async () => {
        const { r, calls } = await rollback('same-run', { record: { status: 'completed', plan: plan(), createdBookkeeping: false } });
        strict_1.default.deepEqual(calls, ['loadRun', 'releaseRun:rolling_back', 'restoreArtifacts', ...REVERT]);
        strict_1.default.deepEqual(r.restored, []);
        strict_1.default.equal(r.blueRestarted, false);
    });
    (0, node_test_1.test)('a plan that backed up neither: no restore step, no restored field', async () => {
        const { r, calls } = await rollback('plain-run', { record: { status: 'completed', plan: plan({}), createdBookkeeping: false } });
        strict_1.default.deepEqual(calls, ['loadRun', 'releaseRun:rolling_back', ...REVERT]);
        strict_1.default.equal(r.restored, undefined);
    });
    (0, node_test_1.test)('a restore that fails is a failed rollback: nothing else undone, the run marked rollback_failed', async () => {
        const err = await rollback('broken-run', { record: { status: 'completed', plan: plan(), createdBookkeeping: false }, failCompensation: 'restoreArtifacts' })
            .then(() => strict_1.default.fail('should fail'), (e) => e);
        strict_1.default.ok(err instanceof client_1.WorkflowFailedError && err.cause instanceof common_1.ApplicationFailure, String(err));
        strict_1.default.equal(err.cause.type, 'RollbackFailed');
        strict_1.default.match(err.cause.message, /backup\.restoreArtifacts: injected failure/);
        const calls = t.logs.get(`broken-run-rollback-${seq}`)?.calls ?? [];
        strict_1.default.deepEqual(calls.slice(0, 3), ['loadRun', 'releaseRun:rolling_back', 'restoreArtifacts']);
        strict_1.default.ok(!calls.includes('unfinalize'));
        strict_1.default.ok(calls.includes('releaseRun:rollback_failed'));
    });
    (0, node_test_1.test)('an open run: its record is read before the abort, then the files restored after it rolled itself back', async () => {
        const p = plan();
        const workflowId = `open-restore-${++seq}`;
        t.scenarios.set(workflowId, {});
        const h = await t.env.client.workflow.start(names_1.WorkflowTypes.upgrade, { taskQueue: t.taskQueue, workflowId, args: [{ ...p, release: { ...p.release, approval: { required: true, timeoutMinutes: 600 } } }] });
        for (let i = 0; i < 400 && (await h.query(names_1.QueryNames.progress)).phase !== 'awaiting_approval'; i++)
            await new Promise((r) => setTimeout(r, 25));
        const { r, calls } = await rollback(workflowId, { record: { status: 'active', plan: p, createdBookkeeping: false }, restored: ['/etc/semantic-text-processor/config.yaml'] });
        strict_1.default.equal(r.mode, 'aborted');
        strict_1.default.deepEqual(calls, ['loadRun', 'restoreArtifacts', 'restartBlue']);
        strict_1.default.deepEqual(r.restored, ['/etc/semantic-text-processor/config.yaml']);
        strict_1.default.equal(r.blueRestarted, true);
    });
});
//# sourceMappingURL=rollback-restore.test.js.map