import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadClientConfigProfile, toClientOptions, type ClientConfigProfile, type ConfigDataSource } from '@temporalio/envconfig';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import { DEFAULT_NAMESPACE, DEFAULT_TASK_QUEUE, DEFAULT_TEMPORAL_ADDRESS } from '../common/names';

/** Connection options accepted by both the client's `Connection` and the worker's `NativeConnection`. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
  metadata?: Record<string, string>;
}

export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  connection: TemporalConnectionOptions;
  /** "TLS", "mTLS", "plaintext", plus "API key": for messages, never a secret value. */
  security: string;
  /** Where the settings came from: "environment" or "profile "NAME" of FILE (and environment)". */
  source: string;
}

/**
 * A setting that cannot be used (a profile that does not exist, an unreadable certificate file, a
 * client certificate without its key). Thrown before anything connects; the message names the
 * setting to fix.
 */
export class TemporalSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemporalSettingsError';
  }
}

/** The environment variable and the TOML key of each TLS file setting, for error messages. */
const TLS_FILES = {
  serverCACert: { env: 'TEMPORAL_TLS_SERVER_CA_CERT', toml: 'tls.server_ca_cert' },
  clientCert: { env: 'TEMPORAL_TLS_CLIENT_CERT', toml: 'tls.client_cert' },
  clientKey: { env: 'TEMPORAL_TLS_CLIENT_KEY', toml: 'tls.client_key' },
} as const;

/**
 * The standard Temporal client configuration, as the `temporal` CLI reads it (through
 * @temporalio/envconfig): the TOML profile file (TEMPORAL_CONFIG_FILE, default
 * ~/.config/temporalio/temporal.toml; profile TEMPORAL_PROFILE, default "default"), overridden by
 * TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS, TEMPORAL_TLS_* and
 * TEMPORAL_GRPC_META_*; plus our STP_TASK_QUEUE. Certificate files are read here, so a missing
 * file is reported by its setting before any connection is tried.
 */
export function temporalSettings(env: NodeJS.ProcessEnv): TemporalSettings {
  const vars = definedOnly(env);
  const file = vars.TEMPORAL_CONFIG_FILE;
  if (file && !fs.existsSync(file)) {
    throw new TemporalSettingsError(`TEMPORAL_CONFIG_FILE=${file} does not exist: point it at your temporal.toml, or unset it to use the TEMPORAL_* variables alone.`);
  }
  const fileShown = file ?? path.join(vars.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'temporalio', 'temporal.toml');
  let profile: ClientConfigProfile;
  try {
    profile = loadClientConfigProfile({ overrideEnvVars: vars });
  } catch (err) {
    const message = (err as Error).message;
    if (/Profile '.*' not found/.test(message)) {
      throw new TemporalSettingsError(
        `TEMPORAL_PROFILE=${vars.TEMPORAL_PROFILE}: no such profile in ${fileShown}. Set TEMPORAL_PROFILE to a profile of that file ` +
          '(`temporal config list`), or set TEMPORAL_CONFIG_FILE to the file that has it.',
      );
    }
    throw new TemporalSettingsError(`cannot read the Temporal client configuration ${fileShown} (${message}): fix the file or set TEMPORAL_CONFIG_FILE to another one.`);
  }
  const tls = profile.tls;
  if (tls && tls.disabled !== true) {
    for (const key of Object.keys(TLS_FILES) as (keyof typeof TLS_FILES)[]) checkReadable(tls[key], key);
    if (!!tls.clientCert !== !!tls.clientKey) {
      const [given, missing] = tls.clientCert ? ['clientCert', 'clientKey'] : ['clientKey', 'clientCert'];
      const g = TLS_FILES[given as keyof typeof TLS_FILES];
      const m = TLS_FILES[missing as keyof typeof TLS_FILES];
      throw new TemporalSettingsError(
        `${g.env}_PATH (or ${g.toml}_path) is set but ${m.env}_PATH (or ${m.toml}_path) is not: mTLS needs both the client certificate and its private key. Set the missing one.`,
      );
    }
  }
  const options = toClientOptions(profile);
  const tlsOption = options.connectionOptions.tls ?? undefined;
  const address = options.connectionOptions.address || DEFAULT_TEMPORAL_ADDRESS;
  const mtls = typeof tlsOption === 'object' && !!tlsOption.clientCertPair;
  const security = [mtls ? 'mTLS' : tlsOption ? 'TLS' : 'plaintext', ...(options.connectionOptions.apiKey ? ['API key'] : [])].join(' + ');
  const fromFile = fs.existsSync(fileShown);
  return {
    address,
    namespace: options.namespace || DEFAULT_NAMESPACE,
    taskQueue: vars.STP_TASK_QUEUE || DEFAULT_TASK_QUEUE,
    connection: {
      address,
      ...(tlsOption !== undefined ? { tls: tlsOption } : {}),
      ...(options.connectionOptions.apiKey ? { apiKey: options.connectionOptions.apiKey } : {}),
      ...(profile.grpcMeta ? { metadata: profile.grpcMeta } : {}),
    },
    security,
    source: fromFile ? `profile "${vars.TEMPORAL_PROFILE ?? 'default'}" of ${fileShown} and the environment` : 'the environment',
  };
}

function checkReadable(source: ConfigDataSource | undefined, key: keyof typeof TLS_FILES): void {
  if (!source || !('path' in source)) return;
  try {
    fs.accessSync(source.path, fs.constants.R_OK);
  } catch (err) {
    const s = TLS_FILES[key];
    throw new TemporalSettingsError(`${s.env}_PATH (or ${s.toml}_path) is ${source.path}, which cannot be read (${(err as NodeJS.ErrnoException).code}): point it at the PEM file.`);
  }
}

/** envconfig takes Record<string, string>: leave out variables set to undefined. */
function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}
