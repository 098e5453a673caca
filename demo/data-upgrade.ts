import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import { plainLine } from '../client/commands/watch';
import { awaitOutcome, type Outcome } from '../client/upgrade-outcome';
import { formatOutcome, formatProgress } from '../client/upgrade-view';
import { QueryNames, WorkflowTypes } from '../common/names';
import { DATA_STEPS, parsePlan, type Plan } from '../common/plan';
import type { Progress, VerifyReport } from '../common/steps';
import { DemoFailure, workflowUrl, type DemoContext, type DemoOptions } from './context';

/** The demo's plan: every data step but backup (PGlite has no pg_dump), defects quarantined, small batches. */
export function demoPlan(opts: DemoOptions): Plan {
  const parsed = parsePlan({
    database: 'primary',
    defects: { policy: 'quarantine' },
    copy: { batchSize: opts.batchSize },
    graph: { batchSize: opts.batchSize },
    steps: DATA_STEPS.filter((s) => s !== 'backup'),
  });
  if (!parsed.ok) throw new Error(`demo plan is invalid: ${parsed.errors.join('; ')}`);
  return parsed.plan;
}

/** Phase 1: the data upgrade workflow, watched live, ending with the verify report. */
export async function dataUpgradePhase(ctx: DemoContext): Promise<string[]> {
  const plan = demoPlan(ctx.opts);
  ctx.log(`plan: steps ${plan.steps.join(' → ')}; defects.policy ${plan.defects.policy}; batch size ${plan.copy.batchSize}`);
  ctx.log('backup step skipped: the embedded PostgreSQL has no pg_dump (a real run dumps and test-restores first)');
  const workflowId = `stp-upgrade-demo-${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}Z`;
  const handle = await ctx.client.workflow.start(WorkflowTypes.upgrade, { taskQueue: ctx.taskQueue, workflowId, args: [plan] });
  ctx.log(`upgrade run ${workflowId} started; follow it in the Temporal UI: ${workflowUrl(ctx, workflowId)}`);
  const started = Date.now();
  const outcome = await watch(ctx, handle);
  const seconds = (Date.now() - started) / 1000;
  ctx.out(formatOutcome(outcome).join('\n'));
  if (outcome.exitCode !== 0 || !outcome.report) {
    throw new DemoFailure(`the upgrade run ended ${outcome.status.toLowerCase()} (phase ${outcome.phase}): ${outcome.error ?? 'no verify report'}`, outcome.exitCode || 1);
  }
  return summarise(outcome.report, seconds);
}

async function watch(ctx: DemoContext, handle: WorkflowHandle): Promise<Outcome> {
  let done = false;
  const result = awaitOutcome(handle).finally(() => (done = true));
  const deadline = Date.now() + ctx.opts.timeoutMs;
  const retries = new Set<string>();
  let drawn = 0;
  let last = '';
  let polls = 0;
  while (!done) {
    const p = await handle.query<Progress>(QueryNames.progress).catch(() => undefined);
    const failing = polls++ % 4 === 0 ? await retryingActivities(handle) : [];
    if (done) break;
    const fresh = failing.filter((f) => !retries.has(f)).map((f) => (retries.add(f), `  retrying ${f}`));
    if (ctx.tty && (p || fresh.length)) {
      const lines = [...(p ? formatProgress(p) : []), ...[...retries].slice(-3).map((f) => `  retrying ${f}`)];
      ctx.out(`${drawn ? `\x1b[${drawn}A\x1b[0J` : ''}${lines.join('\n')}`);
      drawn = lines.length;
    } else if (!ctx.tty) {
      if (p && plainLine(p) !== last) ctx.log(`${plainLine(p)}${p.rowsPerSec ? ` (${p.rowsPerSec.toLocaleString('en-US')} rows/s)` : ''}`);
      if (p) last = plainLine(p);
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
function summarise(r: VerifyReport, seconds: number): string[] {
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
    `data upgrade completed in ${seconds.toFixed(1)} s: ${rows.toLocaleString('en-US')} legacy rows = ${migrated.toLocaleString('en-US')} migrated + ${quarantined.toLocaleString('en-US')} quarantined`,
    `checksums per rule: ${matched}/${r.checksums.length} match (${r.checksums.map((c) => c.rule).join(', ')})`,
  ];
}
