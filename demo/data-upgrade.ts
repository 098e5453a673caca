import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import { plainLine } from '../client/commands/watch';
import { withLiveMonitoring } from '../client/monitor-live';
import { awaitOutcome, type Outcome } from '../client/upgrade-outcome';
import { formatOutcome, formatProgress } from '../client/upgrade-view';
import { QueryNames, WorkflowTypes } from '../common/names';
import { DATA_STEPS, parsePlan, RELEASE_STEPS, type Plan } from '../common/plan';
import type { ReleasePlanInput } from '../common/release';
import type { Progress, VerifyReport } from '../common/steps';
import { DemoFailure, workflowUrl, type DemoContext, type DemoOptions } from './context';
import { startDecorations } from '../client/search-attributes';

/**
 * The demo's plan: every data step but backup (PGlite has no pg_dump), defects quarantined, small
 * batches; with `release` (demo/release.ts) the release steps follow in the same run.
 */
export function demoPlan(opts: DemoOptions, release?: ReleasePlanInput): Plan {
  const data = DATA_STEPS.filter((s) => s !== 'backup');
  const parsed = parsePlan({
    database: 'primary',
    defects: { policy: 'quarantine' },
    copy: { batchSize: opts.batchSize },
    graph: { batchSize: opts.batchSize },
    steps: release ? [...data, ...RELEASE_STEPS] : data,
    // PGlite runs one transaction at a time: the cut-over replays inside its own hold
    sync: { replayUnderHold: 'holding-connection' },
    ...(release ? { release } : {}),
  });
  if (!parsed.ok) throw new Error(`demo plan is invalid: ${parsed.errors.join('; ')}`);
  return parsed.plan;
}

/** Called on every progress poll (the release phase starts and stops its load from here). */
export type ProgressHook = (p: Progress) => void | Promise<void>;

/** What the caller adds to the live view: its hook and lines drawn under the progress on a terminal. */
export interface WatchExtras {
  onProgress?: ProgressHook;
  lines?: () => string[];
}

/**
 * Starts the upgrade workflow with `plan`, watches it live and returns its outcome and duration;
 * throws DemoFailure when it did not complete.
 */
export async function runUpgrade(ctx: DemoContext, plan: Plan, extras: WatchExtras = {}): Promise<{ outcome: Outcome; seconds: number }> {
  ctx.log(`plan: steps ${plan.steps.join(' → ')}; defects.policy ${plan.defects.policy}; batch size ${plan.copy.batchSize}`);
  ctx.log('backup step skipped: the embedded PostgreSQL has no pg_dump (a real run dumps and test-restores first)');
  const workflowId = `stp-upgrade-demo-${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}Z`;
  const handle = await ctx.client.workflow.start(WorkflowTypes.upgrade, { taskQueue: ctx.taskQueue, workflowId, args: [plan], ...(await startDecorations(ctx.client, plan)) });
  ctx.log(`upgrade run ${workflowId} started; follow it in the Temporal UI: ${workflowUrl(ctx, workflowId)}`);
  const started = Date.now();
  const outcome = await watch(ctx, handle, extras);
  const seconds = (Date.now() - started) / 1000;
  ctx.out(formatOutcome(outcome).join('\n'));
  if (outcome.exitCode !== 0 || !outcome.report) {
    throw new DemoFailure(`the upgrade run ended ${outcome.status.toLowerCase()} (phase ${outcome.phase}): ${outcome.error ?? 'no verify report'}`, outcome.exitCode || 1);
  }
  return { outcome, seconds };
}

/** Phase 1 (--data-only): the data upgrade workflow, watched live, ending with the verify report. */
export async function dataUpgradePhase(ctx: DemoContext): Promise<string[]> {
  const { outcome, seconds } = await runUpgrade(ctx, demoPlan(ctx.opts));
  return summariseData(outcome.report!, `data upgrade completed in ${seconds.toFixed(1)} s`);
}

