"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.request = request;
exports.startLoad = startLoad;
exports.describeLoad = describeLoad;
const node_http_1 = __importDefault(require("node:http"));
/** One request on its own connection (no keep-alive: nothing stays open when nginx goes down). */
function request(base, method, path, body, timeoutMs = 10_000) {
    return new Promise((resolve, reject) => {
        const data = body === undefined ? undefined : JSON.stringify(body);
        const headers = { connection: 'close', ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}) };
        const req = node_http_1.default.request(`${base}${path}`, { method, agent: false, timeout: timeoutMs, headers }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (d) => (text += d));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, version: String(res.headers['x-stp-version']), instance: String(res.headers['x-stp-instance']), body: text }));
        });
        req.on('timeout', () => req.destroy(new Error(`no answer to ${method} ${path} within ${timeoutMs} ms`)));
        req.on('error', reject);
        req.end(data);
    });
}
/**
 * A small bounded load through the load balancer while traffic moves: `concurrency` loops of
 * health checks and semantic searches until stop(), maxMs or maxRequests. A failure is a network
 * error or any status but 200.
 */
function startLoad(base, opts) {
    const report = { ok: 0, failed: 0, failures: [], servedBy: {} };
    const until = Date.now() + opts.maxMs;
    let stopped = false;
    const fail = (why) => {
        report.failed++;
        if (report.failures.length < 5)
            report.failures.push(why);
    };
    const loop = async (n) => {
        for (let i = 0; !stopped && Date.now() < until && report.ok + report.failed < opts.maxRequests; i++) {
            const search = (i + n) % 2 === 0;
            try {
                const r = search
                    ? await request(base, 'POST', '/api/v1/search/semantic', { query: `topic ${i % 5}`, limit: 3 })
                    : await request(base, 'GET', '/api/v1/health');
                const who = `${r.instance} v${r.version}`;
                report.servedBy[who] = (report.servedBy[who] ?? 0) + 1;
                if (r.status === 200)
                    report.ok++;
                else
                    fail(`${search ? 'search' : 'health'}: HTTP ${r.status} from ${who}: ${r.body.slice(0, 160)}`);
            }
            catch (err) {
                fail(`${search ? 'search' : 'health'}: ${err.message}`);
            }
            // A tiny load: a handful of requests a second, enough to see every request land.
            await new Promise((r) => setTimeout(r, 100));
        }
    };
    const loops = Promise.all(Array.from({ length: opts.concurrency }, (_, n) => loop(n)));
    return {
        report,
        async stop() {
            stopped = true;
            await loops;
            return report;
        },
    };
}
function describeLoad(r) {
    const by = Object.entries(r.servedBy).map(([who, n]) => `${who} ${n}`).join(', ');
    return `${(r.ok + r.failed).toLocaleString('en-US')} requests: ${r.ok} ok, ${r.failed} failed (served by ${by || 'nobody'})`;
}
//# sourceMappingURL=load.js.map