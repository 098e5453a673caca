import { makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import type pino from 'pino';
import { sdkLogger } from './logging';

export const METRICS_ADDRESS_VARIABLE = 'STP_METRICS_ADDRESS';

/** A bad STP_METRICS_ADDRESS, named before the worker starts. */
export class MetricsSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetricsSettingsError';
  }
}

/** host:port of STP_METRICS_ADDRESS, or undefined (no metrics endpoint). */
export function metricsAddress(env: NodeJS.ProcessEnv): string | undefined {
  const v = env[METRICS_ADDRESS_VARIABLE]?.trim();
  if (!v) return undefined;
  const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(v);
  if (!m || Number(m[2]) > 65535) {
    throw new MetricsSettingsError(`${METRICS_ADDRESS_VARIABLE}=${v}: expected host:port to serve Prometheus metrics on, e.g. 127.0.0.1:9464 (or 0.0.0.0:9464 in a container).`);
  }
  return v;
}

/**
 * The process-wide Temporal runtime of the worker: its logger is our pino logger (core logs are
 * forwarded to it), and with STP_METRICS_ADDRESS a Prometheus endpoint (GET /metrics) serves the
 * SDK's metrics and ours (common/metrics.ts, through the SDK's metric meter), one endpoint.
 * Installed once per process; a second call (a test that runs two workers) keeps the first.
 */
export function installRuntime(env: NodeJS.ProcessEnv, log: pino.Logger): void {
  const bindAddress = metricsAddress(env);
  if (Runtime._instance) return;
  const level = log.level === 'trace' ? 'TRACE' : log.level === 'debug' ? 'DEBUG' : 'WARN';
  Runtime.install({
    logger: sdkLogger(log),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: level, other: 'ERROR' }), forward: {} },
      ...(bindAddress ? { metrics: { prometheus: { bindAddress, countersTotalSuffix: true, useSecondsForDurations: true } } } : {}),
    },
  });
}
