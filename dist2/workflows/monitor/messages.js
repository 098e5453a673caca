"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.statusQuery = exports.promoteSignal = exports.promoteUpdate = exports.resumeSignal = exports.pauseSignal = exports.abortSignal = void 0;
exports.reasonOf = reasonOf;
const workflow_1 = require("@temporalio/workflow");
const names_1 = require("../../common/names");
/** Operator commands of the monitor workflow (also reachable by name through the CLI or the Temporal UI). */
exports.abortSignal = (0, workflow_1.defineSignal)(names_1.SignalNames.abort);
/** Pauses checks (the deadline moves by the paused time); `resume` continues. */
exports.pauseSignal = (0, workflow_1.defineSignal)(names_1.SignalNames.pause);
exports.resumeSignal = (0, workflow_1.defineSignal)(names_1.SignalNames.resume);
/** Ends monitoring early as `promoted`; answers with the status at that moment. */
exports.promoteUpdate = (0, workflow_1.defineUpdate)(names_1.UpdateNames.promote);
/** The same as `promote`, as a signal: the upgrade saga forwards the operator's promote with it. */
exports.promoteSignal = (0, workflow_1.defineSignal)(names_1.SignalNames.promoteMonitor);
exports.statusQuery = (0, workflow_1.defineQuery)(names_1.QueryNames.status);
function reasonOf(req, fallback) {
    if (typeof req === 'string' && req.trim() !== '')
        return req;
    if (req && typeof req === 'object' && typeof req.reason === 'string' && req.reason.trim() !== '')
        return req.reason;
    return fallback;
}
//# sourceMappingURL=messages.js.map