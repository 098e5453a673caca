import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

/**
 * Where a run's time went, from its Temporal history (every run of a continue-as-new chain):
 * wall seconds of each activity attempt from scheduled to closed, summed per step label (the
 * activity type; copySlice per rule), and the whole run from start to close. Read from the
 * server, so it measures what the worker really did, not what it reports.
 */
export interface RunSplit {
  totalMs: number;
  /** Activity time per label, summed (concurrent ranges of a rule add up). */
  steps: Record<string, number>;
  /** Wall time per label: its first schedule to its last close (concurrent ranges overlap); COPY_SPAN: all copy rules. */
  spans: Record<string, number>;
}

export const COPY_SPAN = 'copy (all rules)';

type Ts = temporal.api.common.v1.IPayload;
const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => (t ? Number(t.seconds ?? 0) * 1000 + (t.nanos ?? 0) / 1e6 : 0);

function ruleOf(payloads: Ts[] | null | undefined): string | undefined {
  const p = payloads?.[0];
  if (!p?.data || Buffer.from(p.metadata?.encoding ?? []).toString() !== 'json/plain') return undefined;
  try {
    return (JSON.parse(Buffer.from(p.data).toString()) as { rule?: string }).rule;
  } catch {
    return undefined;
  }
}

export async function runSplit(client: Client, workflowId: string): Promise<RunSplit> {
  const steps: Record<string, number> = {};
  const bounds: Record<string, { from: number; to: number }> = {};
  let first = 0;
  let last = 0;
  let runId: string | undefined;
  for (;;) {
    const { events } = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const scheduled = new Map<string, { label: string; at: number }>();
    let next: string | undefined;
    for (const e of events ?? []) {
      const at = ms(e.eventTime);
      if (!first) first = at;
      last = at;
      const s = e.activityTaskScheduledEventAttributes;
      if (s) {
        const type = s.activityType?.name ?? '?';
        const rule = type === 'copySlice' ? ruleOf(s.input?.payloads) : undefined;
        scheduled.set(String(e.eventId), { label: rule ? `copy ${rule}` : type, at });
      }
      const closed =
        e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes ?? e.activityTaskCanceledEventAttributes;
      if (closed?.scheduledEventId) {
        const sch = scheduled.get(String(closed.scheduledEventId));
        if (sch) {
          steps[sch.label] = (steps[sch.label] ?? 0) + (at - sch.at);
          // COPY_SPAN: every rule's slices together (concurrent rules overlap, so their spans do not add up)
          for (const label of sch.label.startsWith('copy ') ? [sch.label, COPY_SPAN] : [sch.label]) {
            const b = (bounds[label] ??= { from: sch.at, to: at });
            b.from = Math.min(b.from, sch.at);
            b.to = Math.max(b.to, at);
          }
        }
      }
      next = e.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? next;
    }
    if (!next) break;
    runId = next;
  }
  const spans = Object.fromEntries(Object.entries(bounds).map(([k, b]) => [k, b.to - b.from]));
  return { totalMs: last - first, steps, spans };
}
