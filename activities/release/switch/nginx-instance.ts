import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../atomic';
import type { CommandRunner } from '../command';
import { NginxCommandError } from '../errors';
import { probe, sleep } from '../http-probe';
import { NginxControl } from './nginx-control';
import { NginxLayout, nginxLayout, renderNginxConf, renderUpstream } from './nginx-files';
import type { SwitchTarget } from './types';

export interface NginxInstanceOptions {
  /** Holds nginx.conf, upstream.conf, the pid file, logs and temp dirs. */
  stateDir: string;
  /** Loopback port nginx listens on. */
  listenPort: number;
  /** Where traffic goes first. */
  upstream: SwitchTarget;
  nginxBin?: string;
  runner?: CommandRunner;
}

/** A running project-owned nginx: its files, its URL and its controller. */
export interface NginxInstance {
  layout: NginxLayout;
  url: string;
  control: NginxControl;
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts an nginx of the project's own, listening on 127.0.0.1:listenPort and proxying to the
 * upstream target, or adopts the one already running from this state directory untouched (an
 * existing upstream file is kept too), so that a retried start never moves traffic.
 */
export async function startNginx(opts: NginxInstanceOptions): Promise<NginxInstance> {
  const layout = nginxLayout(opts.stateDir);
  const control = new NginxControl(layout, opts.nginxBin, opts.runner);
  const url = `http://127.0.0.1:${opts.listenPort}`;
  const instance: NginxInstance = { layout, url, control, stop: (graceMs) => control.stop(graceMs) };
  // An nginx already running is adopted as it is: probing it would go through its upstream (a
  // degraded green during a rollback answers slowly), and stopping it on a slow answer is an outage.
  if (control.pid() !== null) return instance;
  // Workers run as an unprivileged user when the master is root: they must reach the temp dirs.
  fs.mkdirSync(path.join(layout.prefix, 'temp'), { recursive: true });
  fs.chmodSync(layout.prefix, 0o755);
  writeFileAtomic(layout.conf, renderNginxConf(layout, opts.listenPort, { tempPaths: await control.tempPathModules() }));
  if (!fs.existsSync(layout.upstreamFile)) writeFileAtomic(layout.upstreamFile, renderUpstream(opts.upstream));
  await control.test();
  await control.reloadOrStart();
  const deadline = Date.now() + 5000;
  for (;;) {
    const r = await probe(`${url}/api/v1/health`, 1000).catch((e: Error) => e);
    if (!(r instanceof Error)) return instance;
    if (Date.now() > deadline) {
      await control.stop(1000);
      throw new NginxCommandError(`nginx did not answer on ${url}: ${r.message}; see ${layout.errorLog}`);
    }
    await sleep(50);
  }
}
