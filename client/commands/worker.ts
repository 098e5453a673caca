import { ExitCodes } from '../../common/names';
import { CliError, type Command } from '../command';

export const workerCommand: Command = {
  name: 'worker',
  summary: 'run a worker (workflows and activities) until SIGINT/SIGTERM',
  usage: 'stp-upgrade worker',
  help: 'Reads TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_PROFILE, STP_TASK_QUEUE, STP_DATABASE_URL and STP_DATABASE_URL_<NAME>,\nSTP_CODEC_KEYS, STP_LOG_LEVEL and STP_METRICS_ADDRESS (README: Running against Temporal Cloud or your own cluster).\nExample: STP_DATABASE_URL=postgres://stp@db:5432/stp stp-upgrade worker',
  options: {},
  async run(_args, ctx) {
    const { runWorker, WorkerStartError } = await import('../../workers/main');
    await runWorker(ctx.env).catch((err: unknown) => {
      throw err instanceof WorkerStartError ? new CliError(err.message, err.badInput ? ExitCodes.badInput : ExitCodes.failed) : err;
    });
    return ExitCodes.ok;
  },
};
