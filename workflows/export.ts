import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { createExportActivities } from '../activities/export';
import { ExportWorkflowInput, type ExportResult, type ExportWorkflowInputRaw } from '../common/export';
import { formatIssues } from '../common/validation';
import { longBatch } from './profiles';

const { exportData } = proxyActivities<ReturnType<typeof createExportActivities>>(longBatch);

/**
 * The emergency export: every text, chunk and template as JSON lines with checksums, into a
 * directory on the worker. Read-only; a retried activity replaces its files.
 */
export async function exportWorkflow(input: ExportWorkflowInputRaw): Promise<ExportResult> {
  const parsed = ExportWorkflowInput.safeParse(input);
  if (!parsed.success) throw ApplicationFailure.nonRetryable(formatIssues('input', parsed.error, input).join('\n'), 'BadInputError');
  return exportData(parsed.data);
}
