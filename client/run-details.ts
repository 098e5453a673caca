import type { WorkflowExecutionDescription } from '@temporalio/client';
import { redact } from '../common/redact';
import { duration } from './upgrade-view';

/** What Temporal knows of a run beyond its progress query: when it started, how long, what retries. */
export interface RunDetails {
  startedAt?: string;
  closedAt?: string;
  durationSeconds?: number;
  /** Activities that failed at least once and are being retried: the error the operator must see. */
  retrying: { activity: string; attempt: number; maxAttempts?: number; error: string; nextAttemptAt?: string }[];
}

type Failure = { message?: string | null; cause?: Failure | null } | null | undefined;

/** The innermost message of a failure chain (the activity's own error, not "Activity task failed"). */
function innermost(f: Failure): string {
  let message = f?.message ?? '';
  for (let c = f?.cause; c; c = c.cause) if (c.message) message = c.message;
  return message;
}

function iso(t: { seconds?: unknown } | null | undefined): string | undefined {
  const s = Number(t?.seconds ?? 0);
  return s > 0 ? new Date(s * 1000).toISOString() : undefined;
}

export function runDetails(d: WorkflowExecutionDescription, now = Date.now()): RunDetails {
  const end = d.closeTime?.getTime() ?? now;
  const retrying = (d.raw.pendingActivities ?? [])
    .filter((a) => (a.attempt ?? 1) > 1 && a.lastFailure)
    .map((a) => ({
      activity: a.activityType?.name ?? 'activity',
      attempt: a.attempt ?? 0,
      ...(a.maximumAttempts ? { maxAttempts: a.maximumAttempts } : {}),
      error: redact(innermost(a.lastFailure as Failure)),
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
export function detailLines(r: RunDetails): string[] {
  const lines: string[] = [];
  if (r.startedAt) {
    const d = r.durationSeconds === undefined ? '' : ` · ${r.closedAt ? 'took' : 'running for'} ${duration(r.durationSeconds)}`;
    lines.push(`Started ${r.startedAt}${r.closedAt ? `, ended ${r.closedAt}` : ''}${d}`);
  }
  for (const a of r.retrying) {
    const of = a.maxAttempts ? `/${a.maxAttempts}` : '';
    lines.push(`RETRYING ${a.activity} (attempt ${a.attempt}${of}${a.nextAttemptAt ? `, next at ${a.nextAttemptAt}` : ''}): ${a.error}`);
  }
  return lines;
}
