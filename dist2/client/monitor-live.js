"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.withLiveMonitoring = withLiveMonitoring;
const names_1 = require("../common/names");
/**
 * While a run monitors green, the saga's progress holds the counts from the start of monitoring;
 * the live ones are in the monitor child (its `status` query), read here so the saga's history
 * does not grow by a signal per check. Unchanged when the child cannot be asked.
 */
async function withLiveMonitoring(client, p) {
    const id = p.monitoring?.workflowId;
    if (p.phase !== 'monitoring' || !id || p.monitoring?.outcome)
        return p;
    try {
        const s = await client.workflow.getHandle(id).query(names_1.QueryNames.status);
        return {
            ...p,
            monitoring: {
                ...p.monitoring,
                checks: s.checks,
                failures: s.failures,
                consecutiveFailures: s.consecutiveFailures,
                secondsLeft: s.secondsLeft,
                paused: s.paused,
                ...(s.pausedReason ? { pausedReason: s.pausedReason } : {}),
            },
        };
    }
    catch {
        return p;
    }
}
//# sourceMappingURL=monitor-live.js.map