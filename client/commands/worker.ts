import { ExitCodes } from '../../common/names';
import type { Command } from '../command';

export const workerCommand: Command = {
  name: 'worker',
  summary: 'run a worker (workflows and activities) until SIGINT/SIGTERM',
  usage: 'stp-upgrade worker',
  help: 'Reads TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, STP_TASK_QUEUE, STP_DATABASE_URL and STP_DATABASE_URL_<NAME>.\nExample: STP_DATABASE_URL=postgres://stp@db:5432/stp stp-upgrade worker',
  options: {},
  async run(_args, ctx) {
    const { runWorker } = await import('../../workers/main');
    await runWorker(ctx.env);
    return ExitCodes.ok;
  },
};
