import type { StepName } from '../../common/plan';
import type { SagaRun } from './run';

/** A saga step: registers its compensations through `run.register`, then does its work. */
export type StepHandler = (run: SagaRun) => Promise<void>;
export type StepRegistry = Partial<Record<StepName, StepHandler>>;
