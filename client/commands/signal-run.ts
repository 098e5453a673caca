import { ExitCodes } from '../../common/names';
import { CliError, type CliContext } from '../command';
import { connectClient } from '../connection';
import { existingRun } from '../upgrade-outcome';

/** Sends one signal to a running upgrade; exit 2 when the id is unknown or the run has ended. */
export async function signalRun(ctx: CliContext, id: string | undefined, usage: string, signal: string, arg?: unknown): Promise<void> {
  if (!id) throw new CliError(`expected one run id. Usage: ${usage}`);
  const { client, close } = await connectClient(ctx.env);
  try {
    const { handle, status } = await existingRun(client, id);
    if (status !== 'RUNNING') {
      throw new CliError(`the run "${id}" has already ended (${status.toLowerCase()}): see \`stp-upgrade status ${id}\``, ExitCodes.badInput);
    }
    await (arg === undefined ? handle.signal(signal) : handle.signal(signal, arg));
  } finally {
    await close();
  }
}
