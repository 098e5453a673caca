"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.TemporalSettingsError = void 0;
exports.temporalSettings = temporalSettings;
const node_fs_1 = __importDefault(require("node:fs"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const envconfig_1 = require("@temporalio/envconfig");
const names_1 = require("../common/names");
/**
 * A setting that cannot be used (a profile that does not exist, an unreadable certificate file, a
 * client certificate without its key). Thrown before anything connects; the message names the
 * setting to fix.
 */
class TemporalSettingsError extends Error {
    constructor(message) {
        super(message);
        this.name = 'TemporalSettingsError';
    }
}
exports.TemporalSettingsError = TemporalSettingsError;
/** The environment variable and the TOML key of each TLS file setting, for error messages. */
const TLS_FILES = {
    serverCACert: { env: 'TEMPORAL_TLS_SERVER_CA_CERT', toml: 'tls.server_ca_cert' },
    clientCert: { env: 'TEMPORAL_TLS_CLIENT_CERT', toml: 'tls.client_cert' },
    clientKey: { env: 'TEMPORAL_TLS_CLIENT_KEY', toml: 'tls.client_key' },
};
/**
 * The standard Temporal client configuration, as the `temporal` CLI reads it (through
 * @temporalio/envconfig): the TOML profile file (TEMPORAL_CONFIG_FILE, default
 * ~/.config/temporalio/temporal.toml; profile TEMPORAL_PROFILE, default "default"), overridden by
 * TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS, TEMPORAL_TLS_* and
 * TEMPORAL_GRPC_META_*; plus our STP_TASK_QUEUE. Certificate files are read here, so a missing
 * file is reported by its setting before any connection is tried.
 */
function temporalSettings(env) {
    const vars = definedOnly(env);
    const file = vars.TEMPORAL_CONFIG_FILE;
    if (file && !node_fs_1.default.existsSync(file)) {
        throw new TemporalSettingsError(`TEMPORAL_CONFIG_FILE=${file} does not exist: point it at your temporal.toml, or unset it to use the TEMPORAL_* variables alone.`);
    }
    const fileShown = file ?? node_path_1.default.join(vars.XDG_CONFIG_HOME ?? node_path_1.default.join(node_os_1.default.homedir(), '.config'), 'temporalio', 'temporal.toml');
    let profile;
    try {
        profile = (0, envconfig_1.loadClientConfigProfile)({ overrideEnvVars: vars });
    }
    catch (err) {
        const message = err.message;
        if (/Profile '.*' not found/.test(message)) {
            throw new TemporalSettingsError(`TEMPORAL_PROFILE=${vars.TEMPORAL_PROFILE}: no such profile in ${fileShown}. Set TEMPORAL_PROFILE to a profile of that file ` +
                '(`temporal config list`), or set TEMPORAL_CONFIG_FILE to the file that has it.');
        }
        throw new TemporalSettingsError(`cannot read the Temporal client configuration ${fileShown} (${message}): fix the file or set TEMPORAL_CONFIG_FILE to another one.`);
    }
    const tls = profile.tls;
    if (tls && tls.disabled !== true) {
        for (const key of Object.keys(TLS_FILES))
            checkReadable(tls[key], key);
        if (!!tls.clientCert !== !!tls.clientKey) {
            const [given, missing] = tls.clientCert ? ['clientCert', 'clientKey'] : ['clientKey', 'clientCert'];
            const g = TLS_FILES[given];
            const m = TLS_FILES[missing];
            throw new TemporalSettingsError(`${g.env}_PATH (or ${g.toml}_path) is set but ${m.env}_PATH (or ${m.toml}_path) is not: mTLS needs both the client certificate and its private key. Set the missing one.`);
        }
    }
    const options = (0, envconfig_1.toClientOptions)(profile);
    const tlsOption = options.connectionOptions.tls ?? undefined;
    const address = options.connectionOptions.address || names_1.DEFAULT_TEMPORAL_ADDRESS;
    const mtls = typeof tlsOption === 'object' && !!tlsOption.clientCertPair;
    const security = [mtls ? 'mTLS' : tlsOption ? 'TLS' : 'plaintext', ...(options.connectionOptions.apiKey ? ['API key'] : [])].join(' + ');
    const fromFile = node_fs_1.default.existsSync(fileShown);
    return {
        address,
        namespace: options.namespace || names_1.DEFAULT_NAMESPACE,
        taskQueue: vars.STP_TASK_QUEUE || names_1.DEFAULT_TASK_QUEUE,
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
function checkReadable(source, key) {
    if (!source || !('path' in source))
        return;
    try {
        node_fs_1.default.accessSync(source.path, node_fs_1.default.constants.R_OK);
    }
    catch (err) {
        const s = TLS_FILES[key];
        throw new TemporalSettingsError(`${s.env}_PATH (or ${s.toml}_path) is ${source.path}, which cannot be read (${err.code}): point it at the PEM file.`);
    }
}
/** envconfig takes Record<string, string>: leave out variables set to undefined. */
function definedOnly(env) {
    const out = {};
    for (const [k, v] of Object.entries(env))
        if (v !== undefined)
            out[k] = v;
    return out;
}
//# sourceMappingURL=temporal-settings.js.map