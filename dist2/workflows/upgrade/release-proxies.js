"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.relLong = exports.rel = exports.RELEASE_NON_RETRYABLE = void 0;
exports.deployProxy = deployProxy;
exports.baselineProxy = baselineProxy;
const workflow_1 = require("@temporalio/workflow");
const errors_1 = require("../../common/errors");
const profiles_1 = require("../profiles");
/**
 * Permanent failures of the release activities (activities/release/errors.ts and steps/errors.ts;
 * workflow code may not import activity modules, a unit test keeps the lists equal).
 */
exports.RELEASE_NON_RETRYABLE = ['DeployConflictError', 'NginxConfigError', 'SwitchNotProvenError', 'SmokeTestError'];
const retry = { ...profiles_1.externalCall.retry, nonRetryableErrorTypes: [...errors_1.NON_RETRYABLE_ERRORS, ...exports.RELEASE_NON_RETRYABLE] };
const external = { ...profiles_1.externalCall, retry };
/** HTTP calls to green, blue and the load balancer: minutes at most, heartbeating. */
exports.rel = (0, workflow_1.proxyActivities)(external);
/**
 * CREATE INDEX CONCURRENTLY and ANALYZE: the activity heartbeats while the statement runs
 * (ensureIndex), so a dead worker is noticed within longSql's heartbeat timeout, and the retry
 * terminates the build the dead attempt left running before rebuilding.
 */
exports.relLong = (0, workflow_1.proxyActivities)({ ...profiles_1.longSql, retry: { ...profiles_1.longSql.retry, nonRetryableErrorTypes: retry.nonRetryableErrorTypes } });
/** deployGreen waits for `consecutive` healthy answers within the plan's deadline; one retry redeploys. */
function deployProxy(release) {
    const seconds = release.health.deadlineSeconds + 120;
    return (0, workflow_1.proxyActivities)({ ...external, startToCloseTimeout: `${seconds}s`, retry: { ...retry, maximumAttempts: 2 } });
}
/** measureBaseline sleeps between samples; the heartbeat comes after each one. */
function baselineProxy(m) {
    const gap = Math.ceil(m.baselineIntervalSeconds) + 30; // a sample is 3 GETs of at most 10 s each
    return (0, workflow_1.proxyActivities)({
        ...external,
        startToCloseTimeout: `${m.baselineSamples * gap + 60}s`,
        heartbeatTimeout: `${gap + 30}s`,
    });
}
//# sourceMappingURL=release-proxies.js.map