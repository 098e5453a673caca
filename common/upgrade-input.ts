import type { StepName } from './plan';
import type { Baseline } from './monitor';
import type { CopyRule, Progress, VerifyReport } from './steps';

/**
 * Types of the upgrade saga shared by the workflow, its tests and the CLI. The workflow takes the
 * plan as its first argument (one JSON object, pasteable into the Temporal UI) and an optional
 * second argument that only continue-as-new and tests fill in.
 */

/** Failure types the saga raises itself (besides the activities' named errors). */
export const SagaFailureTypes = {
  rollbackFailed: 'RollbackFailed',
  aborted: 'Aborted',
  badInput: 'BadInputError',
  defects: 'DefectsFoundError',
  verification: 'VerificationError',
  /** The approval gate timed out (plan.release.approval.timeoutMinutes). */
  approvalTimeout: 'ApprovalTimeout',
  /** Post-switch monitoring of green breached its thresholds. */
  monitoringBreached: 'MonitoringBreached',
} as const;

/** A compensation the saga will run on rollback: an activity name and its input, so it survives continue-as-new. */
export interface RegisteredCompensation {
  key: string; // `${step}.${activity}`, unique: registering twice replaces the input
  step: StepName;
  activity: string;
  input: unknown;
}

/** Everything the saga knows, serialisable, carried across continue-as-new. */
export interface UpgradeState {
  progress: Progress;
  compensations: RegisteredCompensation[]; // in registration order; rollback runs them reversed
  marks: string[]; // sub-tasks finished inside the current step, so a resumed step skips them
  acquired: boolean; // acquireRun succeeded: releaseRun is due at the end
  throttle: ThrottleInput;
  generation: number; // how many times the saga continued as new
  /**
   * Rules copied to the end by concurrent copy (workflows/upgrade/copy-concurrent.ts), kept from
   * step to step unlike marks: the copy step copies the embeddings too, their own step finds them done.
   */
  copiedRules?: CopyRule[];
  /** Live-write capture is installed for this run (contract section 6): replay is due between steps. */
  sync?: boolean;
  /** Policy quarantine: preflight left defect detection to quarantineDefects, whose result the progress shows. */
  defectsInQuarantine?: boolean;
  /** The release half's state (blue's baseline, the approval), carried across continue-as-new. */
  release?: ReleaseState;
}

export interface ReleaseState {
  baseline?: Baseline;
  approval?: Approval;
}

/** Payload of the `approve` update: who approved the switch to green. */
export interface ApproveInput {
  by: string;
  comment?: string;
}
export interface Approval {
  by: string;
  comment?: string;
  at: string; // workflow time, ISO
}

/** Payload of the saga's `promote` update: end monitoring early and finalize. */
export interface PromoteInput {
  reason?: string;
}

export interface UpgradeCarry {
  state?: UpgradeState;
  /** Continue as new once the history has more events than this (default 10000). */
  historyLimit?: number;
}

/** Signal payloads. */
export interface ThrottleInput {
  batchSize?: number;
  throttleMs?: number;
}
export interface AbortInput {
  reason?: string;
}

export interface UpgradeResult {
  runId: string;
  phase: 'completed';
  report?: VerifyReport;
  steps: Progress['steps'];
  progress: Progress;
}
