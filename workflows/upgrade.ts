import { ApplicationFailure, ContinueAsNew, log, workflowInfo } from '@temporalio/workflow';
import { ALL_STEPS, parsePlan, type PlanInput } from '../common/plan';
import { SagaFailureTypes, type UpgradeCarry, type UpgradeResult } from '../common/upgrade-input';
import { acts } from './upgrade/proxies';
import { installControls } from './upgrade/controls';
import { installReleaseControls, releasePlanProblems } from './upgrade/release-controls';
import { stepRegistry } from './upgrade/registry';
import { rollback } from './upgrade/rollback';
import { SagaRun } from './upgrade/run';
import { stopCapture } from './upgrade/sync';
import { recordClosed, recordPhase, recordStep } from './metrics';

/**
 * The upgrade saga: the plan's steps in ALL_STEPS order, each registering its undo before it
 * changes anything. Any failure, the `abort` signal or a cancellation runs the compensations in
 * reverse. `carry` is only set by continue-as-new (and by tests that lower the history limit).
 */
export async function upgradeWorkflow(input: PlanInput, carry: UpgradeCarry = {}): Promise<UpgradeResult> {
  const parsed = parsePlan(input);
  if (!parsed.ok) throw badInput(`invalid plan, nothing was changed:\n  ${parsed.errors.join('\n  ')}`, parsed.errors);
  const plan = parsed.plan;
  const missing = plan.steps.filter((s) => !stepRegistry[s]);
  const problems = [...missing.map((s) => `plan.steps: step "${s}" is not available in this worker's version`), ...releasePlanProblems(plan)];
  if (problems.length > 0) throw badInput(`invalid plan, nothing was changed:\n  ${problems.join('\n  ')}`, problems);
  const runId = workflowInfo().workflowId;
  const run = new SagaRun(input, plan, runId, carry.state ?? SagaRun.initialState(plan, runId), carry.historyLimit);
  installControls(run);
  installReleaseControls(run);
  run.progress.phase = run.progress.paused ? 'paused' : 'running';
  recordPhase(runId, run.progress.phase);

  try {
    await run.scope.run(async () => {
      for (const step of ALL_STEPS) {
        if (!plan.steps.includes(step) || run.progress.steps[step] === 'done' || run.progress.steps[step] === 'skipped') continue;
        run.progress.step = step; // a pause before the step shows the step it waits to start
        await run.between();
        run.progress.steps[step] = 'running';
        log.info('step started', { step });
        recordStep(runId, step);
        await stepRegistry[step]!(run);
        if (run.progress.steps[step] === 'running') run.progress.steps[step] = 'done';
        run.state.marks = [];
      }
      // A run that ends without finalize (data only, or no finalize step) stops capturing too:
      // nobody would replay the records any more, and the application's writes would pay for them.
      await stopCapture(run);
      if (run.state.acquired) await acts.releaseRun({ ...run.input(), status: 'completed', report: run.progress.report });
    });
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    return rollback(run, err);
  }
  run.progress.phase = 'completed';
  recordClosed(runId, 'completed');
  run.progress.step = undefined;
  run.progress.etaSeconds = 0;
  return { runId, phase: 'completed', report: run.progress.report, steps: run.progress.steps, progress: run.progress };
}

function badInput(message: string, errors: string[]): ApplicationFailure {
  return ApplicationFailure.create({ type: SagaFailureTypes.badInput, nonRetryable: true, message, details: [errors] });
}
