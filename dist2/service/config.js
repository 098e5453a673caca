"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.ConfigError = exports.DEFAULT_TABLES = void 0;
exports.q = q;
exports.readConfig = readConfig;
const node_crypto_1 = require("node:crypto");
const node_fs_1 = __importDefault(require("node:fs"));
const app_config_file_1 = require("../common/app-config-file");
exports.DEFAULT_TABLES = {
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
class ConfigError extends Error {
    constructor(message) {
        super(message);
        this.name = 'ConfigError';
    }
}
exports.ConfigError = ConfigError;
const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;
/** Quotes a table name that was validated when the config was read. */
function q(name) {
    if (!IDENT.test(name))
        throw new ConfigError(`invalid table name ${JSON.stringify(name)}`);
    return `"${name}"`;
}
function num(env, key, fallback) {
    const raw = env[key];
    if (raw === undefined || raw === '')
        return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0)
        throw new ConfigError(`${key}: expected a non-negative number, got ${JSON.stringify(raw)}`);
    return n;
}
/** The config.yaml named by STP_CONFIG_FILE, refused with every problem (the runbook's --config-check). */
function readAppConfig(file) {
    if (!file)
        return undefined;
    const r = (0, app_config_file_1.checkAppConfigFile)(file);
    if (!r.ok)
        throw new ConfigError(`STP_CONFIG_FILE ${r.file}:\n  ${r.errors.join('\n  ')}`);
    const sha256 = (0, node_crypto_1.createHash)('sha256').update(node_fs_1.default.readFileSync(r.file)).digest('hex');
    return { file: r.file, sha256, config: r.config };
}
function readConfig(env = process.env) {
    const version = env.STP_SERVICE_VERSION ?? '1';
    if (version !== '1' && version !== '2') {
        throw new ConfigError(`STP_SERVICE_VERSION: expected 1 or 2, got ${JSON.stringify(version)}`);
    }
    if (!env.DATABASE_URL)
        throw new ConfigError('DATABASE_URL: required (postgres://user@host:port/db)');
    const tables = { ...exports.DEFAULT_TABLES };
    for (const key of Object.keys(tables)) {
        const override = env[`STP_TABLE_${key.toUpperCase()}`];
        if (override)
            tables[key] = override;
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
//# sourceMappingURL=config.js.map