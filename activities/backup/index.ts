import fs from 'node:fs';
import { PreconditionError } from '../../common/errors';
import type { StepInput } from '../../common/steps';
import { connectionError } from '../assess';
import { type Pools, withAdvisoryLock } from '../db';
import { type BackupFile, readVerifiedManifest, runDirectory } from './manifest';
import { runBackup } from './run';
import { bounded } from './space';

export type { BackupFile, BackupManifest } from './manifest';

export interface BackupResult {
  dir: string;
  files: BackupFile[];
  restoreTested: boolean;
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
          return { dir, files: done.files, restoreTested: done.restore_tested };
        }
        return runBackup({ pool, url: resolveUrl(plan.database), dir, runId, plan });
      }).catch((err: unknown) => {
        throw connectionError(plan.database, err);
      });
      if (!held.locked) throw new Error(`another attempt is backing up run ${runId} right now; retrying later`);
      return held.value;
    },
  };
}
