"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.recordStep = recordStep;
exports.recordPhase = recordPhase;
exports.recordClosed = recordClosed;
exports.countMonitoringCheck = countMonitoringCheck;
const workflow_1 = require("@temporalio/workflow");
const metric_names_1 = require("../common/metric-names");
const plan_1 = require("../common/plan");
// One-line metric calls for workflow code. The SDK drops them during replay, so a replayed
// history does not count twice; they are not commands, so they never change a history.
/** The step the run is in (1-based position in ALL_STEPS). */
function recordStep(runId, step) {
    workflow_1.metricMeter.createGauge(metric_names_1.Metrics.runStep.name, 'int', metric_names_1.Metrics.runStep.unit, metric_names_1.Metrics.runStep.help).set(plan_1.ALL_STEPS.indexOf(step) + 1, { run_id: runId });
}
/** The run's phase (progress.phase), as its position in RUN_PHASES. */
function recordPhase(runId, phase) {
    workflow_1.metricMeter.createGauge(metric_names_1.Metrics.runPhase.name, 'int', metric_names_1.Metrics.runPhase.unit, metric_names_1.Metrics.runPhase.help).set(metric_names_1.RUN_PHASES.indexOf(phase) + 1, { run_id: runId });
}
/** The run closed with this phase; its step gauge goes to 0. */
function recordClosed(runId, phase) {
    recordPhase(runId, phase);
    workflow_1.metricMeter.createGauge(metric_names_1.Metrics.runStep.name, 'int', metric_names_1.Metrics.runStep.unit, metric_names_1.Metrics.runStep.help).set(0, { run_id: runId });
    workflow_1.metricMeter.createCounter(metric_names_1.Metrics.runsClosed.name, metric_names_1.Metrics.runsClosed.unit, metric_names_1.Metrics.runsClosed.help).add(1, { phase });
}
/** One monitoring check of green, failed or not. */
function countMonitoringCheck(failed) {
    workflow_1.metricMeter.createCounter(metric_names_1.Metrics.monitoringChecks.name, metric_names_1.Metrics.monitoringChecks.unit, metric_names_1.Metrics.monitoringChecks.help).add(1);
    if (failed)
        workflow_1.metricMeter.createCounter(metric_names_1.Metrics.monitoringFailures.name, metric_names_1.Metrics.monitoringFailures.unit, metric_names_1.Metrics.monitoringFailures.help).add(1);
}
//# sourceMappingURL=metrics.js.map