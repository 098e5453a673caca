"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.createServer = createServer;
const node_http_1 = __importDefault(require("node:http"));
const node_perf_hooks_1 = require("node:perf_hooks");
const zod_1 = require("zod");
const http_1 = require("./http");
const routes_1 = require("./routes");
const PREFIX = '/api/v1';
/** Endpoints that the degradation flags leave alone, so that an operator can always undo them. */
const EXEMPT = new Set(['/admin/degrade', '/metrics', '/cache/stats']);
function toReply(err) {
    if (err instanceof http_1.HttpError)
        return { status: err.status, body: { error: err.message } };
    if (err instanceof zod_1.ZodError) {
        return { status: 400, body: { error: err.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') } };
    }
    const e = err;
    return { status: 500, body: { error: e.message ?? String(err), code: e.code } };
}
async function dispatch(app, req, url) {
    const path = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : null;
    if (path === null)
        return { status: 404, body: { error: `no route ${url.pathname} (the API lives under ${PREFIX})` } };
    const degraded = !EXEMPT.has(path);
    if (degraded && app.degrade.slowMs > 0)
        await (0, http_1.sleep)(app.degrade.slowMs);
    if (degraded && app.degrade.errorRate > 0 && Math.random() < app.degrade.errorRate) {
        return { status: 500, body: { error: 'injected failure (POST /api/v1/admin/degrade to change)' } };
    }
    let pathMatched = false;
    for (const [method, re, handler] of routes_1.ROUTES) {
        const m = re.exec(path);
        if (!m)
            continue;
        pathMatched = true;
        if (method !== req.method)
            continue;
        return handler(app, { url, params: m.slice(1).map(decodeURIComponent), body: () => (0, http_1.readJson)(req) });
    }
    return pathMatched
        ? { status: 405, body: { error: `${req.method} not allowed on ${url.pathname}` } }
        : { status: 404, body: { error: `no route ${req.method} ${url.pathname}` } };
}
/**
 * The HTTP server. Every response names the version and instance that served it; the traffic
 * switch proves a cut-over by these headers. `isClosing` makes responses close their connection
 * during a graceful shutdown so that no keep-alive connection outlives the drain.
 */
function createServer(app, isClosing) {
    return node_http_1.default.createServer((req, res) => {
        const started = node_perf_hooks_1.performance.now();
        const url = new URL(req.url ?? '/', 'http://localhost');
        res.setHeader('X-STP-Version', app.config.version);
        res.setHeader('X-STP-Instance', app.config.instance);
        if (isClosing())
            res.setHeader('connection', 'close');
        if (url.pathname !== `${PREFIX}/metrics`) {
            res.on('finish', () => app.metrics.record(node_perf_hooks_1.performance.now() - started, res.statusCode));
        }
        dispatch(app, req, url)
            .catch(toReply)
            .then((reply) => {
            if (isClosing())
                res.setHeader('connection', 'close');
            (0, http_1.sendJson)(res, reply.status, reply.body);
        })
            .catch(() => res.destroy());
    });
}
//# sourceMappingURL=server.js.map