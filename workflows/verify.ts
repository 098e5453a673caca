import { ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { DataActivities } from '../common/activities';
import { parsePlan, type PlanInput } from '../common/plan';
import type { VerifyReport } from '../common/steps';
import { SagaFailureTypes } from '../common/upgrade-input';
import { quickSql } from './profiles';

const { verify } = proxyActivities<DataActivities>({ ...quickSql, startToCloseTimeout: '2 hours' });

export interface VerifyWorkflowInput {
  plan: PlanInput;
  /** The upgrade run whose quarantine counts as migrated-or-quarantined; default: this workflow's id. */
  runId?: string;
}

/** Runs the checks of MIGRATION-CONTRACT section 5 alone. Read-only; returns the report even when not ok. */
export async function verifyWorkflow(input: VerifyWorkflowInput): Promise<VerifyReport> {
  const parsed = parsePlan(input?.plan);
  if (!parsed.ok) {
    throw ApplicationFailure.create({
      type: SagaFailureTypes.badInput,
      nonRetryable: true,
      message: `invalid plan:\n  ${parsed.errors.join('\n  ')}`,
      details: [parsed.errors],
    });
  }
  return verify({ runId: input.runId ?? workflowInfo().workflowId, plan: parsed.plan });
}
