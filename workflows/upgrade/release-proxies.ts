import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { MonitorActivities } from '../../activities/monitor';
import type { ReleaseActivities } from '../../activities/release';
import { NON_RETRYABLE_ERRORS } from '../../common/errors';
import type { MonitoringPlan } from '../../common/monitor';
import type { ReleasePlan } from '../../common/release';
import { externalCall, longSql } from '../profiles';

/**
 * Permanent failures of the release activities (activities/release/errors.ts and steps/errors.ts;
 * workflow code may not import activity modules, a unit test keeps the lists equal).
 */
export const RELEASE_NON_RETRYABLE = ['DeployConflictError', 'NginxConfigError', 'SwitchNotProvenError', 'SmokeTestError'];

const retry = { ...externalCall.retry, nonRetryableErrorTypes: [...NON_RETRYABLE_ERRORS, ...RELEASE_NON_RETRYABLE] };
const external: ActivityOptions = { ...externalCall, retry };

type Release = ReleaseActivities & MonitorActivities;

/** HTTP calls to green, blue and the load balancer: minutes at most, heartbeating. */
export const rel = proxyActivities<Release>(external);

/**
 * CREATE INDEX CONCURRENTLY and ANALYZE: the activity heartbeats while the statement runs
 * (ensureIndex), so a dead worker is noticed within longSql's heartbeat timeout, and the retry
 * terminates the build the dead attempt left running before rebuilding.
 */
export const relLong = proxyActivities<Release>({ ...longSql, retry: { ...longSql.retry, nonRetryableErrorTypes: retry.nonRetryableErrorTypes } });

/** deployGreen waits for `consecutive` healthy answers within the plan's deadline; one retry redeploys. */
export function deployProxy(release: ReleasePlan) {
  const seconds = release.health.deadlineSeconds + 120;
  return proxyActivities<Release>({ ...external, startToCloseTimeout: `${seconds}s`, retry: { ...retry, maximumAttempts: 2 } });
}

/** measureBaseline sleeps between samples; the heartbeat comes after each one. */
export function baselineProxy(m: MonitoringPlan) {
  const gap = Math.ceil(m.baselineIntervalSeconds) + 30; // a sample is 3 GETs of at most 10 s each
  return proxyActivities<Release>({
    ...external,
    startToCloseTimeout: `${m.baselineSamples * gap + 60}s`,
    heartbeatTimeout: `${gap + 30}s`,
  });
}
