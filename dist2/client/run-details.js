"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.runDetails = runDetails;
exports.detailLines = detailLines;
const redact_1 = require("../common/redact");
const upgrade_view_1 = require("./upgrade-view");
/** The innermost message of a failure chain (the activity's own error, not "Activity task failed"). */
function innermost(f) {
    let message = f?.message ?? '';
    for (let c = f?.cause; c; c = c.cause)
        if (c.message)
            message = c.message;
    return message;
}
function iso(t) {
    const s = Number(t?.seconds ?? 0);
    return s > 0 ? new Date(s * 1000).toISOString() : undefined;
}
function runDetails(d, now = Date.now()) {
    const end = d.closeTime?.getTime() ?? now;
    const retrying = (d.raw.pendingActivities ?? [])
        .filter((a) => (a.attempt ?? 1) > 1 && a.lastFailure)
        .map((a) => ({
        activity: a.activityType?.name ?? 'activity',
        attempt: a.attempt ?? 0,
        ...(a.maximumAttempts ? { maxAttempts: a.maximumAttempts } : {}),
        error: (0, redact_1.redact)(innermost(a.lastFailure)),
        ...(iso(a.nextAttemptScheduleTime) ? { nextAttemptAt: iso(a.nextAttemptScheduleTime) } : {}),
    }));
    return {
        startedAt: d.startTime?.toISOString(),
        ...(d.closeTime ? { closedAt: d.closeTime.toISOString() } : {}),
        ...(d.startTime ? { durationSeconds: Math.max(0, Math.round((end - d.startTime.getTime()) / 1000)) } : {}),
        retrying,
    };
}
/** `Started ... · running for 12m 3s` and one RETRYING line per failing activity. */
function detailLines(r) {
    const lines = [];
    if (r.startedAt) {
        const d = r.durationSeconds === undefined ? '' : ` · ${r.closedAt ? 'took' : 'running for'} ${(0, upgrade_view_1.duration)(r.durationSeconds)}`;
        lines.push(`Started ${r.startedAt}${r.closedAt ? `, ended ${r.closedAt}` : ''}${d}`);
    }
    for (const a of r.retrying) {
        const of = a.maxAttempts ? `/${a.maxAttempts}` : '';
        lines.push(`RETRYING ${a.activity} (attempt ${a.attempt}${of}${a.nextAttemptAt ? `, next at ${a.nextAttemptAt}` : ''}): ${a.error}`);
    }
    return lines;
}
//# sourceMappingURL=run-details.js.map