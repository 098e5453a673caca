"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MetricsSettingsError = exports.METRICS_ADDRESS_VARIABLE = void 0;
exports.metricsAddress = metricsAddress;
exports.installRuntime = installRuntime;
const worker_1 = require("@temporalio/worker");
const logging_1 = require("./logging");
exports.METRICS_ADDRESS_VARIABLE = 'STP_METRICS_ADDRESS';
/** A bad STP_METRICS_ADDRESS, named before the worker starts. */
class MetricsSettingsError extends Error {
    constructor(message) {
        super(message);
        this.name = 'MetricsSettingsError';
    }
}
exports.MetricsSettingsError = MetricsSettingsError;
/** host:port of STP_METRICS_ADDRESS, or undefined (no metrics endpoint). */
function metricsAddress(env) {
    const v = env[exports.METRICS_ADDRESS_VARIABLE]?.trim();
    if (!v)
        return undefined;
    const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(v);
    if (!m || Number(m[2]) > 65535) {
        throw new MetricsSettingsError(`${exports.METRICS_ADDRESS_VARIABLE}=${v}: expected host:port to serve Prometheus metrics on, e.g. 127.0.0.1:9464 (or 0.0.0.0:9464 in a container).`);
    }
    return v;
}
/**
 * The process-wide Temporal runtime of the worker: its logger is our pino logger (core logs are
 * forwarded to it), and with STP_METRICS_ADDRESS a Prometheus endpoint (GET /metrics) serves the
 * SDK's metrics and ours (common/metrics.ts, through the SDK's metric meter), one endpoint.
 * Installed once per process; a second call (a test that runs two workers) keeps the first.
 */
function installRuntime(env, log) {
    const bindAddress = metricsAddress(env);
    if (worker_1.Runtime._instance)
        return;
    const level = log.level === 'trace' ? 'TRACE' : log.level === 'debug' ? 'DEBUG' : 'WARN';
    worker_1.Runtime.install({
        logger: (0, logging_1.sdkLogger)(log),
        telemetryOptions: {
            logging: { filter: (0, worker_1.makeTelemetryFilterString)({ core: level, other: 'ERROR' }), forward: {} },
            ...(bindAddress ? { metrics: { prometheus: { bindAddress, countersTotalSuffix: true, useSecondsForDurations: true } } } : {}),
        },
    });
}
//# sourceMappingURL=runtime.js.map