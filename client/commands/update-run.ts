import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ExitCodes } from '../../common/names';
import { CliError, type CliContext } from '../command';
import { connectClient } from '../connection';
import { existingRun } from '../upgrade-outcome';

/**
 * Sends one update to a running upgrade and returns its answer. The saga refuses an update that
 * does not fit its phase (approve outside the approval gate, promote outside monitoring): exit 2
 * with its reason. Exit 2 as well when the id is unknown or the run has ended.
 */
export async function updateRun<R>(ctx: CliContext, id: string | undefined, usage: string, update: string, arg: unknown): Promise<R> {
  if (!id) throw new CliError(`expected one run id. Usage: ${usage}`);
  const { client, close } = await connectClient(ctx.env);
  try {
    const { handle, status } = await existingRun(client, id);
    if (status !== 'RUNNING') {
      throw new CliError(`the run "${id}" has already ended (${status.toLowerCase()}): see \`stp-upgrade status ${id}\``, ExitCodes.badInput);
    }
    return await handle.executeUpdate<R, [unknown]>(update, { args: [arg] }).catch((err: unknown) => {
      if (err instanceof WorkflowUpdateFailedError) {
        const why = err.cause instanceof Error ? err.cause.message : err.message;
        throw new CliError(`${why}. See \`stp-upgrade status ${id}\``, ExitCodes.badInput);
      }
      throw err;
    });
  } finally {
    await close();
  }
}
