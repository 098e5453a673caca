import { MIGRATION_MEMORY_FACTOR, type ServiceResources } from '../common/resources';
import type { Assessment } from '../common/steps';


/** Reads memory_usage_bytes (the runbook's `.gauges.memory_usage_bytes`) from the service's metrics. */
export async function serviceResources(baseUrl: string, timeoutMs = 5000): Promise<ServiceResources> {
  const url = baseUrl.replace(/\/+$/, '');
  const target = /\/api\/v\d+$/.test(url) ? `${url}/metrics` : `${url}/api/v1/metrics`;
  try {
    const res = await fetch(target, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return { url, memoryBytes: null, recommendedMemoryBytes: null, error: `GET ${target}: HTTP ${res.status}` };
    const body = (await res.json()) as { gauges?: { memory_usage_bytes?: unknown } };
    const mem = body.gauges?.memory_usage_bytes;
    if (typeof mem !== 'number' || !Number.isFinite(mem)) {
      return { url, memoryBytes: null, recommendedMemoryBytes: null, error: `GET ${target}: no gauges.memory_usage_bytes` };
    }
    return { url, memoryBytes: mem, recommendedMemoryBytes: mem * MIGRATION_MEMORY_FACTOR };
  } catch (err) {
    const e = err as Error & { cause?: Error };
    return { url, memoryBytes: null, recommendedMemoryBytes: null, error: `GET ${target}: ${e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : e.cause?.message ?? e.message}` };
  }
}

/** The assessment with the service's resources; a service that does not answer is a warning, not a failure. */
export function withResources(a: Assessment, r: ServiceResources): Assessment {
  const warnings = r.error ? [...a.warnings, `service memory unknown: ${r.error}`] : a.warnings;
  return { ...a, resources: r, warnings };
}
