/**
 * The runbook's Memory and CPU Planning, as `assess` reports it: the service's memory now (blue's
 * /metrics) and what to give it during the migration (the runbook's 2x).
 */
export interface ServiceResources {
  url: string;
  memoryBytes: number | null;
  recommendedMemoryBytes: number | null;
  error?: string;
}

export const MIGRATION_MEMORY_FACTOR = 2;
