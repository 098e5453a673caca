import { ActivityCancellationType, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { DataActivities } from '../../common/activities';
import { compensation, longBatch, quickSql } from '../profiles';

/**
 * One long SQL statement or external program (pg_dump, CREATE INDEX, a set-based quarantine): it
 * cannot heartbeat mid-statement, so only the start-to-close timeout bounds it.
 */
const longSql: ActivityOptions = { startToCloseTimeout: '2 hours', retry: quickSql.retry };

const quick = proxyActivities<DataActivities>(quickSql);
const long = proxyActivities<DataActivities>(longSql);
// A slice heartbeats, so it learns of a cancellation; waiting for it to stop means a rollback never
// drops the target tables under a batch that is still writing.
const sliced = proxyActivities<DataActivities>({ ...longBatch, cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED });

/** The data activities with the profile each one runs under. */
export const acts = {
  preflight: quick.preflight,
  acquireRun: quick.acquireRun,
  releaseRun: quick.releaseRun,
  backup: long.backup,
  createTargetSchema: quick.createTargetSchema,
  finishTargetSchema: long.finishTargetSchema,
  quarantineDefects: long.quarantineDefects,
  copySlice: sliced.copySlice,
  buildVectorIndex: long.buildVectorIndex,
  prepareGraph: quick.prepareGraph,
  verify: long.verify,
} satisfies Partial<DataActivities>;

/**
 * Compensations are stored as (activity name, input) so they survive continue-as-new; the proxy
 * resolves any name, which lets the release half register its own undo activities.
 */
export const undo = proxyActivities<Record<string, (input: unknown) => Promise<unknown>>>(compensation);
