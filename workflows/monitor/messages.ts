import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { QueryNames, SignalNames, UpdateNames } from '../../common/names';
import type { AbortRequest, MonitorStatus, PromoteRequest } from '../../common/monitor';

/** Operator commands of the monitor workflow (also reachable by name through the CLI or the Temporal UI). */
export const abortSignal = defineSignal<[AbortRequest?]>(SignalNames.abort);
/** Pauses checks (the deadline moves by the paused time); `resume` continues. */
export const pauseSignal = defineSignal<[AbortRequest?]>(SignalNames.pause);
export const resumeSignal = defineSignal(SignalNames.resume);
/** Ends monitoring early as `promoted`; answers with the status at that moment. */
export const promoteUpdate = defineUpdate<MonitorStatus, [PromoteRequest?]>(UpdateNames.promote);
/** The same as `promote`, as a signal: the upgrade saga forwards the operator's promote with it. */
export const promoteSignal = defineSignal<[PromoteRequest?]>(SignalNames.promoteMonitor);
export const statusQuery = defineQuery<MonitorStatus>(QueryNames.status);

export function reasonOf(req: AbortRequest | PromoteRequest | undefined, fallback: string): string {
  if (typeof req === 'string' && req.trim() !== '') return req;
  if (req && typeof req === 'object' && typeof req.reason === 'string' && req.reason.trim() !== '') return req.reason;
  return fallback;
}
