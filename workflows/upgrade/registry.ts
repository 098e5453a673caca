import { dataSteps } from './data-steps';
import { releaseSteps } from './release-steps';
import type { StepRegistry } from './registry-types';

/**
 * Every step the saga knows. The saga runs the plan's steps in ALL_STEPS order (common/plan.ts);
 * the release half adds its handlers here (`...releaseSteps`). A plan naming a step without a
 * handler is refused before anything changes.
 */
export const stepRegistry: StepRegistry = {
  ...dataSteps,
  ...releaseSteps,
};
