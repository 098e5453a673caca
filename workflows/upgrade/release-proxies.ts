import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { MonitorActivities } from '../../activities/monitor';
import type { ReleaseActivities } from '../../activities/release';
import { NON_RETRYABLE_ERRORS } from '../../common/errors';
import type { MonitoringPlan } from '../../common/monitor';
import type { ReleasePlan } from '../../common/release';
import { externalCall } from '../profiles';

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
 * CREATE INDEX CONCURRENTLY cannot heartbeat mid-statement: only the start-to-close timeout bounds
 * it, as for the data half's long statements.
 */
export const relLong = proxyActivities<Release>({ startToCloseTimeout: '2 hours', retry });

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
