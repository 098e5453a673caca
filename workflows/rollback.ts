import {
  ApplicationFailure, defineQuery, defineSignal, getExternalWorkflowHandle, log, patched, proxyActivities, setHandler, sleep, workflowInfo,
} from '@temporalio/workflow';
import type { RollbackActivities } from '../activities/rollback';
import type { createSyncActivities } from '../activities/sync';
import type { DataActivities } from '../common/activities';
import { DatabaseName } from '../common/database-name';
import { QueryNames, SignalNames } from '../common/names';
import type { Plan } from '../common/plan';
import { revertSteps, type RollbackInput, type RollbackProgress, type RollbackResult } from '../common/rollback';
import { type AbortInput, SagaFailureTypes } from '../common/upgrade-input';
import { interactiveSql, quickSql } from './profiles';
import { rootCause } from './upgrade/rollback';
import { notify } from './alerts';
import { type ArtifactsRestored, RESTORE_ARTIFACTS_PATCH, restoreConfigAndBinary } from './upgrade/backup-files';
import { undo } from './upgrade/proxies';

const look = proxyActivities<RollbackActivities & Pick<ReturnType<typeof createSyncActivities>, 'writesSinceFinalize'>>(interactiveSql);
const quick = proxyActivities<DataActivities>(quickSql);
const abortSignal = defineSignal<[AbortInput?]>(SignalNames.abort);
export const rollbackProgressQuery = defineQuery<RollbackProgress>(QueryNames.progress);

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
export async function rollbackWorkflow(input: RollbackInput): Promise<RollbackResult> {
  const runId = typeof input?.runId === 'string' ? input.runId.trim() : '';
  const db = DatabaseName.safeParse(input?.database ?? 'primary');
  if (!runId || !db.success) {
    throw ApplicationFailure.create({ type: SagaFailureTypes.badInput, nonRetryable: true, message: !runId ? 'runId: expected the upgrade run id' : `database: ${db.error?.issues[0]?.message}` });
  }
  const database = db.data;
  const reason = input.reason ?? `emergency rollback (${workflowInfo().workflowId})`;
  const ended = (r: Omit<RollbackResult, 'runId' | 'reason' | 'at'>, files?: ArtifactsRestored): RollbackResult => ({
    runId, reason, at: new Date().toISOString(), ...r, ...(files ? { restored: files.restored, blueRestarted: files.restarted } : {}),
  });
  const progress: RollbackProgress = { phase: 'checking', done: [], left: [] };
  setHandler(rollbackProgressQuery, () => progress);

  let status = (await look.describeUpgrade({ workflowId: runId })).status;
  if (status === 'RUNNING') {
    // Read before the abort: a run that rolls itself back forgets its record, and with it its plan.
    const rec = patched(RESTORE_ARTIFACTS_PATCH) ? await restorableRun(database, runId) : null;
    progress.phase = 'aborting';
    log.warn('the upgrade run is open: aborting it, it rolls itself back', { runId });
    await getExternalWorkflowHandle(runId).signal(abortSignal, { reason });
    while (status === 'RUNNING') {
      await sleep(POLL_MS, { summary: `wait for ${runId} to finish rolling itself back` });
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
  if (patched(FINALIZED_WRITES_PATCH) && !input.acceptLoss) {
    const since = await look.writesSinceFinalize({ runId, plan }).catch(() => null);
    if (since && since.writes > 0) {
      throw ApplicationFailure.create({
        type: 'UncarriedWrites',
        nonRetryable: true,
        message: `run ${runId} was finalized at ${since.at}; the target tables took ${since.writes} writes since then, which cannot be ` +
          `carried back to the legacy tables (capture ends at finalize). Nothing was changed. Run \`stp-upgrade rollback ${runId} --accept-loss\` to roll back anyway.`,
      });
    }
  }
  const steps = revertSteps(plan);
  // Last, the run's bookkeeping: its rows, and stp_migration itself when the run created it.
  const forget = patched(FORGET_RUN_PATCH);
  if (forget) steps.push({ key: 'preflight.forgetRun', activity: 'forgetRun', input: { dropBookkeeping: rec.createdBookkeeping === true } });
  progress.phase = 'reverting';
  progress.left = steps.map((s) => s.key);
  log.warn('reverting a finished upgrade run', { runId, status: rec.status, steps: progress.left });
  // Holds the run lease while undoing, so no new upgrade starts on a half-reverted database.
  await quick.releaseRun({ runId, plan, status: 'rolling_back' });
  // First the previous configuration and binary, so blue comes back on them (emergency_rollback.sh).
  const files = await restoreFiles(runId, plan, progress, async (error) => {
    await quick.releaseRun({ runId, plan, status: 'rollback_failed', report: { left: progress.left, cause: error } }).catch(() => undefined);
  });
  for (const s of steps) {
    try {
      log.info('compensating', { compensation: s.key });
      await undo[s.activity]({ runId, plan, ...s.input });
      progress.done.push(s.key);
      progress.left = progress.left.filter((k) => k !== s.key);
    } catch (err) {
      progress.phase = 'failed';
      progress.error = `${s.key}: ${rootCause(err).message}`;
      await quick.releaseRun({ runId, plan, status: 'rollback_failed', report: { left: progress.left, cause: progress.error } })
        .catch((e: unknown) => log.error('releaseRun failed', { error: rootCause(e).message }));
      await notify({ runId, plan }, 'rollback_failed', `emergency rollback failed at ${progress.error}. Left to undo by hand: ${progress.left.join(', ')}`);
      throw ApplicationFailure.create({
        type: SagaFailureTypes.rollbackFailed,
        nonRetryable: true,
        message: `rollback of ${runId} failed at ${progress.error}. Left to undo by hand: ${progress.left.join(', ')}`,
        details: [progress],
      });
    }
  }
  if (!forget) {
    await quick.releaseRun({ runId, plan, status: 'rolled_back', report: { rolledBackBy: workflowInfo().workflowId, reason, undone: progress.done } });
  }
  progress.phase = 'done';
  const message = `run ${runId} reverted: ${progress.done.join(', ') || 'nothing to undo'}${restoredText(files)}`;
  await notify({ runId, plan }, 'rolled_back', `emergency rollback: ${message}`);
  return ended({ mode: 'reverted', upgradeStatus: status, undone: progress.done, message }, files);
}

/** The run's stored record, when it names a backup of configuration or binary to restore from. */
async function restorableRun(database: string, runId: string) {
  const rec = await look.loadRun({ database, runId }).catch(() => null);
  return rec && rec.plan.steps.includes('backup') && (rec.plan.backup.config || rec.plan.backup.binary) ? rec : null;
}

/** restoreConfigAndBinary, failing the rollback like any undo that fails (RollbackFailed, what is left). */
async function restoreFiles(runId: string, plan: Plan, progress: RollbackProgress, onFail?: (error: string) => Promise<void>) {
  try {
    const files = await restoreConfigAndBinary(runId, plan);
    if (files) progress.done.push('backup.restoreArtifacts');
    return files;
  } catch (err) {
    progress.phase = 'failed';
    progress.error = `backup.restoreArtifacts: ${rootCause(err).message}`;
    await onFail?.(progress.error);
    await notify({ runId, plan }, 'rollback_failed', `emergency rollback failed restoring the configuration and binary: ${progress.error}`);
    throw ApplicationFailure.create({
      type: SagaFailureTypes.rollbackFailed,
      nonRetryable: true,
      message: `rollback of ${runId} failed at ${progress.error}. The previous configuration and binary are in the run's backup directory (manifest.json lists them)`,
      details: [progress],
    });
  }
}

function restoredText(files: ArtifactsRestored | undefined): string {
  if (!files) return '';
  if (files.restored.length === 0) return '; configuration and binary already as backed up';
  return `; restored from the backup: ${files.restored.join(', ')}${files.restarted ? `; blue restarted (${files.health})` : ''}`;
}
