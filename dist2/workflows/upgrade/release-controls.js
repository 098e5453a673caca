"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.releasePlanProblems = exports.promoteUpdate = exports.approveUpdate = void 0;
exports.releaseState = releaseState;
exports.installReleaseControls = installReleaseControls;
const workflow_1 = require("@temporalio/workflow");
const names_1 = require("../../common/names");
/** Approves the switch to green while the saga waits at the approval gate; answers with the record. */
exports.approveUpdate = (0, workflow_1.defineUpdate)(names_1.UpdateNames.approve);
/** Ends post-switch monitoring early; the saga then finalizes. Answers with the counts so far. */
exports.promoteUpdate = (0, workflow_1.defineUpdate)(names_1.UpdateNames.promote);
function releaseState(run) {
    run.state.release ??= {};
    return run.state.release;
}
/**
 * Updates, not signals: the operator learns at once whether the saga took the command (a validator
 * refuses an approval when nothing waits for one), and an update is recorded with its caller.
 */
function installReleaseControls(run) {
    const p = run.state.progress;
    (0, workflow_1.setHandler)(exports.approveUpdate, (input) => {
        const approval = { by: input.by.trim(), at: new Date().toISOString(), ...(input.comment ? { comment: input.comment } : {}) };
        releaseState(run).approval = approval;
        p.approval = approval;
        workflow_1.log.info('switch to green approved', { ...approval });
        return approval;
    }, {
        validator: (input) => {
            if (typeof input?.by !== 'string' || input.by.trim() === '')
                throw new Error('an approval names who approves: {"by": "NAME"}');
            if (p.phase !== 'awaiting_approval') {
                throw new Error(`run ${run.runId} is not waiting for approval (phase ${p.phase}${p.step ? `, step ${p.step}` : ''})`);
            }
        },
    });
    (0, workflow_1.setHandler)(exports.promoteUpdate, async (input) => {
        workflow_1.log.info('promote requested: monitoring ends, then finalize', { reason: input?.reason });
        await run.forward?.('promote', input?.reason ?? 'promoted by operator');
        return p.monitoring;
    }, {
        validator: (_input) => {
            if (p.phase !== 'monitoring' || !run.forward) {
                throw new Error(`run ${run.runId} is not monitoring green (phase ${p.phase}${p.step ? `, step ${p.step}` : ''}); promote ends monitoring early`);
            }
        },
    });
}
/** Moved to common/plan-validation.ts (plan check and the workflow share it). */
var plan_validation_1 = require("../../common/plan-validation");
Object.defineProperty(exports, "releasePlanProblems", { enumerable: true, get: function () { return plan_validation_1.releasePlanProblems; } });
//# sourceMappingURL=release-controls.js.map