import fs from 'node:fs';
import { writeFileAtomic } from '../atomic';
import type { CommandRunner } from '../command';
import { SwitchNotProvenError } from '../errors';
import { NginxControl } from './nginx-control';
import { NginxLayout, readUpstreamTarget, renderUpstream } from './nginx-files';
import { proveServing } from './prove';
import type { ProofOptions, SwitchResult, SwitchTarget, TrafficSwitch } from './types';

export interface NginxSwitchOptions {
  /** The nginx to drive; for the project-owned one, nginxLayout(stateDir). */
  layout: NginxLayout;
  /** Load balancer URL the proof requests go through, e.g. http://127.0.0.1:8088. */
  lbUrl: string;
  /** Reloads tried before the switch is reported as not proven (default 3). */
  attempts?: number;
  proof?: ProofOptions;
  nginxBin?: string;
  runner?: CommandRunner;
}

/**
 * kind nginx: rewrite the upstream file atomically, `nginx -t`, reload (or start), prove. A config
 * that nginx rejects puts the previous upstream file back before throwing.
 */
export function createNginxSwitch(opts: NginxSwitchOptions): TrafficSwitch {
  const control = new NginxControl(opts.layout, opts.nginxBin, opts.runner);
  const file = opts.layout.upstreamFile;

  const sw: TrafficSwitch = {
    kind: 'nginx',
    async switchTo(target, { previous } = {}) {
      const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
      const prev = previous ?? readUpstreamTarget(file);
      writeFileAtomic(file, renderUpstream(target));
      try {
        await control.test();
      } catch (err) {
        if (before === null) fs.rmSync(file, { force: true });
        else writeFileAtomic(file, before);
        throw err;
      }
      const attempts = opts.attempts ?? 3;
      let last: unknown;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        await control.reloadOrStart();
        try {
          const proof = await proveServing(opts.lbUrl, target, opts.proof);
          return { target, previous: prev, attempts: attempt, proof };
        } catch (err) {
          if (!(err instanceof SwitchNotProvenError)) throw err;
          last = err;
        }
      }
      throw new SwitchNotProvenError(`nginx reloaded ${attempts} times but traffic did not move: ${(last as Error).message}`);
    },
    undo: (result: SwitchResult) =>
      result.previous ? sw.switchTo(result.previous, { previous: result.target }) : Promise.resolve(null),
  };
  return sw;
}

export type { SwitchTarget };
