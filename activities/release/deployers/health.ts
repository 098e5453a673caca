import { createHash } from 'node:crypto';
import { DeployFailedError, HealthTimeoutError } from '../errors';
import { probe, ProbeResult, sleep } from '../http-probe';
import type { DeployHandle, DeploySpec, HealthReport, WaitOptions } from './types';

export const HEALTH_PATH = '/api/v1/health';

/** Hash of a spec with sorted keys, so that key order does not matter. */
export function specHash(spec: DeploySpec): string {
  const canon = JSON.stringify(spec, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v);
  return createHash('sha256').update(canon).digest('hex').slice(0, 32);
}

/**
 * Polls GET /api/v1/health on the instance's port until it answers 200 "healthy" from that very
 * instance (X-STP-Instance, when the service sends it). Fails early when `alive` says it exited.
 */
export async function waitForHealth(
  handle: DeployHandle,
  alive: () => Promise<boolean>,
  describe: () => string,
  opts: WaitOptions = {},
): Promise<HealthReport> {
  const started = Date.now();
  const deadline = started + (opts.timeoutMs ?? 30_000);
  let last = 'no answer yet';
  for (;;) {
    if (!(await alive())) throw new DeployFailedError(`${handle.instance} exited before it became healthy; ${describe()}`);
    const seen: ProbeResult | Error = await probe(`http://127.0.0.1:${handle.port}${HEALTH_PATH}`, 1000).catch((e: Error) => e);
    if (seen instanceof Error) {
      last = seen.message;
    } else {
      const body = seen.body as { status?: string; version?: string; components?: { database?: { schema_version?: number } } };
      const ours = seen.instance === undefined || seen.instance === handle.identity;
      if (seen.status === 200 && body?.status === 'healthy' && ours) {
        return { status: 'healthy', version: seen.version ?? body.version, instance: seen.instance,
          schemaVersion: body.components?.database?.schema_version, elapsedMs: Date.now() - started };
      }
      last = `HTTP ${seen.status} from instance ${seen.instance ?? '?'}: ${JSON.stringify(seen.body).slice(0, 300)}`;
    }
    if (Date.now() >= deadline) {
      throw new HealthTimeoutError(`${handle.instance} on port ${handle.port} not healthy after ${Date.now() - started} ms (last: ${last}); ${describe()}`);
    }
    await sleep(opts.intervalMs ?? 100);
  }
}
