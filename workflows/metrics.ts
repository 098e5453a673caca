import { metricMeter } from '@temporalio/workflow';
import { Metrics, RUN_PHASES } from '../common/metric-names';
import { ALL_STEPS, type StepName } from '../common/plan';

// One-line metric calls for workflow code. The SDK drops them during replay, so a replayed
// history does not count twice; they are not commands, so they never change a history.

/** The step the run is in (1-based position in ALL_STEPS). */
export function recordStep(runId: string, step: StepName): void {
  metricMeter.createGauge(Metrics.runStep.name, 'int', Metrics.runStep.unit, Metrics.runStep.help).set(ALL_STEPS.indexOf(step) + 1, { run_id: runId });
}

/** The run's phase (progress.phase), as its position in RUN_PHASES. */
export function recordPhase(runId: string, phase: (typeof RUN_PHASES)[number]): void {
  metricMeter.createGauge(Metrics.runPhase.name, 'int', Metrics.runPhase.unit, Metrics.runPhase.help).set(RUN_PHASES.indexOf(phase) + 1, { run_id: runId });
}

/** The run closed with this phase; its step gauge goes to 0. */
export function recordClosed(runId: string, phase: (typeof RUN_PHASES)[number]): void {
  recordPhase(runId, phase);
  metricMeter.createGauge(Metrics.runStep.name, 'int', Metrics.runStep.unit, Metrics.runStep.help).set(0, { run_id: runId });
  metricMeter.createCounter(Metrics.runsClosed.name, Metrics.runsClosed.unit, Metrics.runsClosed.help).add(1, { phase });
}

/** One monitoring check of green, failed or not. */
export function countMonitoringCheck(failed: boolean): void {
  metricMeter.createCounter(Metrics.monitoringChecks.name, Metrics.monitoringChecks.unit, Metrics.monitoringChecks.help).add(1);
  if (failed) metricMeter.createCounter(Metrics.monitoringFailures.name, Metrics.monitoringFailures.unit, Metrics.monitoringFailures.help).add(1);
}
