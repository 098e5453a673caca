import type { Plan } from './plan';
import { releasePlanOf } from './release';

/**
 * The standalone emergency rollback (`stp-upgrade rollback ID`, workflow rollbackWorkflow): brings
 * back the release and data state from before an upgrade run. Pure, shared by workflow and CLI.
 */
export interface RollbackInput {
  /** The upgrade run (its workflow id). */
  runId: string;
  /** Where the run's record lives (stp_migration.runs); default "primary". */
  database?: string;
  reason?: string;
  /**
   * Roll back a finalized run although the application wrote to the target tables since finalize:
   * those writes cannot be carried back (capture ends at finalize) and are lost on blue.
   */
  acceptLoss?: boolean;
}

/**
 * aborted: the run was still open, it got the abort signal and rolled itself back.
 * reverted: the run had ended (completed, or its rollback failed): its steps were undone here.
 * nothing: no record of the run is left (a rolled-back run forgets itself) or it was rolled back.
 */
export interface RollbackResult {
  runId: string;
  mode: 'aborted' | 'reverted' | 'nothing';
  /** When the rollback ended (workflow time, ISO) and why it was asked for. */
  at: string;
  reason: string;
  /** The upgrade workflow's status in Temporal when the rollback ended. */
  upgradeStatus: string;
  undone: string[];
  message: string;
  /**
   * Live files put back from the run's backup (plan.backup.config / binary) because they differed,
   * and whether blue was restarted on them and found healthy. Absent when the plan backed none up.
   */
  restored?: string[];
  blueRestarted?: boolean;
}

export interface RollbackProgress {
  phase: 'checking' | 'aborting' | 'reverting' | 'done' | 'failed';
  done: string[];
  left: string[];
  error?: string;
}

/**
 * The id `stp-upgrade rollback ID` gives the rollback workflow of a run: one rollback per run at a
 * time, and where `stp-upgrade status ID` looks to learn that a completed run was rolled back.
 */
export function rollbackWorkflowId(runId: string): string {
  return `${runId}-rollback`;
}

/** One compensation of a finished run: an activity taking StepInput plus `input`. */
export interface RevertStep {
  key: string;
  activity: string;
  input: Record<string, unknown>;
}

/**
 * The compensations of a finished run, in the order the saga itself would run them (the reverse
 * of registration): release first (blue back before green goes), then the data.
 */
export function revertSteps(plan: Plan): RevertStep[] {
  const has = (s: string) => (plan.steps as string[]).includes(s);
  const release = releasePlanOf(plan);
  const out: RevertStep[] = [];
  const add = (step: string, activity: string, input: Record<string, unknown> = {}) => out.push({ key: `${step}.${activity}`, activity, input });
  if (has('finalize')) add('finalize', 'unfinalize');
  if (has('drain') && release.blueAfterSwitch === 'stop') add('drain', 'startBlue');
  if (has('switch')) add('switch', 'switchBack');
  if (has('deploy')) add('deploy', 'stopInstance', { which: 'green' });
  if (has('graph')) add('graph', 'dropTargetGraph');
  if (has('copy') && plan.defects.policy === 'quarantine') add('copy', 'clearQuarantine');
  if (has('copy')) add('copy', 'removeCapture');
  if (has('schema')) add('schema', 'dropTargetSchema');
  return out;
}
