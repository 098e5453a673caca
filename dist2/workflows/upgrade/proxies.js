"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.undo = exports.planRangesWaited = exports.copyRange = exports.acts = void 0;
const workflow_1 = require("@temporalio/workflow");
const profiles_1 = require("../profiles");
/**
 * pg_dump and pg_restore: the backup heartbeats on the bytes it writes; while pg_restore runs, the
 * worker's keepAlive (workers/main.ts) heartbeats for it. So a dead worker costs 20 s here too.
 */
const longChild = { startToCloseTimeout: '2 hours', heartbeatTimeout: '20s', retry: profiles_1.quickSql.retry };
/**
 * One activity under a profile, with the one-line summary the Temporal UI shows on its event.
 * Long statements learn of a cancellation at their next heartbeat (seconds) and cancel it; a slice
 * is waited for when cancelled, so a rollback never drops the target tables under a batch that is
 * still writing.
 */
function one(name, options, summary) {
    return (0, workflow_1.proxyActivities)({ ...options, summary })[name];
}
/** The data activities with the profile each one runs under. */
exports.acts = {
    preflight: one('preflight', profiles_1.longSql, 'preflight: legacy tables and columns, extensions, every defect'),
    acquireRun: one('acquireRun', profiles_1.quickSql, 'take the run lease on the database (stp_migration.runs)'),
    releaseRun: one('releaseRun', profiles_1.quickSql, 'record how the run ended and release its lease'),
    backup: one('backup', longChild, 'pg_dump of the database, then a test restore'),
    createTargetSchema: one('createTargetSchema', profiles_1.quickSql, 'create the target tables'),
    finishTargetSchema: one('finishTargetSchema', profiles_1.longSql, 'indexes and foreign keys of the target tables'),
    quarantineDefects: one('quarantineDefects', profiles_1.longSql, 'quarantine the legacy defects (stp_migration.quarantine)'),
    copySlice: one('copySlice', { ...profiles_1.copyBatch, cancellationType: workflow_1.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED }, 'copy a slice of keyset batches of one rule'),
    planRanges: one('planRanges', profiles_1.longSql, 'split a rule into key ranges, once per run (plan.copy.parallelism)'),
    buildVectorIndex: one('buildVectorIndex', profiles_1.longSql, 'build the vector index (CREATE INDEX CONCURRENTLY)'),
    prepareGraph: one('prepareGraph', profiles_1.quickSql, 'create the target graph and its labels'),
    verify: one('verify', profiles_1.longSql, 'verify: counts, checksums, consistency (contract section 5)'),
};
/**
 * copySlice of one key range (plan.copy.parallelism), dispatched through the task queue's matching,
 * not eagerly to the worker that scheduled it: any worker polling the queue takes it.
 */
exports.copyRange = one('copySlice', {
    ...profiles_1.copyBatch, cancellationType: workflow_1.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED, allowEagerDispatch: false,
}, 'copy a slice of keyset batches of one key range of a rule');
/**
 * planRanges in concurrent rules, waited for when cancelled like a slice: splitting tags builds
 * their stage, which a rollback must not race (its drop would miss a table not yet committed).
 */
exports.planRangesWaited = one('planRanges', {
    ...profiles_1.longSql, cancellationType: workflow_1.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
}, 'split a rule into key ranges, once per run (plan.copy.parallelism)');
/**
 * Compensations are stored as (activity name, input) so they survive continue-as-new; the proxy
 * resolves any name, which lets the release half register its own undo activities.
 */
exports.undo = (0, workflow_1.proxyActivities)(profiles_1.compensation);
//# sourceMappingURL=proxies.js.map