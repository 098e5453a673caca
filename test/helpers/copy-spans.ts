import type { temporal } from '@temporalio/proto';

/**
 * The copy activities of a saga run as the history records them: which rule (and range) each
 * worked on, when it was scheduled and closed (event ids: the workflow's own order) and when it
 * started and closed on a worker (event times). Tests read concurrency from these, not from logs.
 */
export interface CopySpan {
  activity: 'copySlice' | 'planRanges';
  rule: string;
  range?: number;
  scheduledId: number;
  closedId: number;
  startedMs: number;
  closedMs: number;
}

type Event = temporal.api.history.v1.IHistoryEvent;

const eventMs = (e: Event): number => Number(e.eventTime?.seconds ?? 0) * 1000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6);

function closedOf(e: Event) {
  return e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes ?? e.activityTaskCanceledEventAttributes;
}

/** Every copySlice and planRanges of the history that has closed, in the order they were scheduled. */
export function copySpans(history: temporal.api.history.v1.IHistory): CopySpan[] {
  const open = new Map<string, CopySpan>();
  const spans: CopySpan[] = [];
  for (const e of history.events ?? []) {
    const id = Number(e.eventId);
    const sch = e.activityTaskScheduledEventAttributes;
    const activity = sch?.activityType?.name;
    if (sch && (activity === 'copySlice' || activity === 'planRanges')) {
      const input = JSON.parse(Buffer.from(sch.input?.payloads?.[0]?.data ?? []).toString()) as { rule: string; range?: number };
      open.set(String(id), { activity, rule: input.rule, ...(input.range === undefined ? {} : { range: input.range }), scheduledId: id, closedId: 0, startedMs: 0, closedMs: 0 });
    }
    const started = e.activityTaskStartedEventAttributes;
    const span = started ? open.get(String(started.scheduledEventId)) : undefined;
    if (span) span.startedMs = eventMs(e);
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
export function maxInFlight(spans: CopySpan[]): number {
  const marks = spans.flatMap((s) => [[s.scheduledId, 1], [s.closedId, -1]]).sort((a, b) => a[0] - b[0]);
  let now = 0;
  let max = 0;
  for (const [, d] of marks) max = Math.max(max, (now += d));
  return max;
}

/**
 * Two activities (a slice or the planning of ranges) of rules `a` and `b` in flight at the same time in the workflow (scheduled before the
 * other closed); `onWorkers`: also running on workers at the same time (started before the other closed).
 */
export function overlapping(spans: CopySpan[], a: string, b: string, onWorkers = false): [CopySpan, CopySpan] | undefined {
  const both = (x: CopySpan, y: CopySpan) => y.scheduledId < x.closedId && x.scheduledId < y.closedId &&
    (!onWorkers || (y.startedMs < x.closedMs && x.startedMs < y.closedMs));
  for (const x of spans.filter((s) => s.rule === a)) {
    const y = spans.find((s) => s.rule === b && both(x, s));
    if (y) return [x, y];
  }
  return undefined;
}
