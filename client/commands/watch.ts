import { setTimeout as sleep } from 'node:timers/promises';
import { QueryNames } from '../../common/names';
import type { Progress } from '../../common/steps';
import { CliError, type Command, stringOpt } from '../command';
import { connectClient } from '../connection';
import { withLiveMonitoring } from '../monitor-live';
import { withRollback } from '../rolled-back';
import { awaitOutcome, existingRun } from '../upgrade-outcome';
import { duration, formatOutcome, formatProgress } from '../upgrade-view';
import { missingWorker, withQueryDeadline } from '../worker-check';

/** How often watch asks Temporal whether a worker polls the run's task queue. */
const WORKER_CHECK_MS = 5000;

export const watchCommand: Command = {
  name: 'watch',
  summary: 'follow an upgrade run live until it ends; exits with the run\'s exit code',
  usage: 'stp-upgrade watch ID [--interval MS]',
  help: [
    'Redraws phase, step and one progress bar per copy rule every second on a terminal; prints a',
    'plain line whenever something changes when stdout is not a terminal (logs, CI). Ctrl-C stops',
    'watching, not the run. Exit code: 0 completed, 1 failed and rolled back, 2 refused before',
    'changing anything, 3 rollback failed. When no worker polls the run\'s task queue, a line on',
    'stderr says so (and how to start one) and watch goes on waiting.',
    'Example: stp-upgrade watch stp-upgrade-primary-20250102T030405Z',
  ].join('\n'),
  options: { interval: { type: 'string' } },
  async run(args, ctx) {
    const [id, ...extra] = args.positionals;
    if (!id || extra.length > 0) throw new CliError(`expected one run id. Usage: ${this.usage}`);
    const interval = Number(stringOpt(args, 'interval') ?? 1000);
    if (!Number.isInteger(interval) || interval < 50) throw new CliError('--interval: expected milliseconds, at least 50');
    const tty = process.stdout.isTTY === true && ctx.env.TERM !== 'dumb';
    const { client, close } = await connectClient(ctx.env);
    try {
      let { handle, status } = await existingRun(client, id);
      const queue = status === 'RUNNING' ? (await handle.describe()).taskQueue : '';
      let drawn = 0;
      let last = '';
      let noWorker: string | undefined;
      let checked = 0;
      while (status === 'RUNNING') {
        if (Date.now() - checked >= WORKER_CHECK_MS) {
          checked = Date.now();
          const now = await missingWorker(client, queue);
          if (now !== noWorker) {
            ctx.err(`stp-upgrade watch: ${now ? `run ${id} waits: ${now}` : `a worker polls task queue "${queue}" now.`}`);
            drawn = 0; // keep the message on screen: the next frame is drawn below it
            noWorker = now;
          }
        }
        // Without a worker a query only waits for the server's timeout: skip it.
        const q = noWorker ? undefined : await withQueryDeadline(client, () => handle.query<Progress>(QueryNames.progress), 5000).catch(() => undefined);
        const p = q && (await withLiveMonitoring(client, q));
        if (p) {
          const lines = tty ? formatProgress(p) : [plainLine(p)];
          const text = lines.join('\n');
          if (tty) {
            // Move up over the previous frame and clear it, then draw the new one.
            ctx.out(`${drawn ? `\x1b[${drawn}A\x1b[0J` : ''}${text}`);
            drawn = lines.length;
          } else if (text !== last) ctx.out(text);
          last = text;
        }
        await sleep(interval);
        status = (await handle.describe()).status.name;
      }
      const outcome = await withRollback(client, handle, await withQueryDeadline(client, () => awaitOutcome(handle)));
      ctx.out(`${tty && drawn ? `\x1b[${drawn}A\x1b[0J` : ''}${formatOutcome(outcome).join('\n')}`);
      return outcome.exitCode;
    } finally {
      await close();
    }
  },
};

/** One line per change for logs: phase, step and the rule being copied. */
export function plainLine(p: Progress): string {
  const rules = Object.entries(p.rules)
    .filter(([, r]) => r && r.done < r.total)
    .map(([rule, r]) => `${rule} ${r!.done}/${r!.total}`);
  const m = p.monitoring && !p.monitoring.outcome
    ? ` checks ${p.monitoring.checks} failures ${p.monitoring.failures} left ${duration(p.monitoring.secondsLeft)}${p.monitoring.paused ? ' (monitor paused)' : ''}`
    : '';
  return `${p.phase}${p.step ? ` ${p.step}` : ''}${rules.length ? ` ${rules.join(' ')}` : ''}${m}${p.paused ? ' (paused)' : ''}`;
}
