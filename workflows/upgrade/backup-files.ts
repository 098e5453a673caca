import { isCancellation, log, patched, proxyActivities } from '@temporalio/workflow';
import type { createBackupActivities } from '../../activities/backup';
import type { ReleaseActivities } from '../../activities/release';
import type { Baseline } from '../../common/monitor';
import type { Plan } from '../../common/plan';
import { compensation, quickSql } from '../profiles';

type Backup = ReturnType<typeof createBackupActivities>;
const files = proxyActivities<Backup>({ ...quickSql, retry: { ...quickSql.retry, maximumAttempts: 3 } });
const restore = proxyActivities<Backup & Pick<ReleaseActivities, 'restartBlue'>>(compensation);

/** Runs started before these files existed replay without them. */
const BASELINE_FILE_PATCH = 'baseline-file-in-backup';
export const RESTORE_ARTIFACTS_PATCH = 'rollback-restores-config-and-binary';

/**
 * performance_baseline.json in the run's backup directory, for performance_comparison.sh and the
 * operator. A copy for people: a failure to write it is logged, never fails the run.
 */
export async function keepBaselineFile(run: { runId: string; plan: Plan }, baseline: Baseline, url: string): Promise<void> {
  if (!run.plan.steps.includes('backup') || !patched(BASELINE_FILE_PATCH)) return;
  try {
    const r = await files.writeBaseline({ runId: run.runId, plan: run.plan, baseline, url });
    log.info('baseline kept in the backup', r);
  } catch (err) {
    if (isCancellation(err)) throw err;
    log.warn('could not write performance_baseline.json into the backup', { error: err instanceof Error ? err.message : String(err) });
  }
}

/** What the emergency rollback put back from the backup, and blue's health after its restart. */
export interface ArtifactsRestored {
  restored: string[];
  restarted: boolean;
  health?: string;
}

/**
 * emergency_rollback.sh's restore: the previous configuration and binary from the run's backup,
 * where the live ones differ; then blue restarted through the deployer (so it runs them) and its
 * health checked. Only for a plan that backed them up.
 */
export async function restoreConfigAndBinary(runId: string, plan: Plan): Promise<ArtifactsRestored | undefined> {
  if (!plan.steps.includes('backup') || (!plan.backup.config && !plan.backup.binary) || !patched(RESTORE_ARTIFACTS_PATCH)) return undefined;
  const r = await restore.restoreArtifacts({ runId, plan });
  log.info('configuration and binary checked against the backup', { restored: r.restored, unchanged: r.unchanged.length });
  if (r.restored.length === 0 || !plan.release) return { restored: r.restored, restarted: false };
  const blue = await restore.restartBlue({ runId, plan });
  log.info('blue restarted with the restored files', { instance: blue.instance, health: blue.health.status, checks: blue.checks });
  return { restored: r.restored, restarted: true, health: blue.health.status };
}
