import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';

/** The plan an upgrade run was started with (its first history event's input), when readable. */
export async function runPlanInput(handle: WorkflowHandle): Promise<Record<string, unknown> | undefined> {
  try {
    const history = await handle.fetchHistory();
    const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    const plan = payload ? defaultPayloadConverter.fromPayload<unknown>(payload as Payload) : undefined;
    return plan && typeof plan === 'object' && !Array.isArray(plan) ? (plan as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
