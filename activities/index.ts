import type { Pools } from './db';
import { keepAliveAll } from './heartbeat';
import { createAlertActivities } from './alerts';
import { createAssessActivities } from './assess';
import { createBackupActivities } from './backup';
import { createCopyActivities } from './copy';
import { createDefectListActivities } from './defect-list';
import { createEmbeddingsActivities } from './embeddings';
import { createExportActivities } from './export';
import { createGraphActivities } from './graph';
import { createMonitorActivities } from './monitor';
import { createPreflightActivities } from './preflight';
import { createQuarantineActivities } from './quarantine';
import { createReleaseActivities } from './release';
import { createRollbackActivities } from './rollback';
import { createRunActivities } from './runs';
import { createSchemaActivities } from './schema';
import { createSyncActivities } from './sync';
import { createVerifyActivities } from './verify';

/** Dependencies every activity family receives, built once by the worker. */
export interface ActivityDeps {
  pools: Pools;
  /** Database name -> connection string, from the worker's own environment (for pg_dump, services). */
  resolveUrl: (database: string) => string;
  /** Where deployer and nginx state of plans without absolute paths live. */
  stateRoot: string;
  env?: NodeJS.ProcessEnv;
}

/** All activities the worker registers, merged from the families. */
export function createActivities(deps: ActivityDeps) {
  const release = createReleaseActivities(deps);
  // Every activity of every worker (the real one, the demo's, the tests') heartbeats while it runs,
  // so the short heartbeat timeouts of workflows/profiles.ts hold everywhere.
  return keepAliveAll({
    ...createAssessActivities(deps),
    ...createPreflightActivities(deps),
    ...createRunActivities(deps),
    ...createBackupActivities(deps),
    ...createSchemaActivities(deps),
    ...createQuarantineActivities(deps),
    ...createCopyActivities(deps),
    ...createEmbeddingsActivities(deps),
    ...createGraphActivities(deps),
    ...createVerifyActivities(deps),
    ...release,
    ...createSyncActivities({ pools: deps.pools, switchTraffic: (input) => release.switchTraffic(input) }),
    ...createRollbackActivities(deps),
    ...createMonitorActivities(),
    ...createExportActivities(deps),
    ...createAlertActivities(deps),
    ...createDefectListActivities(deps),
  });
}

export type AllActivities = ReturnType<typeof createActivities>;
