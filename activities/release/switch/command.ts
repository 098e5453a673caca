import { CommandRunner, describeFailure, execRunner } from '../command';
import { SwitchCommandError, SwitchNotProvenError } from '../errors';
import { proveServing } from './prove';
import type { ProofOptions, SwitchResult, TrafficSwitch } from './types';

export interface CommandSwitchOptions {
  /** The operator's script, e.g. ['bash', '/etc/stp/switch.sh']; gets STP_TARGET_* in its env. */
  command: string[];
  lbUrl: string;
  attempts?: number;
  proof?: ProofOptions;
  runner?: CommandRunner;
  timeoutMs?: number;
}

/**
 * kind command: the operator's own load balancer update (the runbook's update_load_balancer_config),
 * run with STP_TARGET_PORT, STP_TARGET_HOST, STP_TARGET_INSTANCE and STP_TARGET_VERSION, then proven
 * the same way as nginx. A script that exits 0 without moving traffic is caught by the proof.
 */
export function createCommandSwitch(opts: CommandSwitchOptions): TrafficSwitch {
  const run = opts.runner ?? execRunner;
  const sw: TrafficSwitch = {
    kind: 'command',
    async switchTo(target, { previous } = {}) {
      const env = {
        STP_TARGET_PORT: String(target.port),
        STP_TARGET_HOST: target.host ?? '127.0.0.1',
        STP_TARGET_INSTANCE: target.instance,
        STP_TARGET_VERSION: target.version ?? '',
      };
      const attempts = opts.attempts ?? 3;
      let last: unknown;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        const r = await run(opts.command, { env, timeoutMs: opts.timeoutMs ?? 60_000 });
        if (r.code !== 0) throw new SwitchCommandError(describeFailure(opts.command, r));
        try {
          const proof = await proveServing(opts.lbUrl, target, opts.proof);
          return { target, previous: previous ?? null, attempts: attempt, proof };
        } catch (err) {
          if (!(err instanceof SwitchNotProvenError)) throw err;
          last = err;
        }
      }
      throw new SwitchNotProvenError(`${opts.command.join(' ')} ran ${attempts} times but traffic did not move: ${(last as Error).message}`);
    },
    undo: (result: SwitchResult) =>
      result.previous ? sw.switchTo(result.previous, { previous: result.target }) : Promise.resolve(null),
  };
  return sw;
}
