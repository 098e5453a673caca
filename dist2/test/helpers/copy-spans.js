"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.copySpans = copySpans;
exports.maxInFlight = maxInFlight;
exports.overlapping = overlapping;
const eventMs = (e) => Number(e.eventTime?.seconds ?? 0) * 1000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6);
function closedOf(e) {
    return e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes ?? e.activityTaskCanceledEventAttributes;
}
/** Every copySlice and planRanges of the history that has closed, in the order they were scheduled. */
function copySpans(history) {
    const open = new Map();
    const spans = [];
    for (const e of history.events ?? []) {
        const id = Number(e.eventId);
        const sch = e.activityTaskScheduledEventAttributes;
        const activity = sch?.activityType?.name;
        if (sch && (activity === 'copySlice' || activity === 'planRanges')) {
            const input = JSON.parse(Buffer.from(sch.input?.payloads?.[0]?.data ?? []).toString());
            open.set(String(id), { activity, rule: input.rule, ...(input.range === undefined ? {} : { range: input.range }), scheduledId: id, closedId: 0, startedMs: 0, closedMs: 0 });
        }
        const started = e.activityTaskStartedEventAttributes;
        const span = started ? open.get(String(started.scheduledEventId)) : undefined;
        if (span)
            span.startedMs = eventMs(e);
        const closed = closedOf(e);
        const done = closed ? open.get(String(closed.scheduledEventId)) : undefined;
        if (done) {
            done.closedId = id;
            done.closedMs = eventMs(e);
            spans.push(done);
        }
    }
    return spans.sort((a, b) => a.scheduledId - b.scheduledId);
}
/** The most copy activities ever in flight at once (scheduled and not yet closed). */
function maxInFlight(spans) {
    const marks = spans.flatMap((s) => [[s.scheduledId, 1], [s.closedId, -1]]).sort((a, b) => a[0] - b[0]);
    let now = 0;
    let max = 0;
    for (const [, d] of marks)
        max = Math.max(max, (now += d));
    return max;
}
/**
 * Two activities (a slice or the planning of ranges) of rules `a` and `b` in flight at the same time in the workflow (scheduled before the
 * other closed); `onWorkers`: also running on workers at the same time (started before the other closed).
 */
function overlapping(spans, a, b, onWorkers = false) {
    const both = (x, y) => y.scheduledId < x.closedId && x.scheduledId < y.closedId &&
        (!onWorkers || (y.startedMs < x.closedMs && x.startedMs < y.closedMs));
    for (const x of spans.filter((s) => s.rule === a)) {
        const y = spans.find((s) => s.rule === b && both(x, s));
        if (y)
            return [x, y];
    }
    return undefined;
}
//# sourceMappingURL=copy-spans.js.map