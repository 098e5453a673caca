"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.startCodecServer = startCodecServer;
const node_crypto_1 = __importDefault(require("node:crypto"));
const node_http_1 = __importDefault(require("node:http"));
const MAX_BODY = 16 * 1024 * 1024;
/**
 * The remote codec endpoint of the Temporal Web UI and `temporal --codec-endpoint`: POST /decode
 * and /encode with `{ payloads: [...] }`. CORS answers only the configured origins; the bearer
 * token is compared in constant time. Never logs a payload.
 */
async function startCodecServer(opts) {
    const server = node_http_1.default.createServer((req, res) => {
        handle(opts, req, res).catch((err) => send(res, 400, { message: err.message }));
    });
    const sockets = new Set();
    server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(opts.port, opts.host, resolve);
    });
    const { port } = server.address();
    return {
        url: `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`,
        close: async () => {
            for (const s of sockets)
                s.destroy();
            await new Promise((resolve) => server.close(() => resolve()));
        },
    };
}
async function handle(opts, req, res) {
    const origin = req.headers.origin;
    if (origin && opts.origins.includes(origin)) {
        res.setHeader('Access-Control-Allow-Origin', origin);
        res.setHeader('Access-Control-Allow-Credentials', 'true');
        res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
        res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
        res.setHeader('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS')
        return send(res, 204);
    const route = (req.url ?? '').split('?')[0].replace(/\/+$/, '');
    if (req.method !== 'POST' || (route !== '/decode' && route !== '/encode'))
        return send(res, 404, { message: 'POST /decode or /encode' });
    if (opts.token && !bearerMatches(req.headers.authorization, opts.token))
        return send(res, 401, { message: 'missing or wrong bearer token' });
    const body = JSON.parse(await readBody(req));
    if (!Array.isArray(body.payloads))
        return send(res, 400, { message: 'expected {"payloads": [...]}' });
    const payloads = body.payloads.map(fromJson);
    const out = route === '/decode' ? await opts.codec.decode(payloads) : await opts.codec.encode(payloads);
    send(res, 200, { payloads: out.map(toJson) });
}
function bearerMatches(header, token) {
    const given = Buffer.from(header ?? '');
    const expected = Buffer.from(`Bearer ${token}`);
    return given.length === expected.length && node_crypto_1.default.timingSafeEqual(given, expected);
}
function readBody(req) {
    return new Promise((resolve, reject) => {
        const parts = [];
        let size = 0;
        req.on('data', (c) => {
            size += c.length;
            if (size > MAX_BODY)
                req.destroy(new Error('body too large'));
            else
                parts.push(c);
        });
        req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
        req.on('error', reject);
    });
}
function send(res, status, body) {
    if (res.headersSent) {
        res.end();
        return;
    }
    if (body === undefined) {
        res.writeHead(status).end();
        return;
    }
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}
function fromJson(p) {
    const metadata = {};
    for (const [k, v] of Object.entries(p.metadata ?? {}))
        metadata[k] = Buffer.from(v, 'base64');
    return { metadata, data: Buffer.from(p.data ?? '', 'base64') };
}
function toJson(p) {
    const metadata = {};
    for (const [k, v] of Object.entries(p.metadata ?? {}))
        if (v)
            metadata[k] = Buffer.from(v).toString('base64');
    return { metadata, data: Buffer.from(p.data ?? []).toString('base64') };
}
//# sourceMappingURL=server.js.map