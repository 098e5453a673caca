"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_http_1 = __importDefault(require("node:http"));
const promises_1 = __importDefault(require("node:fs/promises"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const monitor_1 = require("../../activities/monitor");
// A tiny stand-in for the STP service: the three endpoints the runbook reads, with shapes we can bend.
const state = {
    health: 'healthy',
    healthCode: 200,
    p95s: [120],
    memory: 250_000_000,
    hitRate: 0.82,
    delayMs: 0,
    requests: 0,
    /** Counters since start, as the reference service reports them; undefined: a service without them. */
    counters: undefined,
    /** Called after each counters answer (metrics or cache stats) with how many were served: a sample reads two. */
    onServed: undefined,
    served: 0,
};
let server;
let baseUrl;
let tmp;
// 2 s: room for a loaded machine on the happy path; the hung service below answers after 6 s
const { sampleService, measureBaseline } = (0, monitor_1.createMonitorActivities)({ timeoutMs: 2000 });
function reply(res, code, body) {
    res.writeHead(code, { 'content-type': 'application/json', 'x-stp-instance': 'green' }).end(JSON.stringify(body));
}
(0, node_test_1.before)(async () => {
    server = node_http_1.default.createServer((req, res) => {
        setTimeout(() => {
            if (req.url === '/api/v1/health') {
                reply(res, state.healthCode, { status: state.health, version: '2.0.0', components: { database: { status: 'healthy', schema_version: 2 } } });
            }
            else if (req.url === '/api/v1/metrics') {
                const p95 = state.p95s[state.requests++ % state.p95s.length];
                const c = state.counters;
                const cumulative = c && { le_ms: c.le, counts: c.counts, count: c.requests, sum_ms: 1 };
                reply(res, 200, {
                    histograms: { http_request_duration: p95 === undefined ? {} : { p50: 40, p95, p99: 300, ...(c ? { cumulative } : {}) } },
                    gauges: { memory_usage_bytes: state.memory, ...(c ? { process_start_time_seconds: c.startedAt } : {}) },
                    ...(c ? { counters: { http_requests_total: c.requests, http_errors_total: c.errors } } : {}),
                });
                state.onServed?.(++state.served);
            }
            else if (req.url === '/api/v1/cache/stats') {
                const c = state.counters;
                reply(res, 200, { hit_rate: state.hitRate, size: 1234, ...(c ? { hits: c.hits, misses: c.misses, invalidated_misses: c.invalidated } : {}) });
                state.onServed?.(++state.served);
            }
            else
                reply(res, 404, { error: 'not found' });
        }, state.delayMs);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${server.address().port}`;
    tmp = await promises_1.default.mkdtemp(node_path_1.default.join(node_os_1.default.tmpdir(), 'stp-monitor-'));
});
(0, node_test_1.after)(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await promises_1.default.rm(tmp, { recursive: true, force: true });
});
function reset() {
    Object.assign(state, { health: 'healthy', healthCode: 200, p95s: [120], memory: 250_000_000, hitRate: 0.82, delayMs: 0, requests: 0, counters: undefined, onServed: undefined, served: 0 });
}
async function freePort() {
    const s = node_http_1.default.createServer();
    await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
    const { port } = s.address();
    await new Promise((resolve) => s.close(resolve));
    return port;
}
(0, node_test_1.test)('a sample reads health, p95, memory and hit rate over HTTP', async () => {
    reset();
    strict_1.default.deepEqual(await sampleService({ baseUrl }), { ok: true, health: 'healthy', p95Ms: 120, memoryBytes: 250_000_000, hitRate: 0.82 });
    strict_1.default.equal((await sampleService({ baseUrl: `${baseUrl}/api/v1/` })).ok, true, 'a base URL that already names /api/v1');
});
(0, node_test_1.test)('an unhealthy service answering 503 is data, not missing data', async () => {
    reset();
    Object.assign(state, { health: 'unhealthy', healthCode: 503 });
    const s = await sampleService({ baseUrl });
    strict_1.default.equal(s.ok, true);
    strict_1.default.equal(s.health, 'unhealthy');
});
(0, node_test_1.test)('a metric missing from the answer makes the sample ok:false, naming it', async () => {
    reset();
    state.p95s = [undefined];
    const s = await sampleService({ baseUrl });
    strict_1.default.equal(s.ok, false);
    strict_1.default.match(s.error ?? '', /no histograms\.http_request_duration\.p95/);
    strict_1.default.equal(s.hitRate, 0.82, 'what could be read is kept');
});
(0, node_test_1.test)('an unreachable service and a hung one give ok:false, never a throw', async () => {
    const down = await sampleService({ baseUrl: `http://127.0.0.1:${await freePort()}` });
    strict_1.default.equal(down.ok, false);
    strict_1.default.match(down.error ?? '', /health: ECONNREFUSED; metrics: ECONNREFUSED; cache\/stats: ECONNREFUSED/);
    reset();
    state.delayMs = 6000;
    const started = Date.now();
    const hung = await sampleService({ baseUrl });
    strict_1.default.equal(hung.ok, false);
    strict_1.default.match(hung.error ?? '', /timeout|aborted/i);
    strict_1.default.ok(Date.now() - started < 5000, 'gave up after the timeout');
});
(0, node_test_1.test)('the baseline is the median of a few samples of blue', async () => {
    reset();
    state.p95s = [100, 400, 120];
    const b = await measureBaseline({ baseUrl, samples: 3, intervalMs: 10 });
    strict_1.default.equal(b.p95Ms, 120);
    strict_1.default.equal(b.samples, 3);
    strict_1.default.equal(b.memoryBytes, 250_000_000);
    strict_1.default.equal(b.hitRate, undefined, "blue's hit rate since start is no baseline");
    strict_1.default.equal(b.window, undefined, 'a service without counters has no window');
    strict_1.default.equal(b.errors, undefined);
});
(0, node_test_1.test)('counters are read with each sample, and the baseline is blue over a window: first to last sample', async () => {
    reset();
    const c = { requests: 1000, errors: 2, le: [10, 100, 1000], counts: [900, 990, 1000], hits: 5000, misses: 200, invalidated: 100, startedAt: 1_700_000_000 };
    state.counters = c;
    const s = await sampleService({ baseUrl });
    strict_1.default.deepEqual({ ...s.counters, at: 0 }, {
        at: 0, startedAt: 1_700_000_000, instance: 'green', requests: 1000, errors: 2,
        latency: { leMs: [10, 100, 1000], counts: [900, 990, 1000], count: 1000 }, cache: { hits: 5000, misses: 200, invalidatedMisses: 100 },
    });
    strict_1.default.ok(Math.abs((s.counters?.at ?? 0) - Date.now()) < 1000);
    Object.assign(state, { health: 'unhealthy', healthCode: 500 });
    strict_1.default.deepEqual((await sampleService({ baseUrl })).counters?.instance, 'green', 'a failing health check does not look like another process');
    Object.assign(state, { health: 'healthy', healthCode: 200 });
    // Blue serves 100 requests (10 errors, 10 slow) and 60 lookups (30 hit, 20 missed after a write) between samples.
    // The counters move once, after the first sample has read both of its answers (no timer races a loaded machine).
    state.served = 0;
    state.onServed = (served) => {
        if (served === 2)
            Object.assign(c, { requests: 1100, errors: 12, counts: [980, 1080, 1100], hits: 5030, misses: 230, invalidated: 120 });
    };
    const b = await measureBaseline({ baseUrl, samples: 3, intervalMs: 60 });
    state.onServed = undefined;
    strict_1.default.equal(b.samples, 3);
    strict_1.default.deepEqual({ ...b.window, seconds: 0 }, { seconds: 0, requests: 100, errors: 10, errorRate: 0.1, p95Ms: 550, lookups: 40, invalidatedMisses: 20, hitRate: 0.75 });
    strict_1.default.ok(b.window.seconds >= 0.1 && b.window.seconds < 2, `window ${b.window.seconds} s`);
    // A restart in the window: no window, and the baseline says why.
    c.startedAt += 1;
    state.served = 0;
    state.onServed = (served) => {
        if (served === 2)
            c.startedAt += 1;
    };
    const r = await measureBaseline({ baseUrl, samples: 2, intervalMs: 60 });
    state.onServed = undefined;
    strict_1.default.equal(r.window, undefined);
    strict_1.default.match(r.errors?.join() ?? '', /no window: the service restarted/);
});
(0, node_test_1.test)('a baseline of an unreachable blue has no values and says why', async () => {
    const b = await measureBaseline({ baseUrl: `http://127.0.0.1:${await freePort()}`, samples: 2, intervalMs: 0 });
    strict_1.default.equal(b.samples, 0);
    strict_1.default.equal(b.p95Ms, undefined);
    strict_1.default.match(b.errors?.[0] ?? '', /ECONNREFUSED/);
});
(0, node_test_1.test)('each check appends the runbook CSV line, once per check even when retried', async () => {
    reset();
    const stateDir = node_path_1.default.join(tmp, 'state');
    const at = '2025-03-01T13:05:00.000Z';
    await sampleService({ baseUrl, log: { stateDir, at } });
    await sampleService({ baseUrl, log: { stateDir, at } });
    await sampleService({ baseUrl: `http://127.0.0.1:${await freePort()}`, log: { stateDir, at: '2025-03-01T13:06:00.000Z' } });
    const csv = await promises_1.default.readFile(node_path_1.default.join(stateDir, 'post_migration_monitoring.csv'), 'utf8');
    strict_1.default.equal(csv, 'timestamp,health,p95_ms,memory_bytes,hit_rate\n2025-03-01 13:05:00,healthy,120,250000000,0.82\n2025-03-01 13:06:00,unreachable,,,\n');
    const bad = await sampleService({ baseUrl, log: { stateDir: 'relative/dir', at } });
    strict_1.default.equal(bad.ok, true);
    strict_1.default.match(bad.logError ?? '', /absolute path/);
});
//# sourceMappingURL=monitor-activities.test.js.map