"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TemporalSettingsError = exports.temporalSettings = void 0;
exports.cliTemporalSettings = cliTemporalSettings;
exports.cliDataConverter = cliDataConverter;
exports.connectClient = connectClient;
exports.explainConnectFailure = explainConnectFailure;
const client_1 = require("@temporalio/client");
const codec_1 = require("../common/codec");
const names_1 = require("../common/names");
const command_1 = require("./command");
const connect_errors_1 = require("./connect-errors");
const temporal_settings_1 = require("./temporal-settings");
var temporal_settings_2 = require("./temporal-settings");
Object.defineProperty(exports, "temporalSettings", { enumerable: true, get: function () { return temporal_settings_2.temporalSettings; } });
Object.defineProperty(exports, "TemporalSettingsError", { enumerable: true, get: function () { return temporal_settings_2.TemporalSettingsError; } });
/** The settings, or a CliError (exit 2) naming the setting to fix. */
function cliTemporalSettings(env) {
    try {
        return (0, temporal_settings_1.temporalSettings)(env);
    }
    catch (err) {
        if (err instanceof temporal_settings_1.TemporalSettingsError)
            throw new command_1.CliError(err.message, names_1.ExitCodes.badInput);
        throw err;
    }
}
/** The payload codec of STP_CODEC_KEYS / STP_CODEC_KEYS_FILE, or a CliError (exit 2) naming the variable. */
function cliDataConverter(env) {
    try {
        return (0, codec_1.dataConverterFromEnv)(env);
    }
    catch (err) {
        if (err instanceof codec_1.CodecKeyError)
            throw new command_1.CliError(err.message, names_1.ExitCodes.badInput);
        throw err;
    }
}
/**
 * Connects to Temporal (TLS, mTLS, API key, profile: see temporalSettings) with the payload codec
 * when a key is set, or fails with one paragraph that says which setting to fix.
 */
async function connectClient(env) {
    const settings = cliTemporalSettings(env);
    const dataConverter = cliDataConverter(env);
    let connection;
    try {
        connection = await client_1.Connection.connect({ ...settings.connection, connectTimeout: '5s' });
        await checkNamespace(connection, settings).catch(async (err) => {
            await connection.close();
            throw err;
        });
    }
    catch (err) {
        if (err instanceof command_1.CliError)
            throw err;
        throw new command_1.CliError(await explainConnectFailure(err, settings), names_1.ExitCodes.unreachable);
    }
    return {
        client: new client_1.Client({ connection, namespace: settings.namespace, dataConverter }),
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
async function checkNamespace(connection, settings) {
    try {
        await connection.withDeadline(Date.now() + 5000, () => connection.workflowService.describeNamespace({ namespace: settings.namespace }));
    }
    catch (err) {
        if ((0, client_1.isGrpcServiceError)(err) && err.code === GRPC_NOT_FOUND) {
            throw new command_1.CliError(`namespace "${settings.namespace}" does not exist on the Temporal server at ${settings.address}: set TEMPORAL_NAMESPACE ` +
                `to one that does (\`temporal operator namespace list\`), or create it (\`temporal operator namespace create ${settings.namespace}\`).`, names_1.ExitCodes.badInput);
        }
        if ((0, connect_errors_1.classifyConnectFailure)(err) !== 'unreachable')
            throw err;
    }
}
/** The connection paragraph; when the client only says it timed out, a TLS handshake tells why. */
async function explainConnectFailure(err, settings) {
    const kind = (0, connect_errors_1.classifyConnectFailure)(err);
    if (kind !== 'unreachable')
        return (0, connect_errors_1.connectFailureText)(err, settings, kind);
    const probed = await (0, connect_errors_1.probeTls)(settings);
    return probed ? (0, connect_errors_1.connectFailureText)(new Error(probed.detail), settings, probed.kind) : (0, connect_errors_1.connectFailureText)(err, settings, kind);
}
//# sourceMappingURL=connection.js.map