"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const errors_1 = require("../../activities/release/errors");
const release_1 = require("../../activities/release");
const upgrade_view_1 = require("../../client/upgrade-view");
const watch_1 = require("../../client/commands/watch");
const monitor_1 = require("../../common/monitor");
const plan_1 = require("../../common/plan");
const rollback_1 = require("../../common/rollback");
const release_controls_1 = require("../../workflows/upgrade/release-controls");
const release_proxies_1 = require("../../workflows/upgrade/release-proxies");
const plan = (input) => {
    const r = (0, plan_1.parsePlan)(input);
    if (!r.ok)
        throw new Error(r.errors.join('\n'));
    return r.plan;
};
(0, node_test_1.test)('the saga lists exactly the release activities\' permanent errors', () => {
    strict_1.default.deepEqual([...release_proxies_1.RELEASE_NON_RETRYABLE].sort(), [...errors_1.NON_RETRYABLE_RELEASE_ERRORS, ...release_1.NON_RETRYABLE_RELEASE_STEP_ERRORS].sort());
});
(0, node_test_1.test)('revertSteps: release undone before data, in the saga\'s own reverse order', () => {
    const all = (0, rollback_1.revertSteps)(plan({ steps: [...plan_1.ALL_STEPS], defects: { policy: 'quarantine' } })).map((s) => s.key);
    strict_1.default.deepEqual(all, ['finalize.unfinalize', 'drain.startBlue', 'switch.switchBack', 'deploy.stopInstance',
        'graph.dropTargetGraph', 'copy.clearQuarantine', 'copy.removeCapture', 'schema.dropTargetSchema']);
    const warm = (0, rollback_1.revertSteps)(plan({ steps: [...plan_1.ALL_STEPS], release: { blueAfterSwitch: 'keep-warm' } })).map((s) => s.key);
    strict_1.default.ok(!warm.includes('drain.startBlue') && !warm.includes('copy.clearQuarantine'));
    strict_1.default.deepEqual((0, rollback_1.revertSteps)(plan({ steps: [...plan_1.DATA_STEPS] })).map((s) => s.activity), ['dropTargetGraph', 'removeCapture', 'dropTargetSchema']);
    strict_1.default.deepEqual((0, rollback_1.revertSteps)(plan({ steps: [...plan_1.ALL_STEPS] })).find((s) => s.activity === 'stopInstance')?.input, { which: 'green' });
});
(0, node_test_1.test)('release plan problems are named before anything runs', () => {
    strict_1.default.deepEqual((0, release_controls_1.releasePlanProblems)(plan({ steps: [...plan_1.ALL_STEPS] })), []);
    strict_1.default.deepEqual((0, release_controls_1.releasePlanProblems)(plan({})), []);
    const p = (0, release_controls_1.releasePlanProblems)(plan({ steps: ['deploy', 'monitor', 'finalize'], release: { finalize: { legacyTables: 'archive' } } }));
    strict_1.default.equal(p.length, 3, p.join('\n'));
    strict_1.default.match(p.join('\n'), /"monitor" needs the "switch" step/);
});
(0, node_test_1.test)('monitoring window: durationSeconds wins over durationMinutes', () => {
    strict_1.default.equal((0, monitor_1.monitoringWindowMs)(monitor_1.MonitoringPlan.parse({})), 86_400_000);
    strict_1.default.equal((0, monitor_1.monitoringWindowMs)(monitor_1.MonitoringPlan.parse({ durationMinutes: 2, durationSeconds: 10 })), 10_000);
    strict_1.default.equal(monitor_1.MonitoringPlan.safeParse({ durationSeconds: 0.5 }).success, false);
});
(0, node_test_1.test)('status and watch show the approval gate, monitoring counts and time left, and finalize', () => {
    const p = {
        runId: 'r1', phase: 'monitoring', paused: false, steps: {}, rules: {}, batchSize: 1, rowsPerSec: 0, etaSeconds: 0, redoneBatches: 0, compensations: [],
        approval: { by: 'alice', at: '2025-01-01T00:00:00.000Z' },
        monitoring: { checks: 42, failures: 2, consecutiveFailures: 1, secondsLeft: 7260, workflowId: 'r1-monitor' },
    };
    strict_1.default.deepEqual((0, upgrade_view_1.releaseLines)(p), ['Approved by alice at 2025-01-01T00:00:00.000Z', 'Monitoring green: 42 checks, 2 failed (1 in a row), 2h 1m left']);
    strict_1.default.equal((0, watch_1.plainLine)(p), 'monitoring checks 42 failures 2 left 2h 1m');
    const waiting = (0, upgrade_view_1.releaseLines)({ ...p, phase: 'awaiting_approval', approval: undefined, monitoring: undefined, waitingUntil: Date.UTC(2025, 0, 1, 1) });
    strict_1.default.deepEqual(waiting, ['Waiting for approval until 2025-01-01T01:00:00.000Z: stp-upgrade approve r1 --by NAME (or abort r1)']);
    const done = (0, upgrade_view_1.releaseLines)({ ...p, monitoring: { ...p.monitoring, outcome: 'promoted' }, finalized: { schemaVersion: 2, previous: 1, archived: [] } });
    strict_1.default.match(done.join('\n'), /42 checks, 2 failed \(1 in a row\), ended promoted/);
    strict_1.default.match(done.join('\n'), /Finalized: schema version 2 \(was 1\)/);
});
//# sourceMappingURL=release-saga.test.js.map