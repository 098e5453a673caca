import { Client, Connection, isGrpcServiceError } from '@temporalio/client';
import { DEFAULT_NAMESPACE, DEFAULT_TASK_QUEUE, DEFAULT_TEMPORAL_ADDRESS, ExitCodes } from '../common/names';
import { CliError } from './command';

export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
}

/** TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and STP_TASK_QUEUE, with the defaults of the README. */
export function temporalSettings(env: NodeJS.ProcessEnv): TemporalSettings {
  return {
    address: env.TEMPORAL_ADDRESS || DEFAULT_TEMPORAL_ADDRESS,
    namespace: env.TEMPORAL_NAMESPACE || DEFAULT_NAMESPACE,
    taskQueue: env.STP_TASK_QUEUE || DEFAULT_TASK_QUEUE,
  };
}

/** Connects to Temporal or fails with one paragraph that says what to do. */
export async function connectClient(env: NodeJS.ProcessEnv): Promise<{ client: Client; settings: TemporalSettings; close: () => Promise<void> }> {
  const settings = temporalSettings(env);
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: settings.address, connectTimeout: '5s' });
  } catch (err) {
    throw new CliError(
      `cannot reach the Temporal server at ${settings.address} (${(err as Error).message}). ` +
        `Start it with \`npm run dev:up\`, or set TEMPORAL_ADDRESS to your server's host:port ` +
        `(and TEMPORAL_NAMESPACE if it is not "default").`,
      ExitCodes.unreachable,
    );
  }
  await checkNamespace(connection, settings).catch(async (err: unknown) => {
    await connection.close();
    throw err;
  });
  return {
    client: new Client({ connection, namespace: settings.namespace }),
    settings,
    close: () => connection.close(),
  };
}

const GRPC_NOT_FOUND = 5;

/**
 * A namespace that does not exist fails every later call with a stack trace; say it once, plainly.
 * Other errors (a server that does not allow DescribeNamespace to this caller) are left to the
 * call that follows.
 */
async function checkNamespace(connection: Connection, settings: TemporalSettings): Promise<void> {
  try {
    await connection.withDeadline(Date.now() + 5000, () => connection.workflowService.describeNamespace({ namespace: settings.namespace }));
  } catch (err) {
    if (isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND) {
      throw new CliError(
        `namespace "${settings.namespace}" does not exist on the Temporal server at ${settings.address}: set TEMPORAL_NAMESPACE ` +
          `to one that does (\`temporal operator namespace list\`), or create it (\`temporal operator namespace create ${settings.namespace}\`).`,
        ExitCodes.badInput,
      );
    }
  }
}
