import fs from 'node:fs';
import path from 'node:path';
import { createReleaseActivities } from '../../activities/release';
import { NginxControl, nginxLayout, startNginx } from '../../activities/release/switch';
import { ALL_STEPS, parsePlan, type PlanInput } from '../../common/plan';
import { EnvPools } from '../../workers/databases';
import { call, freePort } from '../release/support';
import type { CaseRun } from './harness';

/**
 * Production before the upgrade, as in test/release/release-e2e.test.ts and demo/release.ts:
 * blue (reference service v1, process deployer) behind a project-owned nginx on loopback. The
 * worker finds `nginx` first in a directory of the case, a wrapper that can hold a reload
 * (`hold-reload` file: the switch is in flight and can be killed) or fail a reload towards green
 * (`fail-reload-green` file), else runs the real binary.
 */
const WRAPPER = `#!/bin/bash
dir=$(dirname "$0"); prefix=; reload=
prev=; for a in "$@"; do [ "$prev" = -p ] && prefix=$a; [ "$a" = reload ] && reload=1; prev=$a; done
if [ -n "$reload" ] && [ -f "$dir/hold-reload" ]; then
  touch "$dir/holding"; for _ in $(seq 1 900); do [ -f "$dir/hold-reload" ] || break; sleep 0.1; done; rm -f "$dir/holding"
fi
if [ -n "$reload" ] && [ -f "$dir/fail-reload-green" ] && grep -q '"instance":"green"' "$prefix/upstream.conf" 2>/dev/null; then
  echo 'nginx: [emerg] reload failed (injected by the fault suite)' >&2; exit 1
fi
exec /usr/sbin/nginx "$@"
`;

export interface ReleaseWorld {
  lb: string;
  ports: { blue: number; green: number; lb: number };
  wrapperDir: string;
  plan: (monitorSeconds: number) => PlanInput;
  servedBy: () => Promise<string>;
}

export async function setupRelease(r: CaseRun, dataPlan: PlanInput): Promise<ReleaseWorld> {
  const ports = { blue: await freePort(), green: await freePort(), lb: await freePort() };
  const wrapperDir = path.join(r.dir, 'nginx-bin');
  fs.mkdirSync(wrapperDir, { recursive: true });
  fs.writeFileSync(path.join(wrapperDir, 'nginx'), WRAPPER, { mode: 0o755 });
  r.workerEnv = { PATH: `${wrapperDir}:${process.env.PATH}` };
  const stateDir = path.join(r.dir, 'deploy');
  const nginxDir = path.join(r.dir, 'nginx');
  const plan = (monitorSeconds: number): PlanInput => ({
    ...dataPlan,
    steps: [...ALL_STEPS],
    release: {
      deployer: { kind: 'process', stateDir, blue: { port: ports.blue }, green: { port: ports.green } },
      traffic: { kind: 'nginx', nginx: { stateDir: nginxDir, listenPort: ports.lb } },
      health: { consecutive: 3, deadlineSeconds: 30, intervalMs: 300 },
      approval: { required: false },
      drainSeconds: 1,
      blueAfterSwitch: 'stop',
      monitoring: { durationSeconds: monitorSeconds, intervalSeconds: 2, baselineSamples: 2, baselineIntervalSeconds: 0 },
    },
  });
  const parsed = parsePlan(plan(10));
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const env = { STP_DATABASE_URL: r.url };
  const pools = new EnvPools(env);
  const acts = createReleaseActivities({ pools, resolveUrl: (d: string) => pools.url(d), stateRoot: path.join(r.dir, 'state'), env });
  r.onCleanup('release pools', () => pools.close());
  r.onCleanup('blue, green and nginx', async () => {
    for (const which of ['green', 'blue'] as const) await acts.stopInstance({ runId: 'faults-cleanup', plan: parsed.plan, which }).catch(() => undefined);
    await new NginxControl(nginxLayout(nginxDir), '/usr/sbin/nginx').stop(2000).catch(() => undefined);
  });
  await acts.startBlue({ runId: 'faults-setup', plan: parsed.plan });
  await startNginx({ stateDir: nginxDir, listenPort: ports.lb, upstream: { instance: 'blue', port: ports.blue, version: '1' }, nginxBin: '/usr/sbin/nginx' });
  const lb = `http://127.0.0.1:${ports.lb}`;
  const servedBy = async () => {
    try {
      const a = await call(lb, 'GET', '/api/v1/health', undefined, 3000);
      return `${String(a.headers['x-stp-instance'])} v${String(a.headers['x-stp-version'])} (HTTP ${a.status})`;
    } catch (err) {
      return `nothing (${(err as Error).message})`;
    }
  };
  return { lb, ports, wrapperDir, plan, servedBy };
}

/** After a completed release: green v2 serves through nginx. After a rollback: blue v1. */
export async function checkServing(r: CaseRun, world: ReleaseWorld, expect: 'green' | 'blue'): Promise<void> {
  const who = await world.servedBy();
  r.note(`nginx serves ${who}`);
  if (!who.startsWith(`${expect} `)) r.problem(`nginx serves ${who}, expected ${expect}`);
}
