import { ActivityCancellationType, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { DataActivities } from '../../common/activities';
import { compensation, copyBatch, longSql, quickSql } from '../profiles';

/**
 * pg_dump and pg_restore: the backup heartbeats on the bytes it writes; while pg_restore runs, the
 * worker's keepAlive (workers/main.ts) heartbeats for it. So a dead worker costs 20 s here too.
 */
const longChild: ActivityOptions = { startToCloseTimeout: '2 hours', heartbeatTimeout: '20s', retry: quickSql.retry };

const quick = proxyActivities<DataActivities>(quickSql);
// On cancellation the activity learns of it at its next heartbeat (seconds) and cancels its statement.
const long = proxyActivities<DataActivities>(longSql);
const child = proxyActivities<DataActivities>(longChild);
// A slice heartbeats, so it learns of a cancellation; waiting for it to stop means a rollback never
// drops the target tables under a batch that is still writing.
const sliced = proxyActivities<DataActivities>({ ...copyBatch, cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED });
// Key ranges (plan.copy.parallelism) go through the task queue's matching, not eagerly to the worker
// that scheduled them: any worker polling the queue takes them, so a fleet shares one rule.
const spread = proxyActivities<DataActivities>({
  ...copyBatch, cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED, allowEagerDispatch: false,
});

/** The data activities with the profile each one runs under. */
export const acts = {
  preflight: long.preflight,
  acquireRun: quick.acquireRun,
  releaseRun: quick.releaseRun,
  backup: child.backup,
  createTargetSchema: quick.createTargetSchema,
  finishTargetSchema: long.finishTargetSchema,
  quarantineDefects: long.quarantineDefects,
  copySlice: sliced.copySlice,
  planRanges: long.planRanges,
  buildVectorIndex: long.buildVectorIndex,
  prepareGraph: quick.prepareGraph,
  verify: long.verify,
} satisfies Partial<DataActivities>;

/** copySlice of one key range, taken by any worker on the task queue. */
export const copyRange = spread.copySlice;

/**
 * Compensations are stored as (activity name, input) so they survive continue-as-new; the proxy
 * resolves any name, which lets the release half register its own undo activities.
 */
export const undo = proxyActivities<Record<string, (input: unknown) => Promise<unknown>>>(compensation);
