"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.upgradeWorkflow = upgradeWorkflow;
const workflow_1 = require("@temporalio/workflow");
const checklist_1 = require("../common/checklist");
const plan_1 = require("../common/plan");
const plan_validation_1 = require("../common/plan-validation");
const upgrade_input_1 = require("../common/upgrade-input");
const alerts_1 = require("./alerts");
const proxies_1 = require("./upgrade/proxies");
const controls_1 = require("./upgrade/controls");
const release_controls_1 = require("./upgrade/release-controls");
const registry_1 = require("./upgrade/registry");
const rollback_1 = require("./upgrade/rollback");
const run_1 = require("./upgrade/run");
const search_1 = require("./upgrade/search");
const sync_1 = require("./upgrade/sync");
const metrics_1 = require("./metrics");
/** Runs started before plan-validation-v2 keep the validation they started with (replay). */
const VALIDATION_PATCH = 'plan-validation-v2';
/**
 * The upgrade saga: the plan's steps in ALL_STEPS order, each registering its undo before it
 * changes anything. Any failure, the `abort` signal or a cancellation runs the compensations in
 * reverse. `carry` is only set by continue-as-new (and by tests that lower the history limit).
 */
async function upgradeWorkflow(input, carry = {}) {
    // `stp-upgrade plan check` runs exactly validatePlan; a continued run was validated already.
    const search = search_1.RunSearch.atStart();
    const legacyValidation = Boolean(carry.state) || !(0, workflow_1.patched)(VALIDATION_PATCH);
    const parsed = legacyValidation ? (0, plan_1.parsePlan)(input) : (0, plan_validation_1.validatePlan)(input);
    if (!parsed.ok) {
        search.refused(parsed.errors);
        throw badInput(`invalid plan, nothing was changed:\n  ${parsed.errors.join('\n  ')}`, parsed.errors);
    }
    const plan = parsed.plan;
    const missing = plan.steps.filter((s) => !registry_1.stepRegistry[s]);
    const problems = [...missing.map((s) => `plan.steps: step "${s}" is not available in this worker's version`), ...(legacyValidation ? (0, plan_validation_1.releasePlanProblems)(plan) : [])];
    if (problems.length > 0) {
        search.refused(problems);
        throw badInput(`invalid plan, nothing was changed:\n  ${problems.join('\n  ')}`, problems);
    }
    const runId = (0, workflow_1.workflowInfo)().workflowId;
    const run = new run_1.SagaRun(input, plan, runId, carry.state ?? run_1.SagaRun.initialState(plan, runId), carry.historyLimit);
    (0, controls_1.installControls)(run);
    (0, release_controls_1.installReleaseControls)(run);
    run.search = search;
    run.progress.phase = run.progress.paused ? 'paused' : 'running';
    run.progress.checklist = (0, checklist_1.migrationChecklist)(plan, { backupDone: run.progress.steps.backup === 'done' });
    run.search.publish(run.progress);
    if (!carry.state)
        await (0, alerts_1.notify)(run, 'run_started', `upgrade of database "${plan.database}" started: ${plan.steps.join(', ')}`);
    (0, metrics_1.recordPhase)(runId, run.progress.phase);
    try {
        await run.scope.run(async () => {
            for (const step of plan_1.ALL_STEPS) {
                if (!plan.steps.includes(step) || run.progress.steps[step] === 'done' || run.progress.steps[step] === 'skipped')
                    continue;
                run.progress.step = step; // a pause before the step shows the step it waits to start
                await run.between();
                run.progress.steps[step] = 'running';
                workflow_1.log.info('step started', { step });
                (0, metrics_1.recordStep)(runId, step);
                run.search.publish(run.progress);
                await registry_1.stepRegistry[step](run);
                if (run.progress.steps[step] === 'running')
                    run.progress.steps[step] = 'done';
                if (step === 'backup')
                    run.progress.checklist = (0, checklist_1.migrationChecklist)(plan, { backupDone: run.progress.steps.backup === 'done' });
                run.search.publish(run.progress);
                run.state.marks = [];
            }
            // A run that ends without finalize (data only, or no finalize step) stops capturing too:
            // nobody would replay the records any more, and the application's writes would pay for them.
            await (0, sync_1.stopCapture)(run);
            if (run.state.acquired)
                await proxies_1.acts.releaseRun({ ...run.input(), status: 'completed', report: run.progress.report });
        });
    }
    catch (err) {
        if (err instanceof workflow_1.ContinueAsNew)
            throw err;
        return (0, rollback_1.rollback)(run, err);
    }
    run.progress.phase = 'completed';
    (0, metrics_1.recordClosed)(runId, 'completed');
    run.progress.step = undefined;
    run.progress.etaSeconds = 0;
    run.search.publish(run.progress, 'completed');
    return { runId, phase: 'completed', report: run.progress.report, steps: run.progress.steps, progress: run.progress };
}
function badInput(message, errors) {
    return workflow_1.ApplicationFailure.create({ type: upgrade_input_1.SagaFailureTypes.badInput, nonRetryable: true, message, details: [errors] });
}
//# sourceMappingURL=upgrade.js.map