"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ExitCodes = exports.QueryNames = exports.UpdateNames = exports.SignalNames = exports.WorkflowTypes = exports.DEFAULT_NAMESPACE = exports.DEFAULT_TEMPORAL_ADDRESS = exports.DEFAULT_TASK_QUEUE = void 0;
/**
 * The one place for names shared by worker, client and workflows: task queue, workflow types,
 * signals, queries and updates. Workflow code imports this module, so it stays free of Node APIs.
 */
exports.DEFAULT_TASK_QUEUE = 'stp-upgrade';
exports.DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';
exports.DEFAULT_NAMESPACE = 'default';
exports.WorkflowTypes = {
    assess: 'assessWorkflow',
    upgrade: 'upgradeWorkflow',
    monitor: 'monitorWorkflow',
    rollback: 'rollbackWorkflow',
    export: 'exportWorkflow',
    verify: 'verifyWorkflow',
    defects: 'defectsWorkflow',
};
exports.SignalNames = {
    pause: 'pause',
    resume: 'resume',
    abort: 'abort',
    throttle: 'throttle',
    /** Parent saga -> monitor child: end monitoring early as promoted (a workflow cannot send an update). */
    promoteMonitor: 'promoteMonitor',
};
exports.UpdateNames = { approve: 'approve', promote: 'promote' };
exports.QueryNames = { progress: 'progress', report: 'report', status: 'status' };
/**
 * Exit codes of the CLI (README "Exit codes"): 0 done (or running, for status), 1 failed and rolled
 * back (or a check found problems), 2 bad input, nothing changed, 3 rollback failed, 4 Temporal
 * could not be reached or no worker serves the task queue (nothing was decided about the run).
 */
exports.ExitCodes = { ok: 0, failed: 1, badInput: 2, rollbackFailed: 3, unreachable: 4 };
//# sourceMappingURL=names.js.map