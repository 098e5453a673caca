import { setTimeout as sleep } from 'node:timers/promises';
import { QueryNames } from '../../common/names';
import type { Progress } from '../../common/steps';
import { CliError, type Command, stringOpt } from '../command';
import { connectClient } from '../connection';
import { withLiveMonitoring } from '../monitor-live';
import { withRollback } from '../rolled-back';
import { awaitOutcome, existingRun } from '../upgrade-outcome';
import { runDetails, detailLines } from '../run-details';
import { fitLines, redraw } from '../terminal';
import { duration, formatOutcome, formatProgress } from '../upgrade-view';
import { missingWorker, withQueryDeadline } from '../worker-check';

/** How often watch asks Temporal whether a worker polls the run's task queue. */
const WORKER_CHECK_MS = 5000;

export const watchCommand: Command = {
  name: 'watch',
  summary: 'follow an upgrade run live until it ends; exits with the run\'s exit code',
  usage: 'stp-upgrade watch ID [--interval MS]',
  help: [
    'Redraws phase, step and one progress bar per copy rule every second on a terminal, in place and',
    'fitted to its width (a long line is broken, never wrapped by the terminal); the ETA covers the',
    'whole copy, and a step whose activity fails and is retried shows a RETRYING line with its error.',
    'Prints a plain line whenever something changes when stdout is not a terminal (logs, CI). Ctrl-C stops',
    'watching, not the run. Exit code: 0 completed, 1 failed and rolled back, 2 refused before',
    'changing anything, 3 rollback failed, 4 Temporal unreachable. When no worker polls the run\'s task queue, a line on',
    'stderr says so (and how to start one) and watch goes on waiting.',
    'Example: stp-upgrade watch stp-upgrade-primary-20250102T030405Z',
  ].join('\n'),
  options: { interval: { type: 'string' } },
  async run(args, ctx) {
    const [id, ...extra] = args.positionals;
    if (!id || extra.length > 0) throw new CliError(`expected one run id. Usage: ${this.usage}`);
    const interval = Number(stringOpt(args, 'interval') ?? 1000);
    if (!Number.isInteger(interval) || interval < 50) throw new CliError(`--interval: expected milliseconds, at least 50, got "${stringOpt(args, 'interval')}"`);
    const tty = process.stdout.isTTY === true && ctx.env.TERM !== 'dumb';
    const columns = () => process.stdout.columns || Number(ctx.env.COLUMNS) || 80;
    const { client, close } = await connectClient(ctx.env);
    try {
      let { handle, status, description } = await existingRun(client, id);
      const queue = status === 'RUNNING' ? description.taskQueue : '';
      let drawn = 0;
      let last = '';
      let noWorker: string | undefined;
      let checked = 0;
      let p: Progress | undefined;
      let asked = 0;
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
        if (!noWorker && Date.now() - asked >= interval) {
          asked = Date.now();
          const q = await withQueryDeadline(client, () => handle.query<Progress>(QueryNames.progress), 5000).catch(() => undefined);
          p = (q && (await withLiveMonitoring(client, q))) ?? p;
        }
        const details = detailLines(runDetails(description));
        if (p) {
          if (tty) {
            const lines = fitLines([...formatProgress(p, { columns: columns(), now: Date.now() }), ...details], columns());
            ctx.out(redraw(drawn, lines));
            drawn = lines.length;
          } else {
            const text = [plainLine(p), ...details.filter((l) => l.startsWith('RETRYING'))].join('\n');
            if (text !== last) ctx.out(text);
            last = text;
          }
        }
        // The bar of the rule in flight moves every second even when the progress is asked less often.
        await sleep(tty ? Math.min(interval, 1000) : interval);
        description = await handle.describe();
        status = description.status.name;
      }
      const outcome = await withRollback(client, handle, await withQueryDeadline(client, () => awaitOutcome(handle)));
      const final = [...formatOutcome(outcome), ...detailLines(runDetails(await handle.describe()))];
      ctx.out(tty ? redraw(drawn, fitLines(final, columns())) : final.join('\n'));
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
  const eta = rules.length && p.etaSeconds !== null ? ` eta ${duration(p.etaSeconds)}` : '';
  return `${p.phase}${p.step ? ` ${p.step}` : ''}${rules.length ? ` ${rules.join(' ')}` : ''}${eta}${m}${p.paused ? ' (paused)' : ''}${p.error ? ` error: ${p.error}` : ''}`;
}
