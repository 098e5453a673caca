"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.startWriter = exports.auditWrites = void 0;
exports.freePort = freePort;
exports.call = call;
exports.startLoad = startLoad;
exports.postMigrationTests = postMigrationTests;
const node_http_1 = __importDefault(require("node:http"));
const node_net_1 = __importDefault(require("node:net"));
/** Helpers for the release tests: free ports, JSON over fresh connections, a bounded load loop. */
function freePort() {
    return new Promise((resolve, reject) => {
        const srv = node_net_1.default.createServer();
        srv.unref();
        srv.on('error', reject);
        srv.listen(0, '127.0.0.1', () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}
/** One request on its own connection (no keep-alive, nothing left open after a test). */
function call(base, method, path, body, timeoutMs = 10_000) {
    const started = Date.now();
    return new Promise((resolve, reject) => {
        const data = body === undefined ? undefined : JSON.stringify(body);
        const req = node_http_1.default.request(`${base}${path}`, {
            method, agent: false, timeout: timeoutMs,
            headers: { connection: 'close', ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}) },
        }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (d) => (text += d));
            res.on('end', () => {
                let parsed = text;
                try {
                    parsed = JSON.parse(text);
                }
                catch {
                    /* keep text */
                }
                resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, ms: Date.now() - started });
            });
        });
        req.on('timeout', () => req.destroy(new Error(`timeout ${method} ${path}`)));
        req.on('error', reject);
        req.end(data);
    });
}
/**
 * Bounded load through the load balancer: `concurrency` loops of health checks and searches until
 * stop() or maxMs or maxRequests. A failure is a network error or a status other than 200.
 */
function startLoad(base, opts = {}) {
    const report = { ok: 0, failed: 0, failures: [], byInstance: {} };
    const until = Date.now() + (opts.maxMs ?? 10_000);
    const max = opts.maxRequests ?? 3000;
    let stopped = false;
    const loop = async (n) => {
        for (let i = 0; !stopped && Date.now() < until && report.ok + report.failed < max; i++) {
            const search = (i + n) % 3 === 0;
            try {
                const r = search
                    ? await call(base, 'POST', '/api/v1/search/semantic', { query: `load ${i % 7}`, limit: 3 })
                    : await call(base, 'GET', '/api/v1/health');
                const who = String(r.headers['x-stp-instance']);
                report.byInstance[who] = (report.byInstance[who] ?? 0) + 1;
                if (r.status === 200)
                    report.ok++;
                else
                    fail(`${search ? 'search' : 'health'} HTTP ${r.status} from ${who}: ${JSON.stringify(r.body).slice(0, 200)}`);
            }
            catch (err) {
                fail(`${search ? 'search' : 'health'}: ${err.message}`);
            }
        }
    };
    const fail = (why) => {
        report.failed++;
        if (report.failures.length < 20)
            report.failures.push(why);
    };
    const loops = Promise.all(Array.from({ length: opts.concurrency ?? 4 }, (_, n) => loop(n)));
    return {
        report,
        async stop() {
            stopped = true;
            await loops;
            return report;
        },
    };
}
/**
 * The runbook's post_migration_tests.sh: create a text, read its chunks, search, create a template,
 * delete the text. Returns the problems found (empty = pass) and warnings.
 */
async function postMigrationTests(apiBase) {
    const failures = [];
    const warnings = [];
    const text = await call(apiBase, 'POST', '/texts', { content: 'Test migration content', title: 'Migration Test' });
    const id = text.body?.id;
    if (!id)
        return { failures: [`text creation failed: HTTP ${text.status} ${JSON.stringify(text.body)}`], warnings };
    const got = await call(apiBase, 'GET', `/texts/${id}`);
    if (!(got.body?.chunks?.length > 0))
        failures.push('no chunks created for text');
    const search = await call(apiBase, 'POST', '/search/semantic', { query: 'migration', limit: 5 });
    if (!(search.body?.results?.length > 0))
        warnings.push('no search results found');
    const tpl = await call(apiBase, 'POST', '/templates', { template_name: 'Test Template', slot_names: ['test_slot'] });
    if (!tpl.body?.template_id)
        failures.push(`template creation failed: HTTP ${tpl.status} ${JSON.stringify(tpl.body)}`);
    await call(apiBase, 'DELETE', `/texts/${id}`);
    return { failures, warnings };
}
var writer_1 = require("../../demo/writer");
Object.defineProperty(exports, "auditWrites", { enumerable: true, get: function () { return writer_1.auditWrites; } });
Object.defineProperty(exports, "startWriter", { enumerable: true, get: function () { return writer_1.startWriter; } });
//# sourceMappingURL=support.js.map