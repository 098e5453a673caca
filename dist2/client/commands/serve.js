"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.serveCommand = exports.DEFAULT_SERVE_PORT = void 0;
const names_1 = require("../../common/names");
const command_1 = require("../command");
const connection_1 = require("../connection");
const server_1 = require("../serve/server");
exports.DEFAULT_SERVE_PORT = 8089;
exports.serveCommand = {
    name: 'serve',
    summary: 'serve the recovery endpoints over HTTP (GET /admin/migration/status, POST /admin/migration/resume)',
    usage: 'stp-upgrade serve [--host 127.0.0.1] [--port 8089] [--run ID]',
    help: [
        'For tooling that speaks HTTP (the runbook\'s partial_recovery.sh). Answers from the run itself',
        '(its progress query, its throttle and resume signals): nothing is stored here.',
        '  GET  /admin/migration/status[?run=ID]  -> {status, incomplete_chunks, phase, step, progress, ...}',
        '  POST /admin/migration/resume[?run=ID]  {"checkpoint": "chunks_migration", "batch_size": 500}',
        'The run is ?run=ID, else --run ID, else the one upgrade open on STP_TASK_QUEUE.',
        'STP_SERVE_TOKEN: when set, every request needs `Authorization: Bearer <token>`. Loopback by',
        'default; a non-loopback --host is refused without STP_SERVE_TOKEN. Runs until SIGINT/SIGTERM.',
        'Exit 2 on bad options or a missing token.',
        'Example: STP_SERVE_TOKEN=$(openssl rand -hex 24) stp-upgrade serve --host 0.0.0.0 --port 8089',
    ].join('\n'),
    options: { host: { type: 'string' }, port: { type: 'string' }, run: { type: 'string' } },
    async run(args, ctx) {
        if (args.positionals.length > 0)
            throw new command_1.CliError(`unexpected argument "${args.positionals[0]}". Usage: ${this.usage}`);
        const host = (0, command_1.stringOpt)(args, 'host') ?? '127.0.0.1';
        const portText = (0, command_1.stringOpt)(args, 'port') ?? String(exports.DEFAULT_SERVE_PORT);
        const port = Number(portText);
        if (!/^\d+$/.test(portText) || port > 65535)
            throw new command_1.CliError(`--port: expected a TCP port (0-65535), got "${portText}"`);
        const token = ctx.env.STP_SERVE_TOKEN || undefined;
        if (!token && !(0, server_1.isLoopback)(host)) {
            throw new command_1.CliError(`--host ${host} is not a loopback address: set STP_SERVE_TOKEN (a long random string) so only holders of it can resume runs`);
        }
        const { client, settings, close } = await (0, connection_1.connectClient)(ctx.env);
        try {
            const server = await (0, server_1.startAdminServer)({ client, taskQueue: settings.taskQueue, host, port, token, run: (0, command_1.stringOpt)(args, 'run'), log: (l) => ctx.err(l) }).catch((err) => {
                throw new command_1.CliError(`cannot listen on ${host}:${port}: ${err.message}`);
            });
            ctx.out(`stp-upgrade serve: ${server.url}/admin/migration/status (${token ? 'bearer token required' : 'no token: loopback only'})`);
            await new Promise((resolve) => {
                process.once('SIGINT', resolve);
                process.once('SIGTERM', resolve);
            });
            await server.close();
            return names_1.ExitCodes.ok;
        }
        finally {
            await close();
        }
    },
};
//# sourceMappingURL=serve.js.map