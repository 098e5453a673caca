import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { MonitorActivities } from '../../activities/monitor';
import {
  MONITOR_INTERVAL_PATCH,
  MonitoringPlan,
  type MonitorOutcome,
  type MonitorResult,
  type MonitorStatus,
  type MonitorWorkflowInput,
  type PromoteRequest,
  type ServiceSample,
} from '../../common/monitor';
import { judgeCheck } from '../../common/monitor-evaluate';
import { evaluateSampleLegacy } from '../../common/monitor-legacy';
import { formatIssues } from '../../common/validation';
import { abortSignal, pauseSignal, promoteSignal, promoteUpdate, reasonOf, resumeSignal, statusQuery } from './messages';
import { breachReason, initialState, recordCheck, secondsLeft, type Judged } from './state';
import { countMonitoringCheck } from '../metrics';

// A local activity: a check is a few short HTTP GETs (with their own timeouts) plus one CSV line;
// running it inside the workflow task makes a check one round trip and ~6 history events, not ~12.
const { sampleService } = proxyLocalActivities<MonitorActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', maximumInterval: '5s', maximumAttempts: 3 },
});

type Command = { outcome: 'aborted' | 'promoted'; reason: string };

/**
 * Watches GREEN after the traffic switch: one check per interval until the deadline, against absolute
 * thresholds and blue's baseline; green's figures are those of the interval since the previous check
 * (common/monitor-evaluate.ts). Never fails on a breach: returns `breached` and the parent rolls
 * back. Continues as new every `continueAsNewEvery` checks so a 24 h run keeps a small history.
 */
