import type { Pools } from './db';
import { createAssessActivities } from './assess';

/** Dependencies every activity family receives, built once by the worker. */
export interface ActivityDeps {
  pools: Pools;
}

/** All activities the worker registers, merged from the families. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createAssessActivities(deps),
  };
}
