import { Client, Connection, isGrpcServiceError } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { CodecKeyError, dataConverterFromEnv } from '../common/codec';
import { ExitCodes } from '../common/names';
import { CliError } from './command';
import { classifyConnectFailure, connectFailureText, probeTls } from './connect-errors';
import { temporalSettings, TemporalSettingsError, type TemporalSettings } from './temporal-settings';

export { temporalSettings, TemporalSettingsError, type TemporalSettings } from './temporal-settings';

/** The settings, or a CliError (exit 2) naming the setting to fix. */
export function cliTemporalSettings(env: NodeJS.ProcessEnv): TemporalSettings {
  try {
    return temporalSettings(env);
  } catch (err) {
    if (err instanceof TemporalSettingsError) throw new CliError(err.message, ExitCodes.badInput);
    throw err;
  }
}

/** The payload codec of STP_CODEC_KEYS / STP_CODEC_KEYS_FILE, or a CliError (exit 2) naming the variable. */
export function cliDataConverter(env: NodeJS.ProcessEnv): DataConverter {
  try {
    return dataConverterFromEnv(env);
  } catch (err) {
    if (err instanceof CodecKeyError) throw new CliError(err.message, ExitCodes.badInput);
    throw err;
  }
}

/**
 * Connects to Temporal (TLS, mTLS, API key, profile: see temporalSettings) with the payload codec
 * when a key is set, or fails with one paragraph that says which setting to fix.
 */
export async function connectClient(env: NodeJS.ProcessEnv): Promise<{ client: Client; settings: TemporalSettings; close: () => Promise<void> }> {
  const settings = cliTemporalSettings(env);
  const dataConverter = cliDataConverter(env);
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...settings.connection, connectTimeout: '5s' });
    await checkNamespace(connection, settings).catch(async (err: unknown) => {
      await connection.close();
      throw err;
    });
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(await explainConnectFailure(err, settings), ExitCodes.unreachable);
  }
  return {
    client: new Client({ connection, namespace: settings.namespace, dataConverter }),
    settings,
    close: () => connection.close(),
  };
}

const GRPC_NOT_FOUND = 5;

/**
 * A namespace that does not exist fails every later call with a stack trace; say it once, plainly.
 * A TLS or authentication failure shows here too (the first call), and is rethrown for the
 * connection paragraph. Other errors (a server that does not allow DescribeNamespace to this
 * caller) are left to the call that follows.
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
    if (classifyConnectFailure(err) !== 'unreachable') throw err;
  }
}

/** The connection paragraph; when the client only says it timed out, a TLS handshake tells why. */
export async function explainConnectFailure(err: unknown, settings: TemporalSettings): Promise<string> {
  const kind = classifyConnectFailure(err);
  if (kind !== 'unreachable') return connectFailureText(err, settings, kind);
  const probed = await probeTls(settings);
  return probed ? connectFailureText(new Error(probed.detail), settings, probed.kind) : connectFailureText(err, settings, kind);
}
