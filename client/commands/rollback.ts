import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { DatabaseName } from '../../common/database-name';
import { ExitCodes, WorkflowTypes } from '../../common/names';
import { rollbackWorkflowId, type RollbackInput, type RollbackResult } from '../../common/rollback';
import { CliError, type Command, stringOpt } from '../command';
import { connectClient } from '../connection';
import { rollbackOf } from '../rolled-back';
import { runPlanInput } from '../run-plan';
import { awaitOutcome, existingRun } from '../upgrade-outcome';
import { missingWorker } from '../worker-check';
import { rootFailure } from '../workflow-errors';

export const rollbackCommand: Command = {
  name: 'rollback',
  summary: 'emergency rollback of an upgrade run, even one that has completed',
  usage: 'stp-upgrade rollback ID [--database NAME] [--reason TEXT] [--accept-loss] [--json]',
  help: [
    'An open run is aborted and rolls itself back. A run that has ended (completed and finalized,',
    'or whose rollback failed) is undone from its stored plan: unfinalize, blue started and',
    'traffic switched back to it (proven by its headers), green stopped, then the target graph,',
    'quarantine and tables of that run dropped. Legacy tables are never touched; running it twice',
    'is safe. The run\'s bookkeeping goes too (the stp_migration schema when the run created it and',
    'no other run is recorded there); `stp-upgrade status ID` then says rolled_back, when and why.',
    'Writes green acknowledged before finalize are carried back to the legacy tables; writes made',
    'after finalize cannot be (capture ends there): the rollback of a finalized run then says how',
    'many there were and stops, unless --accept-loss is given.',
    'When the plan backed up the configuration and binary (backup.config, backup.binary), the ones',
    'that differ from the backup are restored and blue restarted on them and checked healthy; the',
    'result lists them (emergency_rollback.sh).',
    '--database defaults to the run\'s own plan. Waits for the end. Exit 0 rolled back',
    '(or nothing left to undo), 1 failed, 2 unknown id, 3 rollback failed: undo the rest by hand.',
    'Example: stp-upgrade rollback stp-upgrade-primary-20250102T030405Z --reason "search latency"',
  ].join('\n'),
  options: { database: { type: 'string' }, reason: { type: 'string' }, 'accept-loss': { type: 'boolean' }, json: { type: 'boolean' } },
  async run(args, ctx) {
    const [id, ...extra] = args.positionals;
    if (!id || extra.length > 0) throw new CliError(`expected one run id. Usage: ${this.usage}`);
    const { client, settings, close } = await connectClient(ctx.env);
    try {
      const { handle: upgrade } = await existingRun(client, id);
      // Rolled back before: say when and why instead of starting a rollback that finds nothing.
      const prev = await rollbackOf(client, id);
      if (prev?.status === 'COMPLETED' && prev.result.mode !== 'nothing') {
        const r = prev.result;
        ctx.out(args.values.json ? JSON.stringify({ ...r, exitCode: ExitCodes.ok }, null, 2) : `run ${id} is already rolled back (${r.at ?? ''} by ${prev.workflowId}: ${r.reason ?? ''}): ${r.message}`);
        return ExitCodes.ok;
      }
      const database = stringOpt(args, 'database') ?? (await planDatabase(upgrade)) ?? 'primary';
      if (!DatabaseName.safeParse(database).success) throw new CliError(`--database: "${database}" is not a database name`);
      const input: RollbackInput = { runId: id, database, reason: stringOpt(args, 'reason'), ...(args.values['accept-loss'] ? { acceptLoss: true } : {}) };
      const noWorker = await missingWorker(client, settings.taskQueue);
      const handle = await startOrAttach(client, rollbackWorkflowId(id), settings.taskQueue, input);
      if (!args.values.json) ctx.out(`Rolling back ${id} (workflow ${handle.workflowId}); waiting for it to finish.`);
      if (noWorker) ctx.err(`stp-upgrade rollback: the rollback waits: ${noWorker}`);
      let result: RollbackResult;
      try {
        result = (await handle.result()) as RollbackResult;
      } catch (err) {
        const root = rootFailure(err);
        const code = root.type === 'RollbackFailed' ? ExitCodes.rollbackFailed : root.type === 'BadInputError' ? ExitCodes.badInput : ExitCodes.failed;
        throw new CliError(root.message, code);
      }
      // An aborted run rolled itself back: its own outcome says whether that worked.
      const code = result.mode === 'aborted' && (await awaitOutcome(upgrade)).exitCode === ExitCodes.rollbackFailed ? ExitCodes.rollbackFailed : ExitCodes.ok;
      ctx.out(args.values.json ? JSON.stringify({ ...result, exitCode: code }, null, 2) : `${result.message}${code === ExitCodes.ok ? '' : '\nTHE RUN\'S OWN ROLLBACK FAILED: see stp-upgrade status ' + id}`);
      return code;
    } finally {
      await close();
    }
  },
};

/** One rollback per run at a time: a second invocation waits for the one in flight. */
async function startOrAttach(client: Client, workflowId: string, taskQueue: string, input: RollbackInput): Promise<WorkflowHandle> {
  try {
    return await client.workflow.start(WorkflowTypes.rollback, { taskQueue, workflowId, args: [input] });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return client.workflow.getHandle(workflowId);
    throw err;
  }
}

/** plan.database from the upgrade's start input (the first history event), when readable. */
async function planDatabase(handle: WorkflowHandle): Promise<string | undefined> {
  const plan = await runPlanInput(handle);
  return typeof plan?.database === 'string' ? plan.database : undefined;
}
