"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.rollbackProgressQuery = void 0;
exports.rollbackWorkflow = rollbackWorkflow;
const workflow_1 = require("@temporalio/workflow");
const database_name_1 = require("../common/database-name");
const names_1 = require("../common/names");
const rollback_1 = require("../common/rollback");
const upgrade_input_1 = require("../common/upgrade-input");
const profiles_1 = require("./profiles");
const rollback_2 = require("./upgrade/rollback");
const alerts_1 = require("./alerts");
const backup_files_1 = require("./upgrade/backup-files");
const proxies_1 = require("./upgrade/proxies");
const look = (0, workflow_1.proxyActivities)(profiles_1.interactiveSql);
const quick = (0, workflow_1.proxyActivities)(profiles_1.quickSql);
const abortSignal = (0, workflow_1.defineSignal)(names_1.SignalNames.abort);
exports.rollbackProgressQuery = (0, workflow_1.defineQuery)(names_1.QueryNames.progress);
/** How often an aborted run is asked whether its own rollback has finished. */
const POLL_MS = 2000;
/** Rollbacks started before this change mark the run rolled_back and keep stp_migration; new ones forget the run. */
const FORGET_RUN_PATCH = 'rollback-forgets-run';
const FINALIZED_WRITES_PATCH = 'rollback-counts-writes-since-finalize';
/**
 * Emergency rollback of one upgrade run (the runbook's emergency_rollback.sh, made safe). An open
 * run is sent `abort` and rolls itself back (its compensations know exactly what it did); a run
 * that has ended is undone here from its stored plan: unfinalize, blue back and serving, green
 * stopped, then the target graph, quarantine and tables of that run dropped, and last the run's
 * bookkeeping (stp_migration itself when the run created it and no other run is recorded there).
 * Legacy tables are never touched. Every compensation is idempotent, so running this twice is
 * safe. The result (when, why, what) is where `stp-upgrade status` finds that the run was rolled
 * back, since the database keeps no trace of it.
 */
