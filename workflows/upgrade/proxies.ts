import { ActivityCancellationType, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { DataActivities } from '../../common/activities';
import { compensation, copyBatch, longSql, quickSql } from '../profiles';

/**
 * pg_dump and pg_restore: the backup heartbeats on the bytes it writes; while pg_restore runs, the
 * worker's keepAlive (workers/main.ts) heartbeats for it. So a dead worker costs 20 s here too.
 */
const longChild: ActivityOptions = { startToCloseTimeout: '2 hours', heartbeatTimeout: '20s', retry: quickSql.retry };

/**
 * One activity under a profile, with the one-line summary the Temporal UI shows on its event.
 * Long statements learn of a cancellation at their next heartbeat (seconds) and cancel it; a slice
 * is waited for when cancelled, so a rollback never drops the target tables under a batch that is
 * still writing.
 */
function one<K extends keyof DataActivities>(name: K, options: ActivityOptions, summary: string): DataActivities[K] {
  return proxyActivities<DataActivities>({ ...options, summary })[name];
}

/** The data activities with the profile each one runs under. */
export const acts = {
  preflight: one('preflight', longSql, 'preflight: legacy tables and columns, extensions, every defect'),
  acquireRun: one('acquireRun', quickSql, 'take the run lease on the database (stp_migration.runs)'),
  releaseRun: one('releaseRun', quickSql, 'record how the run ended and release its lease'),
  backup: one('backup', longChild, 'pg_dump of the database, then a test restore'),
  createTargetSchema: one('createTargetSchema', quickSql, 'create the target tables'),
  finishTargetSchema: one('finishTargetSchema', longSql, 'indexes and foreign keys of the target tables'),
  quarantineDefects: one('quarantineDefects', longSql, 'quarantine the legacy defects (stp_migration.quarantine)'),
  copySlice: one('copySlice', { ...copyBatch, cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED }, 'copy a slice of keyset batches of one rule'),
  planRanges: one('planRanges', longSql, 'split a rule into key ranges, once per run (plan.copy.parallelism)'),
  buildVectorIndex: one('buildVectorIndex', longSql, 'build the vector index (CREATE INDEX CONCURRENTLY)'),
  prepareGraph: one('prepareGraph', quickSql, 'create the target graph and its labels'),
  verify: one('verify', longSql, 'verify: counts, checksums, consistency (contract section 5)'),
} satisfies Partial<DataActivities>;

/**
 * copySlice of one key range (plan.copy.parallelism), dispatched through the task queue's matching,
 * not eagerly to the worker that scheduled it: any worker polling the queue takes it.
 */
export const copyRange = one('copySlice', {
  ...copyBatch, cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED, allowEagerDispatch: false,
}, 'copy a slice of keyset batches of one key range of a rule');

/**
 * planRanges in concurrent rules, waited for when cancelled like a slice: splitting tags builds
 * their stage, which a rollback must not race (its drop would miss a table not yet committed).
 */
export const planRangesWaited = one('planRanges', {
  ...longSql, cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
}, 'split a rule into key ranges, once per run (plan.copy.parallelism)');

/**
 * Compensations are stored as (activity name, input) so they survive continue-as-new; the proxy
 * resolves any name, which lets the release half register its own undo activities.
 */
export const undo = proxyActivities<Record<string, (input: unknown) => Promise<unknown>>>(compensation);
