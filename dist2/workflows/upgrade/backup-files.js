"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RESTORE_ARTIFACTS_PATCH = void 0;
exports.keepBaselineFile = keepBaselineFile;
exports.restoreConfigAndBinary = restoreConfigAndBinary;
const workflow_1 = require("@temporalio/workflow");
const profiles_1 = require("../profiles");
const files = (0, workflow_1.proxyActivities)({ ...profiles_1.quickSql, retry: { ...profiles_1.quickSql.retry, maximumAttempts: 3 } });
const restore = (0, workflow_1.proxyActivities)(profiles_1.compensation);
/** Runs started before these files existed replay without them. */
const BASELINE_FILE_PATCH = 'baseline-file-in-backup';
exports.RESTORE_ARTIFACTS_PATCH = 'rollback-restores-config-and-binary';
/**
 * performance_baseline.json in the run's backup directory, for performance_comparison.sh and the
 * operator. A copy for people: a failure to write it is logged, never fails the run.
 */
async function keepBaselineFile(run, baseline, url) {
    if (!run.plan.steps.includes('backup') || !(0, workflow_1.patched)(BASELINE_FILE_PATCH))
        return;
    try {
        const r = await files.writeBaseline({ runId: run.runId, plan: run.plan, baseline, url });
        workflow_1.log.info('baseline kept in the backup', r);
    }
    catch (err) {
        if ((0, workflow_1.isCancellation)(err))
            throw err;
        workflow_1.log.warn('could not write performance_baseline.json into the backup', { error: err instanceof Error ? err.message : String(err) });
    }
}
/**
 * emergency_rollback.sh's restore: the previous configuration and binary from the run's backup,
 * where the live ones differ; then blue restarted through the deployer (so it runs them) and its
 * health checked. Only for a plan that backed them up.
 */
async function restoreConfigAndBinary(runId, plan) {
    if (!plan.steps.includes('backup') || (!plan.backup.config && !plan.backup.binary) || !(0, workflow_1.patched)(exports.RESTORE_ARTIFACTS_PATCH))
        return undefined;
    const r = await restore.restoreArtifacts({ runId, plan });
    workflow_1.log.info('configuration and binary checked against the backup', { restored: r.restored, unchanged: r.unchanged.length });
    if (r.restored.length === 0 || !plan.release)
        return { restored: r.restored, restarted: false };
    const blue = await restore.restartBlue({ runId, plan });
    workflow_1.log.info('blue restarted with the restored files', { instance: blue.instance, health: blue.health.status, checks: blue.checks });
    return { restored: r.restored, restarted: true, health: blue.health.status };
}
//# sourceMappingURL=backup-files.js.map