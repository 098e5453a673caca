import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { createDefectListActivities } from '../activities/defect-list';
import type { DefectPage, DefectPageInput } from '../common/defect-list';
import { validatePlan } from '../common/plan-validation';
import { longSql } from './profiles';

const { listDefects } = proxyActivities<ReturnType<typeof createDefectListActivities>>({ ...longSql, summary: 'list legacy defects (one page)' });

/** One page of every legacy defect (`stp-upgrade defects`). Read-only; the CLI pages until `next` is null. */
export async function defectsWorkflow(input: DefectPageInput): Promise<DefectPage> {
  const parsed = validatePlan(input?.plan);
  if (!parsed.ok) throw ApplicationFailure.nonRetryable(parsed.errors.join('\n'), 'BadInputError');
  const limit = Number.isInteger(input.limit) && input.limit > 0 && input.limit <= 10_000 ? input.limit : 2000;
  return listDefects({ plan: parsed.plan, cursor: input.cursor, limit });
}
