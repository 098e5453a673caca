"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.reportQuery = exports.progressQuery = exports.throttleSignal = exports.abortSignal = exports.resumeSignal = exports.pauseSignal = void 0;
exports.installControls = installControls;
const workflow_1 = require("@temporalio/workflow");
const names_1 = require("../../common/names");
exports.pauseSignal = (0, workflow_1.defineSignal)(names_1.SignalNames.pause);
exports.resumeSignal = (0, workflow_1.defineSignal)(names_1.SignalNames.resume);
exports.abortSignal = (0, workflow_1.defineSignal)(names_1.SignalNames.abort);
exports.throttleSignal = (0, workflow_1.defineSignal)(names_1.SignalNames.throttle);
exports.progressQuery = (0, workflow_1.defineQuery)(names_1.QueryNames.progress);
exports.reportQuery = (0, workflow_1.defineQuery)(names_1.QueryNames.report);
const FINAL = new Set(['rolling_back', 'rolled_back', 'rollback_failed', 'completed', 'blocked']);
/** Signals only set state; the saga acts on pause and throttle between slices and steps. */
function installControls(run) {
    const progress = run.state.progress;
    (0, workflow_1.setHandler)(exports.progressQuery, () => progress);
    (0, workflow_1.setHandler)(exports.reportQuery, () => progress.report);
    (0, workflow_1.setHandler)(exports.pauseSignal, () => {
        if (FINAL.has(progress.phase))
            return;
        progress.paused = true;
        workflow_1.log.info('pause requested: takes effect after the current slice');
        void run.forward?.('pause');
    });
    (0, workflow_1.setHandler)(exports.resumeSignal, () => {
        progress.paused = false;
        workflow_1.log.info('resume requested');
        void run.forward?.('resume');
    });
    (0, workflow_1.setHandler)(exports.abortSignal, (input) => {
        if (FINAL.has(progress.phase) || run.abortReason !== undefined)
            return;
        run.abortReason = input?.reason ?? '';
        workflow_1.log.warn('abort requested: rolling back', { reason: run.abortReason });
        // Cancelling the saga's scope interrupts a pause or an in-flight slice at once.
        run.scope.cancel();
    });
    (0, workflow_1.setHandler)(exports.throttleSignal, (input) => {
        const t = run.state.throttle;
        if (isPositiveInt(input?.batchSize) && input.batchSize <= 1_000_000)
            t.batchSize = input.batchSize;
        if (Number.isInteger(input?.throttleMs) && input.throttleMs >= 0)
            t.throttleMs = input.throttleMs;
        progress.batchSize = t.batchSize ?? run.plan.copy.batchSize;
        workflow_1.log.info('throttle changed', { ...t });
    });
}
function isPositiveInt(n) {
    return Number.isInteger(n) && n > 0;
}
//# sourceMappingURL=controls.js.map