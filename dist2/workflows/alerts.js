"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ALERTS_PATCH = void 0;
exports.notify = notify;
const workflow_1 = require("@temporalio/workflow");
const alerts_1 = require("../common/alerts");
/** Runs that started before alerts existed replay without the alert activities. */
exports.ALERTS_PATCH = 'alerts';
// The activity retries each webhook itself and never throws; one attempt here is enough.
const alertActs = (0, workflow_1.proxyActivities)({ startToCloseTimeout: '3 minutes', heartbeatTimeout: '30s', retry: { maximumAttempts: 1 } });
/**
 * Tells the plan's webhooks about an event of the run. Never fails the run, and not cancelled with
 * it (a rollback's own alert must go out). Nothing is scheduled when no webhook wants the event, so
 * runs without alerts keep their history unchanged.
 */
async function notify(src, event, message, at) {
    if ((0, alerts_1.subscribers)(src.plan.alerts, event).length === 0 || !(0, workflow_1.patched)(exports.ALERTS_PATCH))
        return;
    const alerts = src.plan.alerts;
    const payload = { event, runId: src.runId, database: src.plan.database, message, at: new Date().toISOString(), ...at };
    try {
        const r = await workflow_1.CancellationScope.nonCancellable(() => alertActs.sendAlert({ alerts, event: payload }));
        if (r.failed.length > 0)
            workflow_1.log.warn('alert not delivered to every webhook', { event, delivered: r.delivered, failed: r.failed });
        else
            workflow_1.log.info('alert sent', { event, delivered: r.delivered });
    }
    catch (err) {
        workflow_1.log.warn('alert could not be sent', { event, error: err instanceof Error ? err.message : String(err) });
    }
}
//# sourceMappingURL=alerts.js.map