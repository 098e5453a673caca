"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SagaFailureTypes = void 0;
/**
 * Types of the upgrade saga shared by the workflow, its tests and the CLI. The workflow takes the
 * plan as its first argument (one JSON object, pasteable into the Temporal UI) and an optional
 * second argument that only continue-as-new and tests fill in.
 */
/** Failure types the saga raises itself (besides the activities' named errors). */
exports.SagaFailureTypes = {
    rollbackFailed: 'RollbackFailed',
    aborted: 'Aborted',
    badInput: 'BadInputError',
    defects: 'DefectsFoundError',
    verification: 'VerificationError',
    /** The approval gate timed out (plan.release.approval.timeoutMinutes). */
    approvalTimeout: 'ApprovalTimeout',
    /** Post-switch monitoring of green breached its thresholds. */
    monitoringBreached: 'MonitoringBreached',
};
//# sourceMappingURL=upgrade-input.js.map