import type { ReleaseDeps } from './steps/context';
import { createDeploySteps } from './steps/deploy';
import { createFinalizeSteps } from './steps/finalize';
import { createOptimizeSteps } from './steps/optimize';
import { createSmokeSteps } from './steps/smoke';
import { createSwitchSteps } from './steps/switch';

export type { ReleaseDeps } from './steps/context';
export type { DeployResult } from './steps/deploy';
export type { SmokeResult } from './steps/smoke';
export { FinalizeError, NON_RETRYABLE_RELEASE_STEP_ERRORS, SmokeTestError } from './steps/errors';
export { readSchemaVersion, SCHEMA_VERSION_DDL } from './steps/finalize';

/**
 * The release half of the saga (blue-green): deployGreen, smokeTests, optimizeDatabase, warmCache,
 * switchTraffic, drain, stopInstance, finalize, and their compensations stopInstance, switchBack,
 * startBlue, unfinalize. Every activity takes StepInput ({ runId, plan }) plus a small option, is
 * idempotent and is a no-op as a compensation of a step that did nothing. Blue's baseline is the
 * monitor family's measureBaseline.
 */
export function createReleaseActivities(deps: ReleaseDeps) {
  return {
    ...createDeploySteps(deps),
    ...createSmokeSteps(deps),
    ...createOptimizeSteps(deps),
    ...createSwitchSteps(deps),
    ...createFinalizeSteps(deps),
  };
}

export type ReleaseActivities = ReturnType<typeof createReleaseActivities>;
