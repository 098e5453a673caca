import fs from 'node:fs';
import { CancelledFailure } from '@temporalio/common';
import type { Side } from '../../../common/release';
import type { StepInput } from '../../../common/steps';
import { sleep } from '../http-probe';
import { nginxLayout, NginxControl, startNginx, type SwitchResult } from '../switch';
import { cancelled, heartbeat, type ReleaseContext, releaseContext, type ReleaseDeps } from './context';
import { ensureRunning } from './deploy';

const other = (side: Side): Side => (side === 'green' ? 'blue' : 'green');

/** The project-owned nginx, started (serving blue) when it does not run yet; adopted untouched when it does. */
async function ensureNginx(deps: ReleaseDeps, ctx: ReleaseContext): Promise<void> {
  if (ctx.release.traffic.kind !== 'nginx') return;
  await startNginx({ stateDir: ctx.nginxDir, listenPort: ctx.release.traffic.nginx.listenPort, upstream: ctx.target('blue'),
    nginxBin: deps.nginxBin, runner: deps.runner });
}

/** Moves traffic to a side and proves it by the X-STP-Instance/Version of answers through the load balancer. */
async function switchTo(deps: ReleaseDeps, ctx: ReleaseContext, to: Side): Promise<SwitchResult> {
  await ensureNginx(deps, ctx);
  heartbeat({ switching: to });
  // previous is passed explicitly: the command kind cannot read it, and undo must go to the other side
  return ctx.trafficSwitch().switchTo(ctx.target(to), { previous: ctx.target(other(to)) });
}

export function createSwitchSteps(deps: ReleaseDeps) {
  return {
    /**
     * Switches the load balancer to green (the default) and proves it. Running it again re-proves
     * the same state. Compensation: switchBack (registered before this runs).
     */
    async switchTraffic({ plan, to = 'green' }: StepInput & { to?: Side }): Promise<SwitchResult> {
      return switchTo(deps, releaseContext(deps, plan), to);
    },

    /**
     * Compensation of switchTraffic: blue is made sure to run (it may have been stopped after the
     * drain), then traffic goes back to it, proven the same way. Nothing to do when the project's
     * nginx never ran.
     */
    async switchBack({ plan }: StepInput): Promise<SwitchResult | { switched: false }> {
      const ctx = releaseContext(deps, plan);
      if (ctx.release.traffic.kind === 'nginx') {
        const layout = nginxLayout(ctx.nginxDir);
        if (new NginxControl(layout, deps.nginxBin, deps.runner).pid() === null && !fs.existsSync(layout.upstreamFile)) {
          return { switched: false };
        }
      }
      await ensureRunning(ctx, 'blue');
      return switchTo(deps, ctx, 'blue');
    },

    /**
     * Waits while blue finishes the requests it still holds (the runbook's `sleep 60`), heartbeating.
     * The saga may as well use a workflow timer (`sleep`): it holds no worker slot and survives a
     * worker restart. Cancellation ends the wait early.
     */
    async drain({ plan, seconds }: StepInput & { seconds?: number }): Promise<{ waitedMs: number }> {
      const total = (seconds ?? releaseContext(deps, plan).release.drainSeconds) * 1000;
      const started = Date.now();
      const signal = cancelled();
      while (Date.now() - started < total) {
        if (signal?.aborted) throw new CancelledFailure('drain cancelled');
        heartbeat({ waitedMs: Date.now() - started });
        await sleep(Math.min(1000, total - (Date.now() - started)));
      }
      return { waitedMs: Date.now() - started };
    },
  };
}
