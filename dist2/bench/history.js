"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.COPY_SPAN = void 0;
exports.runSplit = runSplit;
exports.COPY_SPAN = 'copy (all rules)';
const ms = (t) => (t ? Number(t.seconds ?? 0) * 1000 + (t.nanos ?? 0) / 1e6 : 0);
function ruleOf(payloads) {
    const p = payloads?.[0];
    if (!p?.data || Buffer.from(p.metadata?.encoding ?? []).toString() !== 'json/plain')
        return undefined;
    try {
        return JSON.parse(Buffer.from(p.data).toString()).rule;
    }
    catch {
        return undefined;
    }
}
async function runSplit(client, workflowId) {
    const steps = {};
    const bounds = {};
    let first = 0;
    let last = 0;
    let runId;
    for (;;) {
        const { events } = await client.workflow.getHandle(workflowId, runId).fetchHistory();
        const scheduled = new Map();
        let next;
        for (const e of events ?? []) {
            const at = ms(e.eventTime);
            if (!first)
                first = at;
            last = at;
            const s = e.activityTaskScheduledEventAttributes;
            if (s) {
                const type = s.activityType?.name ?? '?';
                const rule = type === 'copySlice' ? ruleOf(s.input?.payloads) : undefined;
                scheduled.set(String(e.eventId), { label: rule ? `copy ${rule}` : type, at });
            }
            const closed = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes ?? e.activityTaskCanceledEventAttributes;
            if (closed?.scheduledEventId) {
                const sch = scheduled.get(String(closed.scheduledEventId));
                if (sch) {
                    steps[sch.label] = (steps[sch.label] ?? 0) + (at - sch.at);
                    // COPY_SPAN: every rule's slices together (concurrent rules overlap, so their spans do not add up)
                    for (const label of sch.label.startsWith('copy ') ? [sch.label, exports.COPY_SPAN] : [sch.label]) {
                        const b = (bounds[label] ??= { from: sch.at, to: at });
                        b.from = Math.min(b.from, sch.at);
                        b.to = Math.max(b.to, at);
                    }
                }
            }
            next = e.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? next;
        }
        if (!next)
            break;
        runId = next;
    }
    const spans = Object.fromEntries(Object.entries(bounds).map(([k, b]) => [k, b.to - b.from]));
    return { totalMs: last - first, steps, spans };
}
//# sourceMappingURL=history.js.map