import { ApplicationFailure, ContinueAsNew, log, patched, workflowInfo } from '@temporalio/workflow';
import { migrationChecklist } from '../common/checklist';
import { ALL_STEPS, parsePlan, type PlanInput } from '../common/plan';
import { releasePlanProblems, validatePlan } from '../common/plan-validation';
import { SagaFailureTypes, type UpgradeCarry, type UpgradeResult } from '../common/upgrade-input';
import { notify } from './alerts';
import { acts } from './upgrade/proxies';
import { installControls } from './upgrade/controls';
import { installReleaseControls } from './upgrade/release-controls';
import { stepRegistry } from './upgrade/registry';
import { rollback } from './upgrade/rollback';
import { SagaRun } from './upgrade/run';
import { RunSearch } from './upgrade/search';
import { stopCapture } from './upgrade/sync';
import { recordClosed, recordPhase, recordStep } from './metrics';

/** Runs started before plan-validation-v2 keep the validation they started with (replay). */
const VALIDATION_PATCH = 'plan-validation-v2';

/**
 * The upgrade saga: the plan's steps in ALL_STEPS order, each registering its undo before it
 * changes anything. Any failure, the `abort` signal or a cancellation runs the compensations in
 * reverse. `carry` is only set by continue-as-new (and by tests that lower the history limit).
 */
export async function upgradeWorkflow(input: PlanInput, carry: UpgradeCarry = {}): Promise<UpgradeResult> {
  // `stp-upgrade plan check` runs exactly validatePlan; a continued run was validated already.
  const search = RunSearch.atStart();
  const legacyValidation = Boolean(carry.state) || !patched(VALIDATION_PATCH);
  const parsed = legacyValidation ? parsePlan(input) : validatePlan(input);
  if (!parsed.ok) {
    search.refused(parsed.errors);
    throw badInput(`invalid plan, nothing was changed:\n  ${parsed.errors.join('\n  ')}`, parsed.errors);
  }
  const plan = parsed.plan;
  const missing = plan.steps.filter((s) => !stepRegistry[s]);
  const problems = [...missing.map((s) => `plan.steps: step "${s}" is not available in this worker's version`), ...(legacyValidation ? releasePlanProblems(plan) : [])];
  if (problems.length > 0) {
    search.refused(problems);
    throw badInput(`invalid plan, nothing was changed:\n  ${problems.join('\n  ')}`, problems);
  }
  const runId = workflowInfo().workflowId;
  const run = new SagaRun(input, plan, runId, carry.state ?? SagaRun.initialState(plan, runId), carry.historyLimit);
  installControls(run);
  installReleaseControls(run);
  run.search = search;
  run.progress.phase = run.progress.paused ? 'paused' : 'running';
  run.progress.checklist = migrationChecklist(plan, { backupDone: run.progress.steps.backup === 'done' });
  run.search.publish(run.progress);
  if (!carry.state) await notify(run, 'run_started', `upgrade of database "${plan.database}" started: ${plan.steps.join(', ')}`);
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
        run.search.publish(run.progress);
        await stepRegistry[step]!(run);
        if (run.progress.steps[step] === 'running') run.progress.steps[step] = 'done';
        if (step === 'backup') run.progress.checklist = migrationChecklist(plan, { backupDone: run.progress.steps.backup === 'done' });
        run.search.publish(run.progress);
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
  run.search.publish(run.progress, 'completed');
  return { runId, phase: 'completed', report: run.progress.report, steps: run.progress.steps, progress: run.progress };
}

function badInput(message: string, errors: string[]): ApplicationFailure {
  return ApplicationFailure.create({ type: SagaFailureTypes.badInput, nonRetryable: true, message, details: [errors] });
}
