"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.isLoopback = isLoopback;
exports.startAdminServer = startAdminServer;
const node_crypto_1 = __importDefault(require("node:crypto"));
const node_http_1 = __importDefault(require("node:http"));
const node_net_1 = __importDefault(require("node:net"));
const migration_1 = require("./migration");
const MAX_BODY = 64 * 1024;
/** 127.0.0.0/8, ::1 and localhost: the only addresses served without a token. */
function isLoopback(host) {
    if (host === 'localhost')
        return true;
    if (node_net_1.default.isIPv4(host))
        return host.startsWith('127.');
    return host === '::1' || host === '::ffff:127.0.0.1';
}
function authorized(req, token) {
    if (!token)
        return true;
    const got = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const a = node_crypto_1.default.createHash('sha256').update(got).digest();
    const b = node_crypto_1.default.createHash('sha256').update(token).digest();
    return node_crypto_1.default.timingSafeEqual(a, b);
}
async function readJson(req) {
    const chunks = [];
    let size = 0;
    for await (const c of req) {
        size += c.length;
        if (size > MAX_BODY)
            throw Object.assign(new Error(`body larger than ${MAX_BODY} bytes`), { status: 413 });
        chunks.push(c);
    }
    const text = Buffer.concat(chunks).toString('utf8').trim();
    if (!text)
        return {};
    try {
        return JSON.parse(text);
    }
    catch {
        throw Object.assign(new Error('body: expected JSON, e.g. {"checkpoint": "chunks_migration", "batch_size": 500}'), { status: 400 });
    }
}
async function route(opts, req) {
    const url = new URL(req.url ?? '/', 'http://admin');
    const endpoints = { '/admin/migration/status': 'GET', '/admin/migration/resume': 'POST' };
    const method = endpoints[url.pathname];
    if (!method)
        return { status: 404, body: { error: `no endpoint ${url.pathname}; there are GET /admin/migration/status and POST /admin/migration/resume` } };
    if (req.method !== method)
        return { status: 405, body: { error: `${url.pathname} takes ${method}` } };
    if (!authorized(req, opts.token))
        return { status: 401, body: { error: 'missing or wrong bearer token (Authorization: Bearer $STP_SERVE_TOKEN)' } };
    const body = method === 'POST' ? await readJson(req) : undefined;
    const run = await (0, migration_1.pickRun)(opts.client, opts.taskQueue, url.searchParams.get('run'), opts.run);
    if (typeof run !== 'string')
        return run;
    return method === 'GET' ? (0, migration_1.migrationStatus)(opts.client, run) : (0, migration_1.resumeMigration)(opts.client, run, body);
}
/**
 * The recovery endpoints of partial_recovery.sh over HTTP, answered from the saga's own queries
 * and signals (no state of their own). Resolves once listening; `close` stops it.
 */
async function startAdminServer(opts) {
    const server = node_http_1.default.createServer((req, res) => {
        route(opts, req)
            .catch((err) => ({ status: err.status ?? 502, body: { error: err.message } }))
            .then((a) => {
            opts.log?.(`${req.method} ${req.url} ${a.status}`);
            const headers = { 'content-type': 'application/json', 'cache-control': 'no-store' };
            if (a.status === 401)
                headers['www-authenticate'] = 'Bearer';
            res.writeHead(a.status, headers).end(JSON.stringify(a.body) + '\n');
        })
            .catch(() => res.destroy());
    });
    server.requestTimeout = 30_000;
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(opts.port, opts.host, () => resolve());
    });
    const port = server.address().port;
    const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
    return {
        url: `http://${host}:${port}`,
        port,
        close: () => new Promise((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
        }),
    };
}
//# sourceMappingURL=server.js.map