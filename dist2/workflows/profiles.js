"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.compensation = exports.externalCall = exports.longSql = exports.copyBatch = exports.longBatch = exports.interactiveSql = exports.quickSql = void 0;
const errors_1 = require("../common/errors");
/*
 * Named timeout and retry profiles for activities. Activities heartbeat every few seconds while
 * they run (activities/heartbeat.ts keepAlive), so a heartbeat timeout of 15-20 s is what a killed
 * worker costs before another takes over; start-to-close only bounds an attempt that is alive but
 * stuck. Connection errors (a database restart, a failover) are retryable: never list them.
 */
/**
 * Short statements (a lease row, a table): seconds, heartbeating in case one waits on a lock.
 * Ten attempts span about 2.5 minutes: long enough for a database restart with crash recovery.
 */
exports.quickSql = {
    startToCloseTimeout: '2 minutes',
    heartbeatTimeout: '20s',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 10, nonRetryableErrorTypes: errors_1.NON_RETRYABLE_ERRORS },
};
/** For a read-only check an operator waits for at the terminal: fail within seconds. */
exports.interactiveSql = {
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '2s', maximumAttempts: 3, nonRetryableErrorTypes: errors_1.NON_RETRYABLE_ERRORS },
};
/** Long batched work: heartbeats a checkpoint; a dead worker is noticed within the heartbeat timeout. */
exports.longBatch = {
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: '15s',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20, nonRetryableErrorTypes: errors_1.NON_RETRYABLE_ERRORS },
};
/**
 * Copy slices (workflows/upgrade/copy.ts): the slice heartbeats every COPY_BEAT_MS (1.5 s) and the
 * worker sends heartbeats at least every 3 s (maxHeartbeatThrottleInterval), so 6 s without one
 * means the worker is gone: a kill -9 mid-copy costs about that plus a second of retry backoff,
 * not the 15-20 s of the other profiles.
 */
exports.copyBatch = { ...exports.longBatch, heartbeatTimeout: '6s' };
/**
 * One long statement (CREATE INDEX CONCURRENTLY, VALIDATE CONSTRAINT, a set-based quarantine, the
 * verify and preflight scans): it heartbeats while it waits on the database, so a dead worker is
 * noticed after 15 s; a retry terminates the statement the dead attempt left running. Start-to-close
 * is generous (an index build on tens of millions of rows) because liveness is the heartbeat's job.
 * Retried like a batch: a database restart mid-statement fails it, and it is simply redone.
 */
exports.longSql = {
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: '15s',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20, nonRetryableErrorTypes: errors_1.NON_RETRYABLE_ERRORS },
};
/** Calls to processes outside the database: deployers, load balancers, HTTP checks. */
exports.externalCall = {
    startToCloseTimeout: '5 minutes',
    heartbeatTimeout: '20s',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5, nonRetryableErrorTypes: errors_1.NON_RETRYABLE_ERRORS },
};
/** Compensations: retried for a long time; a rollback gives up only when it truly cannot proceed. */
exports.compensation = {
    startToCloseTimeout: '30 minutes',
    heartbeatTimeout: '20s',
    retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10, nonRetryableErrorTypes: errors_1.NON_RETRYABLE_ERRORS },
};
//# sourceMappingURL=profiles.js.map