async function watch(ctx: DemoContext, handle: WorkflowHandle, extras: WatchExtras): Promise<Outcome> {
  let done = false;
  const result = awaitOutcome(handle).finally(() => (done = true));
  const deadline = Date.now() + ctx.opts.timeoutMs;
  const retries = new Set<string>();
  let drawn = 0;
  let last = '';
  let polls = 0;
  while (!done) {
    const q = await handle.query<Progress>(QueryNames.progress).catch(() => undefined);
    const p = q && (await withLiveMonitoring(ctx.client, q));
    if (p && extras.onProgress) await extras.onProgress(p);
    const failing = polls++ % 4 === 0 ? await retryingActivities(handle) : [];
    if (done) break;
    const fresh = failing.filter((f) => !retries.has(f)).map((f) => (retries.add(f), `  retrying ${f}`));
    if (ctx.tty && (p || fresh.length)) {
      const lines = [...(p ? formatProgress(p) : []), ...(extras.lines?.() ?? []), ...[...retries].slice(-3).map((f) => `  retrying ${f}`)];
      ctx.out(`${drawn ? `\x1b[${drawn}A\x1b[0J` : ''}${lines.join('\n')}`);
      drawn = lines.length;
    } else if (!ctx.tty) {
      // One line per change; the monitoring countdown alone is no change.
      const key = p && plainLine(p).replace(/ left \S+( \S+s)?/, '');
      if (p && key !== last) ctx.log(`${plainLine(p)}${p.rowsPerSec && isDataStep(p.step) ? ` (${p.rowsPerSec.toLocaleString('en-US')} rows/s)` : ''}`);
      if (p) last = key!;
      for (const line of fresh) ctx.log(line.trim());
    }
    if (Date.now() > deadline) {
      ctx.log(`no result within ${ctx.opts.timeoutMs / 1000} s: cancelling the run (it rolls back)`);
      await handle.cancel().catch(() => undefined);
      const outcome = await Promise.race([result, sleep(60_000).then(() => undefined)]);
      throw new DemoFailure(`the upgrade run did not finish within ${ctx.opts.timeoutMs / 1000} s${outcome ? ` (then: ${outcome.phase})` : ''}`, 1);
    }
    await Promise.race([result, sleep(ctx.opts.intervalMs)]);
  }
  if (ctx.tty && drawn) ctx.out(`\x1b[${drawn}A\x1b[0J`);
  return result;
}

function isDataStep(step: string | undefined): boolean {
  return step !== undefined && (DATA_STEPS as readonly string[]).includes(step);
}

/** Activities being retried after a failure ("copySlice attempt 3: <error>"), so a stuck run says why. */
async function retryingActivities(handle: WorkflowHandle): Promise<string[]> {
  try {
    const d = await handle.describe();
    return (d.raw.pendingActivities ?? [])
      .filter((a) => (a.attempt ?? 1) > 1 && a.lastFailure?.message)
      .map((a) => `${a.activityType?.name ?? 'activity'} (attempt ${a.attempt}): ${a.lastFailure!.message!.split('\n')[0].slice(0, 200)}`);
  } catch {
    return [];
  }
}

/** The closing lines: every legacy row migrated or quarantined, and the per-rule checksums. */
export function summariseData(r: VerifyReport, headline: string): string[] {
  let rows = 0;
  let migrated = 0;
  let quarantined = 0;
  const unbalanced: string[] = [];
  for (const [table, v] of Object.entries(r.legacy)) {
    rows += v.rows;
    migrated += v.migrated;
    quarantined += v.quarantined;
    if (v.migrated + v.quarantined !== v.rows) unbalanced.push(table);
  }
  const matched = r.checksums.filter((c) => c.match).length;
  if (!r.ok || unbalanced.length > 0 || matched !== r.checksums.length) {
    throw new DemoFailure(`verification did not prove the copy: ${[...r.problems, ...unbalanced.map((t) => `${t}: migrated + quarantined != rows`)].join('; ')}`, 1);
  }
  return [
    `${headline}: ${rows.toLocaleString('en-US')} legacy rows = ${migrated.toLocaleString('en-US')} migrated + ${quarantined.toLocaleString('en-US')} quarantined`,
    `checksums per rule: ${matched}/${r.checksums.length} match (${r.checksums.map((c) => c.rule).join(', ')})`,
  ];
}
