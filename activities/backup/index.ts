import fs from 'node:fs';
import path from 'node:path';
import { PreconditionError } from '../../common/errors';
import type { Baseline } from '../../common/monitor';
import type { StepInput } from '../../common/steps';
import { connectionError } from '../assess';
import { type Pools, withAdvisoryLock } from '../db';
import { type BackupArtifact, restoreArtifacts, type RestoreResult } from './artifacts';
import { baselineFile, BASELINE_FILE } from './baseline';
import { type BackupFile, readVerifiedManifest, runDirectory, writePrivateFile } from './manifest';
import { runBackup } from './run';
import { bounded } from './space';

export type { BackupArtifact, RestoreResult } from './artifacts';
export type { BackupFile, BackupManifest } from './manifest';
export { BASELINE_FILE } from './baseline';

export interface BackupResult {
  dir: string;
  files: BackupFile[];
  restoreTested: boolean;
  artifacts?: BackupArtifact[];
}

export interface BackupDeps {
  pools: Pools;
  /** The connection string of a database name (the worker's EnvPools.url); never logged or stored. */
  resolveUrl(database: string): string;
}

/**
 * The backup step: pg_dump (custom format) of the tables the run touches, a manifest with sha256
 * sums, and optionally a restore into a scratch database to prove the dump restores. All or
 * nothing: a dump that did not finish never keeps its final name and is removed (or marked
 * INCOMPLETE), and a backup that does not fit fails with InsufficientSpaceError, not retried.
 */
export function createBackupActivities({ pools, resolveUrl }: BackupDeps) {
  return {
    async backup({ runId, plan }: StepInput): Promise<BackupResult> {
      const dir = runDirectory(plan.backup.dir, runId);
      // a hung mount must not hold the activity in the manifest check below
      await bounded(plan.backup.dir, 'stat', () => fs.promises.stat(dir)).catch((err: unknown) => {
        if (err instanceof PreconditionError) throw err;
      });
      const pool = pools.get(plan.database);
      const held = await withAdvisoryLock(pool, `stp-upgrade:backup:${runId}`, async () => {
        const done = await readVerifiedManifest(dir, runId);
        if (done && (done.restore_tested || !plan.backup.testRestore)) {
          return { dir, files: done.files, restoreTested: done.restore_tested, ...(done.artifacts ? { artifacts: done.artifacts } : {}) };
        }
        return runBackup({ pool, url: resolveUrl(plan.database), dir, runId, plan });
      }).catch((err: unknown) => {
        throw connectionError(plan.database, err);
      });
      if (!held.locked) throw new Error(`another attempt is backing up run ${runId} right now; retrying later`);
      return held.value;
    },

    /**
     * The emergency rollback's half of emergency_rollback.sh: the configuration and binary the
     * backup holds go back where they were, where the live file differs (content or mode) or is
     * gone. Nothing to do (an empty result) when the run backed none up. The backup must be intact.
     */
    async restoreArtifacts({ runId, plan }: StepInput): Promise<RestoreResult & { backupDir: string }> {
      const dir = runDirectory(plan.backup.dir, runId);
      const manifest = await readVerifiedManifest(dir, runId);
      if (!manifest) {
        if (!plan.backup.config && !plan.backup.binary) return { restored: [], unchanged: [], backupDir: dir };
        throw new PreconditionError(`the backup of run ${runId} in ${dir} is missing or damaged (manifest.json, SHA256SUMS): the configuration and binary cannot be restored from it`);
      }
      return { ...(await restoreArtifacts(dir, manifest.artifacts ?? [])), backupDir: dir };
    },

    /**
     * performance_baseline.json in the run's backup directory (performance_comparison.sh reads
     * `.histograms.http_request_duration.p95` from it): blue's figures before the switch.
     * Rewritten when the baseline is measured again (after an approval gate).
     */
    async writeBaseline({ runId, plan, baseline, url }: StepInput & { baseline: Baseline; url: string }): Promise<{ file: string }> {
      const dir = runDirectory(plan.backup.dir, runId);
      await bounded(plan.backup.dir, `mkdir ${dir}`, () => fs.promises.mkdir(dir, { recursive: true, mode: 0o700 }));
      const file = path.join(dir, BASELINE_FILE);
      await bounded(plan.backup.dir, `writing ${file}`, () => writePrivateFile(file, JSON.stringify(baselineFile(baseline, url, runId), null, 2) + '\n'));
      return { file };
    },
  };
}
