"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.BATCH_DURATION_BUCKETS = exports.RUN_PHASES = exports.Metrics = void 0;
/**
 * Our Prometheus metrics, in one place (served with the SDK's on STP_METRICS_ADDRESS, /metrics).
 * Counters get the `_total` suffix and durations are in seconds (workers/runtime.ts). Imported by
 * workflow code: no Node APIs here.
 */
exports.Metrics = {
    rowsCopied: { name: 'stp_rows_copied', unit: 'rows', help: 'Rows committed by the copy, per rule (label rule)' },
    batchDuration: { name: 'stp_copy_batch_duration', unit: 's', help: 'Duration of one committed copy batch, per rule' },
    replayBacklog: { name: 'stp_replay_backlog', unit: 'changes', help: 'Captured live writes waiting to be replayed (label direction)' },
    replayLag: { name: 'stp_replay_lag', unit: 's', help: 'Age of the oldest captured write not yet replayed (label direction)' },
    verifyDuration: { name: 'stp_verify_duration', unit: 's', help: 'Duration of one verify (label ok)' },
    monitoringChecks: { name: 'stp_monitoring_checks', unit: 'checks', help: 'Monitoring checks of green' },
    monitoringFailures: { name: 'stp_monitoring_failures', unit: 'checks', help: 'Failed monitoring checks of green' },
    runStep: { name: 'stp_run_step', unit: 'step', help: 'Step of the run in progress (label run_id): its 1-based position in ALL_STEPS (preflight 1 … finalize 14); 0 once the run closed' },
    runPhase: { name: 'stp_run_phase', unit: 'phase', help: 'Phase of the run (label run_id): its 1-based position in RUN_PHASES' },
    runsClosed: { name: 'stp_runs_closed', unit: 'runs', help: 'Runs that closed, by phase (completed, rolled_back, rollback_failed, blocked)' },
};
/** The phases of a run as stp_run_phase reports them (1 starting … 12 blocked); the order is part of the metric. */
exports.RUN_PHASES = ['starting', 'running', 'paused', 'awaiting_approval', 'awaiting_operator', 'monitoring', 'rolling_back', 'rolled_back', 'rollback_failed', 'completed', 'blocked'];
/** Histogram buckets (seconds) of the copy batch duration. */
exports.BATCH_DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];
//# sourceMappingURL=metric-names.js.map