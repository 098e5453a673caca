import { SwitchNotProvenError } from '../errors';
import { probe, sleep } from '../http-probe';
import type { Proof, ProofOptions, SwitchTarget } from './types';

/**
 * Requests through the load balancer until `consecutive` answers in a row come from the target
 * (X-STP-Instance, and X-STP-Version when the target names one). Every probe opens a new
 * connection, so an old nginx worker that still holds a keep-alive connection cannot fake it.
 */
export async function proveServing(lbUrl: string, target: SwitchTarget, opts: ProofOptions = {}): Promise<Proof> {
  const want = opts.consecutive ?? 5;
  const started = Date.now();
  const deadline = started + (opts.deadlineMs ?? 10_000);
  const url = `${lbUrl.replace(/\/$/, '')}${opts.path ?? '/api/v1/health'}`;
  const seen: Record<string, number> = {};
  let run = 0;
  let requests = 0;
  while (Date.now() < deadline) {
    requests++;
    const r = await probe(url, 2000).catch((e: Error) => e);
    const key = r instanceof Error ? `error: ${r.message}` : `${r.instance ?? '?'}/${r.version ?? '?'}`;
    seen[key] = (seen[key] ?? 0) + 1;
    const match = !(r instanceof Error) && r.instance === target.instance && (target.version === undefined || r.version === target.version);
    run = match ? run + 1 : 0;
    if (run >= want) return { requests, consecutive: run, elapsedMs: Date.now() - started, seen };
    await sleep(opts.intervalMs ?? 20);
  }
  throw new SwitchNotProvenError(
    `${url} did not answer from ${target.instance}${target.version ? ` v${target.version}` : ''} ` +
      `${want} times in a row within ${opts.deadlineMs ?? 10_000} ms; answers seen: ${JSON.stringify(seen)}`,
  );
}