export async function monitorWorkflow(input: MonitorWorkflowInput): Promise<MonitorResult> {
  const parsed = MonitoringPlan.safeParse(input.plan ?? {});
  if (!parsed.success) {
    throw ApplicationFailure.nonRetryable(formatIssues('plan.release.monitoring', parsed.error, input.plan).join('\n'), 'BadInputError');
  }
  const plan = parsed.data;
  const st = input.state ?? initialState(plan, Date.now());
  const intervalMs = plan.intervalSeconds * 1000;
  // Runs started by older code keep their evaluation (replay); new runs judge interval figures.
  const intervals = patched(MONITOR_INTERVAL_PATCH);
  let command: Command | undefined;
  let paused: { reason: string; since: number } | undefined;
  let pauseRequested: string | undefined;
  let resumeRequested = false;
  let outcome: MonitorOutcome | undefined;
  let checksThisRun = 0;

  const status = (): MonitorStatus => ({
    checks: st.checks,
    failures: st.failures,
    consecutiveFailures: st.consecutiveFailures,
    secondsLeft: secondsLeft(st, paused ? paused.since : Date.now()),
    lastSample: st.lastSample,
    lastReasons: st.lastReasons,
    lastWindow: st.lastWindow,
    lastExcused: st.lastExcused,
    warmingUp: intervals && Date.now() < st.startedAt + plan.warmupSeconds * 1000,
    paused: paused !== undefined,
    pausedReason: paused?.reason,
    outcome,
    run: st.run,
  });
  setHandler(statusQuery, status);
  setHandler(abortSignal, (req) => {
    command ??= { outcome: 'aborted', reason: reasonOf(req, 'aborted by operator') };
  });
  setHandler(pauseSignal, (req) => {
    if (!paused) pauseRequested = reasonOf(req, 'paused by operator');
  });
  setHandler(resumeSignal, () => {
    if (paused) resumeRequested = true;
    pauseRequested = undefined;
  });
  setHandler(promoteSignal, (req) => {
    if (outcome === undefined) command ??= { outcome: 'promoted', reason: reasonOf(req, 'promoted by operator') };
  });
  setHandler(
    promoteUpdate,
    (req) => {
      command ??= { outcome: 'promoted', reason: reasonOf(req, 'promoted by operator') };
      return status();
    },
    {
      validator: (_req?: PromoteRequest) => {
        if (outcome !== undefined || command !== undefined) throw new Error(`monitoring is already ending (${outcome ?? command?.outcome})`);
      },
    },
  );

  const finish = (o: MonitorOutcome, reason?: string): MonitorResult => {
    outcome = o;
    log.info('monitoring ended', { outcome: o, checks: st.checks, failures: st.failures, reason });
    return { outcome: o, checks: st.checks, failures: st.failures, reason, lastSample: st.lastSample, summary: st.summary };
  };

  // Waits for an operator; the paused time does not count against the monitoring window.
  const holdPaused = async (reason: string): Promise<void> => {
    paused = { reason, since: Date.now() };
    pauseRequested = undefined;
    resumeRequested = false;
    log.warn('monitoring paused', { reason });
    await condition(() => resumeRequested || command !== undefined);
    if (!command) {
      st.deadline += Date.now() - paused.since;
      st.nextCheckAt = Date.now();
    }
    paused = undefined;
    resumeRequested = false;
  };

  const judge = (sample: ServiceSample): Judged => {
    if (!intervals) return { verdict: evaluateSampleLegacy(sample, input.baseline, plan.thresholds), p95Ms: sample.p95Ms, hitRate: sample.hitRate };
    const r = judgeCheck({ sample, recent: st.recent, baseline: input.baseline, plan, elapsedMs: Date.now() - st.startedAt });
    st.recent = r.recent;
    const w = r.window;
    return {
      verdict: r.verdict,
      window: w,
      p95Ms: w?.p95Ms ?? sample.p95Ms,
      hitRate: w && (w.lookups ?? 0) >= plan.thresholds.minCacheLookups ? w.hitRate : undefined,
    };
  };

  for (;;) {
    if (!command && (checksThisRun >= plan.continueAsNewEvery || workflowInfo().continueAsNewSuggested)) {
      await condition(allHandlersFinished);
      if (!command) return continueAsNew<typeof monitorWorkflow>({ ...input, state: { ...st, run: st.run + 1 } });
    }
    const wait = Math.min(st.nextCheckAt, st.deadline) - Date.now();
    if (wait > 0 && !command) await condition(() => command !== undefined || pauseRequested !== undefined, wait);
    if (command) return finish(command.outcome, command.reason);
    if (pauseRequested !== undefined) {
      await holdPaused(pauseRequested);
      continue;
    }
    if (Date.now() >= st.deadline) return finish('passed');

    const at = new Date(Date.now()).toISOString();
    const sample = await takeSample(input.baseUrl, input.stateDir ? { stateDir: input.stateDir, at } : undefined);
    if (sample.logError) log.warn('could not write the monitoring log line', { error: sample.logError });
    const judged = judge(sample);
    const { verdict } = judged;
    const waitForOperator = !sample.ok && plan.missingData === 'pause';
    recordCheck(st, at, sample, judged, !verdict.ok && !waitForOperator);
    countMonitoringCheck(!verdict.ok && !waitForOperator);
    st.nextCheckAt = Math.max(st.nextCheckAt + intervalMs, Date.now());
    checksThisRun += 1;

    // A command that arrived during the sample wins over its verdict (TS cannot see the handler's write).
    const late = command as Command | undefined;
    if (late) return finish(late.outcome, late.reason);
    const breach = breachReason(st, plan);
    if (breach) return finish('breached', breach);
    if (waitForOperator) await holdPaused(`no data at check ${st.checks}: ${sample.error ?? 'unknown error'}`);
  }
}

/** An activity that fails outright (worker lost, timeout) is missing data, not a workflow failure. */
async function takeSample(baseUrl: string, logTo?: { stateDir: string; at: string }): Promise<ServiceSample> {
  try {
    return await sampleService({ baseUrl, log: logTo });
  } catch (err) {
    if (isCancellation(err)) throw err;
    const cause = err instanceof ActivityFailure ? err.cause : err;
    return { ok: false, error: `sampleService failed: ${cause instanceof Error ? cause.message : String(cause)}` };
  }
}
