"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.rollbackWorkflowId = rollbackWorkflowId;
exports.revertSteps = revertSteps;
const release_1 = require("./release");
/**
 * The id `stp-upgrade rollback ID` gives the rollback workflow of a run: one rollback per run at a
 * time, and where `stp-upgrade status ID` looks to learn that a completed run was rolled back.
 */
function rollbackWorkflowId(runId) {
    return `${runId}-rollback`;
}
/**
 * The compensations of a finished run, in the order the saga itself would run them (the reverse
 * of registration): release first (blue back before green goes), then the data.
 */
function revertSteps(plan) {
    const has = (s) => plan.steps.includes(s);
    const release = (0, release_1.releasePlanOf)(plan);
    const out = [];
    const add = (step, activity, input = {}) => out.push({ key: `${step}.${activity}`, activity, input });
    if (has('finalize'))
        add('finalize', 'unfinalize');
    if (has('drain') && release.blueAfterSwitch === 'stop')
        add('drain', 'startBlue');
    if (has('switch'))
        add('switch', 'switchBack');
    if (has('deploy'))
        add('deploy', 'stopInstance', { which: 'green' });
    if (has('graph'))
        add('graph', 'dropTargetGraph');
    if (has('copy') && plan.defects.policy === 'quarantine')
        add('copy', 'clearQuarantine');
    if (has('copy'))
        add('copy', 'removeCapture');
    if (has('schema'))
        add('schema', 'dropTargetSchema');
    return out;
}
//# sourceMappingURL=rollback.js.map