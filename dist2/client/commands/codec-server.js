"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.codecServerCommand = void 0;
const codec_1 = require("../../common/codec");
const server_1 = require("../../common/codec/server");
const names_1 = require("../../common/names");
const command_1 = require("../command");
const TOKEN_VARIABLE = 'STP_CODEC_SERVER_TOKEN';
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
exports.codecServerCommand = {
    name: 'codec-server',
    summary: 'serve /decode and /encode for the Temporal Web UI, so an encrypted run stays readable',
    usage: 'stp-upgrade codec-server [--host 127.0.0.1] [--port 8888] [--origin http://localhost:8233]',
    help: [
        `Decrypts with the keys of ${codec_1.KEYS_VARIABLE} (or STP_CODEC_KEYS_FILE). --origin (repeatable) is the Web UI's`,
        'address as the browser sees it, allowed by CORS; in the UI, enter http://127.0.0.1:PORT as the codec server.',
        `With ${TOKEN_VARIABLE} set, every call must carry Authorization: Bearer TOKEN (the temporal CLI:`,
        '--codec-auth "Bearer TOKEN"); without it the server listens on loopback only.',
        'Example: STP_CODEC_KEYS=k1:... stp-upgrade codec-server --port 8888 --origin https://temporal.internal',
    ].join('\n'),
    options: { host: { type: 'string' }, port: { type: 'string' }, origin: { type: 'string', multiple: true } },
    async run(args, ctx) {
        const codec = loadCodec(ctx.env);
        if (!codec)
            throw new command_1.CliError(`no key: set ${codec_1.KEYS_VARIABLE}=KEY_ID:BASE64_KEY (the worker's keys) or STP_CODEC_KEYS_FILE.`);
        const host = (0, command_1.stringOpt)(args, 'host') ?? '127.0.0.1';
        const portText = (0, command_1.stringOpt)(args, 'port') ?? '8888';
        const port = Number(portText);
        if (!/^\d+$/.test(portText) || port > 65535)
            throw new command_1.CliError(`--port: expected a port number (0-65535), got "${portText}"`);
        const token = ctx.env[TOKEN_VARIABLE] || undefined;
        if (!token && !LOOPBACK.has(host))
            throw new command_1.CliError(`--host ${host} without ${TOKEN_VARIABLE}: set a bearer token to listen beyond loopback.`);
        const originValues = args.values.origin;
        const origins = Array.isArray(originValues) ? originValues.map(String) : ['http://localhost:8233', 'http://127.0.0.1:8233'];
        const server = await (0, server_1.startCodecServer)({ codec, host, port, origins, token });
        ctx.out(`stp-upgrade codec-server: ${server.url} (origins ${origins.join(', ')}; ${token ? 'bearer token required' : 'no token, loopback only'})`);
        await new Promise((resolve) => {
            process.once('SIGINT', resolve);
            process.once('SIGTERM', resolve);
        });
        await server.close();
        return names_1.ExitCodes.ok;
    },
};
function loadCodec(env) {
    try {
        return (0, codec_1.codecFromEnv)(env);
    }
    catch (err) {
        if (err instanceof codec_1.CodecKeyError)
            throw new command_1.CliError(err.message);
        throw err;
    }
}
//# sourceMappingURL=codec-server.js.map