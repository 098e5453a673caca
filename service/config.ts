import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { checkAppConfigFile } from '../common/app-config-file';

/** Environment of the reference STP service, read once at start. */
export interface ServiceConfig {
  port: number;
  /** Listen address; 127.0.0.1 unless STP_LISTEN_HOST says otherwise (0.0.0.0 in a container). */
  host: string;
  version: '1' | '2';
  instance: string;
  databaseUrl: string;
  slowMs: number;
  errorRate: number;
  embeddingModel: string;
  cacheSize: number;
  shutdownGraceMs: number;
  tables: Tables;
  /** STP_CONFIG_FILE: the application's config.yaml (common/app-config.ts), checked at start. */
  appConfig?: { file: string; sha256: string; unifiedHandlers: boolean };
}

/** Table names; the defaults are the migration contract's, each overridable by STP_TABLE_<KEY>. */
export interface Tables {
  texts: string;
  chunks_legacy: string;
  templates_legacy: string;
  template_slots_legacy: string;
  template_slot_instances_legacy: string;
  chunk_tags_legacy: string;
  embeddings_legacy: string;
  chunks_unified: string;
  embeddings_v2: string;
}

export const DEFAULT_TABLES: Tables = {
  texts: 'texts',
  chunks_legacy: 'chunks_legacy',
  templates_legacy: 'templates_legacy',
  template_slots_legacy: 'template_slots_legacy',
  template_slot_instances_legacy: 'template_slot_instances_legacy',
  chunk_tags_legacy: 'chunk_tags_legacy',
  embeddings_legacy: 'embeddings_legacy',
  chunks_unified: 'chunks_unified',
  embeddings_v2: 'embeddings_v2',
};

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

/** Quotes a table name that was validated when the config was read. */
export function q(name: string): string {
  if (!IDENT.test(name)) throw new ConfigError(`invalid table name ${JSON.stringify(name)}`);
  return `"${name}"`;
}

function num(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new ConfigError(`${key}: expected a non-negative number, got ${JSON.stringify(raw)}`);
  return n;
}

/** The config.yaml named by STP_CONFIG_FILE, refused with every problem (the runbook's --config-check). */
function readAppConfig(file: string | undefined) {
  if (!file) return undefined;
  const r = checkAppConfigFile(file);
  if (!r.ok) throw new ConfigError(`STP_CONFIG_FILE ${r.file}:\n  ${r.errors.join('\n  ')}`);
  const sha256 = createHash('sha256').update(fs.readFileSync(r.file)).digest('hex');
  return { file: r.file, sha256, config: r.config };
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const version = env.STP_SERVICE_VERSION ?? '1';
  if (version !== '1' && version !== '2') {
    throw new ConfigError(`STP_SERVICE_VERSION: expected 1 or 2, got ${JSON.stringify(version)}`);
  }
  if (!env.DATABASE_URL) throw new ConfigError('DATABASE_URL: required (postgres://user@host:port/db)');
  const tables = { ...DEFAULT_TABLES };
  for (const key of Object.keys(tables) as (keyof Tables)[]) {
    const override = env[`STP_TABLE_${key.toUpperCase()}`];
    if (override) tables[key] = override;
    q(tables[key]);
  }
  const app = readAppConfig(env.STP_CONFIG_FILE);
  // the file's cache size unless STP_CACHE_SIZE overrides it; a disabled cache holds nothing
  const fileCache = app ? (app.config.cache.enabled ? app.config.cache.max_size : 0) : 1000;
  return {
    port: num(env, 'PORT', 8080),
    host: env.STP_LISTEN_HOST || '127.0.0.1',
    version,
    instance: env.STP_INSTANCE || 'default',
    databaseUrl: env.DATABASE_URL,
    slowMs: num(env, 'STP_SLOW_MS', 0),
    errorRate: num(env, 'STP_ERROR_RATE', 0),
    embeddingModel: env.STP_EMBEDDING_MODEL || 'stp-hashing-embedder-v1',
    cacheSize: num(env, 'STP_CACHE_SIZE', fileCache),
    shutdownGraceMs: num(env, 'STP_SHUTDOWN_GRACE_MS', 10_000),
    tables,
    ...(app ? { appConfig: { file: app.file, sha256: app.sha256, unifiedHandlers: app.config.features.use_unified_handlers } } : {}),
  };
}
