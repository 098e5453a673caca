/**
 * The one place for names shared by worker, client and workflows: task queue, workflow types,
 * signals, queries and updates. Workflow code imports this module, so it stays free of Node APIs.
 */
export const DEFAULT_TASK_QUEUE = 'stp-upgrade';
export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';
export const DEFAULT_NAMESPACE = 'default';

export const WorkflowTypes = {
  assess: 'assessWorkflow',
  upgrade: 'upgradeWorkflow',
  monitor: 'monitorWorkflow',
  rollback: 'rollbackWorkflow',
  export: 'exportWorkflow',
  verify: 'verifyWorkflow',
  defects: 'defectsWorkflow',
} as const;

export const SignalNames = {
  pause: 'pause',
  resume: 'resume',
  abort: 'abort',
  throttle: 'throttle',
  /** Parent saga -> monitor child: end monitoring early as promoted (a workflow cannot send an update). */
  promoteMonitor: 'promoteMonitor',
} as const;
export const UpdateNames = { approve: 'approve', promote: 'promote' } as const;
export const QueryNames = { progress: 'progress', report: 'report', status: 'status' } as const;

/**
 * Exit codes of the CLI (README "Exit codes"): 0 done (or running, for status), 1 failed and rolled
 * back (or a check found problems), 2 bad input, nothing changed, 3 rollback failed, 4 Temporal
 * could not be reached or no worker serves the task queue (nothing was decided about the run).
 */
export const ExitCodes = { ok: 0, failed: 1, badInput: 2, rollbackFailed: 3, unreachable: 4 } as const;