async function rollbackWorkflow(input) {
    const runId = typeof input?.runId === 'string' ? input.runId.trim() : '';
    const db = database_name_1.DatabaseName.safeParse(input?.database ?? 'primary');
    if (!runId || !db.success) {
        throw workflow_1.ApplicationFailure.create({ type: upgrade_input_1.SagaFailureTypes.badInput, nonRetryable: true, message: !runId ? 'runId: expected the upgrade run id' : `database: ${db.error?.issues[0]?.message}` });
    }
    const database = db.data;
    const reason = input.reason ?? `emergency rollback (${(0, workflow_1.workflowInfo)().workflowId})`;
    const ended = (r, files) => ({
        runId, reason, at: new Date().toISOString(), ...r, ...(files ? { restored: files.restored, blueRestarted: files.restarted } : {}),
    });
    const progress = { phase: 'checking', done: [], left: [] };
    (0, workflow_1.setHandler)(exports.rollbackProgressQuery, () => progress);
    let status = (await look.describeUpgrade({ workflowId: runId })).status;
    if (status === 'RUNNING') {
        // Read before the abort: a run that rolls itself back forgets its record, and with it its plan.
        const rec = (0, workflow_1.patched)(backup_files_1.RESTORE_ARTIFACTS_PATCH) ? await restorableRun(database, runId) : null;
        progress.phase = 'aborting';
        workflow_1.log.warn('the upgrade run is open: aborting it, it rolls itself back', { runId });
        await (0, workflow_1.getExternalWorkflowHandle)(runId).signal(abortSignal, { reason });
        while (status === 'RUNNING') {
            await (0, workflow_1.sleep)(POLL_MS, { summary: `wait for ${runId} to finish rolling itself back` });
            status = (await look.describeUpgrade({ workflowId: runId })).status;
        }
        const files = rec ? await restoreFiles(runId, rec.plan, progress) : undefined;
        progress.phase = 'done';
        const message = `run ${runId} was aborted and rolled itself back (workflow ${status.toLowerCase()}); see stp-upgrade status ${runId}${restoredText(files)}`;
        return ended({ mode: 'aborted', upgradeStatus: status, undone: [], message }, files);
    }
    const rec = await look.loadRun({ database, runId });
    if (!rec || rec.status === 'rolled_back') {
        progress.phase = 'done';
        const message = rec
            ? `run ${runId} is already rolled back`
            : `no record of run ${runId} in database ${database}: a rolled-back run forgets itself, and a run refused at preflight changed nothing`;
        return ended({ mode: 'nothing', upgradeStatus: status, undone: [], message });
    }
    const plan = rec.plan;
    // Capture ends at finalize: what green wrote since cannot be carried back. Said, and refused
    // unless the operator accepts it (`--accept-loss`), before anything changes.
    if ((0, workflow_1.patched)(FINALIZED_WRITES_PATCH) && !input.acceptLoss) {
        const since = await look.writesSinceFinalize({ runId, plan }).catch(() => null);
        if (since && since.writes > 0) {
            throw workflow_1.ApplicationFailure.create({
                type: 'UncarriedWrites',
                nonRetryable: true,
                message: `run ${runId} was finalized at ${since.at}; the target tables took ${since.writes} writes since then, which cannot be ` +
                    `carried back to the legacy tables (capture ends at finalize). Nothing was changed. Run \`stp-upgrade rollback ${runId} --accept-loss\` to roll back anyway.`,
            });
        }
    }
    const steps = (0, rollback_1.revertSteps)(plan);
    // Last, the run's bookkeeping: its rows, and stp_migration itself when the run created it.
    const forget = (0, workflow_1.patched)(FORGET_RUN_PATCH);
    if (forget)
        steps.push({ key: 'preflight.forgetRun', activity: 'forgetRun', input: { dropBookkeeping: rec.createdBookkeeping === true } });
    progress.phase = 'reverting';
    progress.left = steps.map((s) => s.key);
    workflow_1.log.warn('reverting a finished upgrade run', { runId, status: rec.status, steps: progress.left });
    // Holds the run lease while undoing, so no new upgrade starts on a half-reverted database.
    await quick.releaseRun({ runId, plan, status: 'rolling_back' });
    // First the previous configuration and binary, so blue comes back on them (emergency_rollback.sh).
    const files = await restoreFiles(runId, plan, progress, async (error) => {
        await quick.releaseRun({ runId, plan, status: 'rollback_failed', report: { left: progress.left, cause: error } }).catch(() => undefined);
    });
    for (const s of steps) {
        try {
            workflow_1.log.info('compensating', { compensation: s.key });
            await proxies_1.undo[s.activity]({ runId, plan, ...s.input });
            progress.done.push(s.key);
            progress.left = progress.left.filter((k) => k !== s.key);
        }
        catch (err) {
            progress.phase = 'failed';
            progress.error = `${s.key}: ${(0, rollback_2.rootCause)(err).message}`;
            await quick.releaseRun({ runId, plan, status: 'rollback_failed', report: { left: progress.left, cause: progress.error } })
                .catch((e) => workflow_1.log.error('releaseRun failed', { error: (0, rollback_2.rootCause)(e).message }));
            await (0, alerts_1.notify)({ runId, plan }, 'rollback_failed', `emergency rollback failed at ${progress.error}. Left to undo by hand: ${progress.left.join(', ')}`);
            throw workflow_1.ApplicationFailure.create({
                type: upgrade_input_1.SagaFailureTypes.rollbackFailed,
                nonRetryable: true,
                message: `rollback of ${runId} failed at ${progress.error}. Left to undo by hand: ${progress.left.join(', ')}`,
                details: [progress],
            });
        }
    }
    if (!forget) {
        await quick.releaseRun({ runId, plan, status: 'rolled_back', report: { rolledBackBy: (0, workflow_1.workflowInfo)().workflowId, reason, undone: progress.done } });
    }
    progress.phase = 'done';
    const message = `run ${runId} reverted: ${progress.done.join(', ') || 'nothing to undo'}${restoredText(files)}`;
    await (0, alerts_1.notify)({ runId, plan }, 'rolled_back', `emergency rollback: ${message}`);
    return ended({ mode: 'reverted', upgradeStatus: status, undone: progress.done, message }, files);
}
/** The run's stored record, when it names a backup of configuration or binary to restore from. */
async function restorableRun(database, runId) {
    const rec = await look.loadRun({ database, runId }).catch(() => null);
    return rec && rec.plan.steps.includes('backup') && (rec.plan.backup.config || rec.plan.backup.binary) ? rec : null;
}
/** restoreConfigAndBinary, failing the rollback like any undo that fails (RollbackFailed, what is left). */
async function restoreFiles(runId, plan, progress, onFail) {
    try {
        const files = await (0, backup_files_1.restoreConfigAndBinary)(runId, plan);
        if (files)
            progress.done.push('backup.restoreArtifacts');
        return files;
    }
    catch (err) {
        progress.phase = 'failed';
        progress.error = `backup.restoreArtifacts: ${(0, rollback_2.rootCause)(err).message}`;
        await onFail?.(progress.error);
        await (0, alerts_1.notify)({ runId, plan }, 'rollback_failed', `emergency rollback failed restoring the configuration and binary: ${progress.error}`);
        throw workflow_1.ApplicationFailure.create({
            type: upgrade_input_1.SagaFailureTypes.rollbackFailed,
            nonRetryable: true,
            message: `rollback of ${runId} failed at ${progress.error}. The previous configuration and binary are in the run's backup directory (manifest.json lists them)`,
            details: [progress],
        });
    }
}
function restoredText(files) {
    if (!files)
        return '';
    if (files.restored.length === 0)
        return '; configuration and binary already as backed up';
    return `; restored from the backup: ${files.restored.join(', ')}${files.restarted ? `; blue restarted (${files.health})` : ''}`;
}
//# sourceMappingURL=rollback.js.map