import { WorkflowFailedError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import { ExitCodes, QueryNames, WorkflowTypes } from '../common/names';
import type { RollbackProgress, RollbackResult } from '../common/rollback';
import type { CliContext } from './command';
import { detailLines, runDetails } from './run-details';
import { rootFailure } from './workflow-errors';

/**
 * `status ID` of a workflow that is not an upgrade run. A rollback workflow (`<run>-rollback`)
 * says what it undid and what is left; any other says what it is and where the run is.
 */
export async function otherWorkflow(client: Client, d: WorkflowExecutionDescription, json: boolean, ctx: CliContext): Promise<number> {
  const handle = client.workflow.getHandle(d.workflowId);
  const details = runDetails(d);
  if (d.type !== WorkflowTypes.rollback) {
    const parent = d.parentExecution?.workflowId;
    const message = `${d.workflowId} is a ${d.type} workflow (${d.status.name.toLowerCase()}), not an upgrade run` +
      `${parent ? `; its upgrade run is ${parent}: stp-upgrade status ${parent}` : '; `stp-upgrade list` shows the upgrade runs'}`;
    ctx.out(json ? JSON.stringify({ workflowId: d.workflowId, type: d.type, status: d.status.name, parent: parent ?? null, ...details }, null, 2) : [message, ...detailLines(details)].join('\n'));
    return ExitCodes.ok;
  }
  let progress: RollbackProgress | undefined;
  let result: RollbackResult | undefined;
  let error: { type?: string; message: string } | undefined;
  if (d.status.name === 'RUNNING') progress = await handle.query<RollbackProgress>(QueryNames.progress).catch(() => undefined);
  else {
    try {
      result = (await handle.result()) as RollbackResult;
    } catch (err) {
      error = err instanceof WorkflowFailedError ? rootFailure(err) : { message: (err as Error).message };
    }
  }
  const code = error ? (error.type === 'RollbackFailed' ? ExitCodes.rollbackFailed : error.type === 'BadInputError' ? ExitCodes.badInput : ExitCodes.failed) : ExitCodes.ok;
  if (json) {
    ctx.out(JSON.stringify({ workflowId: d.workflowId, type: d.type, status: d.status.name, ...details, progress: progress ?? null, result: result ?? null, error: error ?? null, exitCode: code }, null, 2));
    return code;
  }
  const lines = [`Rollback workflow ${d.workflowId}: ${d.status.name.toLowerCase()}`];
  if (progress) {
    lines.push(`  phase ${progress.phase}; undone: ${progress.done.join(', ') || 'nothing yet'}; left: ${progress.left.join(', ') || 'nothing'}`);
    if (progress.error) lines.push(`  error: ${progress.error}`);
  }
  if (result) lines.push(`  ${result.message}`, `  at ${result.at}: ${result.reason}`, `  the run: stp-upgrade status ${result.runId}`);
  if (error) lines.push(`  failed${error.type ? ` (${error.type})` : ''}: ${error.message}`);
  lines.push(...detailLines(details));
  ctx.out(lines.join('\n'));
  return code;
}
