"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.recordBatch = recordBatch;
exports.recordBacklog = recordBacklog;
exports.recordVerify = recordVerify;
const activity_1 = require("@temporalio/activity");
const metric_names_1 = require("../common/metric-names");
/**
 * One-line metric calls for activities, through the SDK's metric meter of the running activity
 * (tagged with namespace, task queue and activity type; one Prometheus endpoint for everything).
 * Outside an activity (tests that call activities directly) they do nothing.
 */
function meter() {
    try {
        return activity_1.Context.current().metricMeter;
    }
    catch {
        return undefined;
    }
}
/** A committed copy batch: rows and duration, per rule. */
function recordBatch(rule, rows, ms) {
    const m = meter();
    if (!m)
        return;
    m.createCounter(metric_names_1.Metrics.rowsCopied.name, metric_names_1.Metrics.rowsCopied.unit, metric_names_1.Metrics.rowsCopied.help).add(rows, { rule });
    m.createHistogram(metric_names_1.Metrics.batchDuration.name, 'float', metric_names_1.Metrics.batchDuration.unit, metric_names_1.Metrics.batchDuration.help).record(ms / 1000, { rule });
}
/** The replay backlog after a replay call: changes waiting and the age of the oldest. */
function recordBacklog(direction, changes, oldestAgeMs) {
    const m = meter();
    if (!m)
        return;
    m.createGauge(metric_names_1.Metrics.replayBacklog.name, 'int', metric_names_1.Metrics.replayBacklog.unit, metric_names_1.Metrics.replayBacklog.help).set(changes, { direction });
    m.createGauge(metric_names_1.Metrics.replayLag.name, 'float', metric_names_1.Metrics.replayLag.unit, metric_names_1.Metrics.replayLag.help).set((oldestAgeMs ?? 0) / 1000, { direction });
}
/** One verify, its duration and outcome. */
function recordVerify(ms, ok) {
    meter()?.createHistogram(metric_names_1.Metrics.verifyDuration.name, 'float', metric_names_1.Metrics.verifyDuration.unit, metric_names_1.Metrics.verifyDuration.help).record(ms / 1000, { ok: String(ok) });
}
//# sourceMappingURL=metrics.js.map