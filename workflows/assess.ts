import { proxyActivities } from '@temporalio/workflow';
import type { createAssessActivities } from '../activities/assess';
import type { Assessment } from '../common/steps';
import type { AssessWorkflowInput } from '../common/inputs';
import { interactiveSql } from './profiles';

const { assess } = proxyActivities<ReturnType<typeof createAssessActivities>>(interactiveSql);

/** Reads the database and returns the assessment report. Changes nothing. */
export async function assessWorkflow(input: AssessWorkflowInput): Promise<Assessment> {
  return assess({ database: input.database, ...(input.blueUrl ? { blueUrl: input.blueUrl } : {}) });
}
