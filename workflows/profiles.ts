import type { ActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_ERRORS } from '../common/errors';

/** Named timeout and retry profiles for activities. */
export const quickSql: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE_ERRORS },
};

/** For a read-only check an operator waits for at the terminal: fail within seconds. */
export const interactiveSql: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '2s', maximumAttempts: 3, nonRetryableErrorTypes: NON_RETRYABLE_ERRORS },
};

/** Long batched work: heartbeats a checkpoint; a dead worker is noticed within the heartbeat timeout. */
export const longBatch: ActivityOptions = {
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '30s',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20, nonRetryableErrorTypes: NON_RETRYABLE_ERRORS },
};

/** Calls to processes outside the database: deployers, load balancers, HTTP checks. */
export const externalCall: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5, nonRetryableErrorTypes: NON_RETRYABLE_ERRORS },
};

/** Compensations: retried for a long time; a rollback gives up only when it truly cannot proceed. */
export const compensation: ActivityOptions = {
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10, nonRetryableErrorTypes: NON_RETRYABLE_ERRORS },
};
