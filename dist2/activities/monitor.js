"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.createMonitorActivities = createMonitorActivities;
exports.appendMonitoringLog = appendMonitoringLog;
exports.csvLine = csvLine;
const promises_1 = __importDefault(require("node:fs/promises"));
const node_path_1 = __importDefault(require("node:path"));
const heartbeat_1 = require("./heartbeat");
const monitor_1 = require("../common/monitor");
const monitor_window_1 = require("../common/monitor-window");
const errors_1 = require("../common/errors");
/** Reads GREEN or BLUE over HTTP: /api/v1/health, /metrics, /cache/stats. */
function createMonitorActivities({ fetch: fetchFn = globalThis.fetch, timeoutMs = 10_000 } = {}) {
    async function getJson(url) {
        const res = await fetchFn(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
        const text = await res.text();
        try {
            return { status: res.status, body: JSON.parse(text), instance: res.headers.get('x-stp-instance') ?? undefined };
        }
        catch {
            throw new Error(`${url}: HTTP ${res.status}, not JSON: ${text.slice(0, 80)}`);
        }
    }
    /**
     * Never throws for a sick or unreachable service: `ok: false` with the error lets the workflow
     * apply its missing-data policy. Neither does a failed log write (`logError`): the log is for people.
     */
    async function sampleService({ baseUrl, log }) {
        const sample = await readService(baseUrl);
        if (log) {
            try {
                await appendMonitoringLog(log.stateDir, log.at, sample);
            }
            catch (err) {
                sample.logError = describe(err);
            }
        }
        return sample;
    }
    async function readService(baseUrl) {
        const api = apiRoot(baseUrl);
        const readAt = Date.now();
        const [health, metrics, cache] = await Promise.allSettled([
            getJson(`${api}/health`),
            getJson(`${api}/metrics`),
            getJson(`${api}/cache/stats`),
        ]);
        const sample = { ok: true };
        const errors = [];
        // A sick service may answer 503 with a body naming its status: that is data, not missing data.
        if (health.status === 'fulfilled') {
            const s = at(health.value.body, 'status');
            if (typeof s === 'string')
                sample.health = s;
            else
                errors.push(`health: no status (HTTP ${health.value.status})`);
        }
        else
            errors.push(`health: ${describe(health.reason)}`);
        if (metrics.status === 'fulfilled' && metrics.value.status < 300) {
            sample.p95Ms = num(at(metrics.value.body, 'histograms', 'http_request_duration', 'p95'));
            sample.memoryBytes = num(at(metrics.value.body, 'gauges', 'memory_usage_bytes'));
            if (sample.p95Ms === undefined)
                errors.push('metrics: no histograms.http_request_duration.p95');
            if (sample.memoryBytes === undefined)
                errors.push('metrics: no gauges.memory_usage_bytes');
        }
        else
            errors.push(`metrics: ${metrics.status === 'fulfilled' ? `HTTP ${metrics.value.status}` : describe(metrics.reason)}`);
        if (cache.status === 'fulfilled' && cache.value.status < 300) {
            sample.hitRate = num(at(cache.value.body, 'hit_rate'));
            if (sample.hitRate === undefined)
                errors.push('cache/stats: no hit_rate');
        }
        else
            errors.push(`cache/stats: ${cache.status === 'fulfilled' ? `HTTP ${cache.value.status}` : describe(cache.reason)}`);
        if (errors.length > 0) {
            sample.ok = false;
            sample.error = errors.join('; ');
        }
        const counters = readCounters(readAt, metrics.status === 'fulfilled' ? metrics.value.instance : undefined, metrics.status === 'fulfilled' && metrics.value.status < 300 ? metrics.value.body : undefined, cache.status === 'fulfilled' && cache.value.status < 300 ? cache.value.body : undefined);
        if (counters)
            sample.counters = counters;
        return sample;
    }
    /**
     * Blue before the switch, as a window: its counters between the first and the last sample give
     * the figures the checks of green compare with (requests, errors, p95, cache); memory and blue's
     * own p95 are medians. Samples without data are left out. A retry starts the window again.
     */
    async function measureBaseline({ baseUrl, samples, intervalMs }) {
        const got = [];
        const errors = [];
        for (let i = 0; i < samples; i++) {
            if (i > 0 && intervalMs > 0)
                await new Promise((r) => setTimeout(r, intervalMs));
            const s = await readService(baseUrl);
            if (s.ok)
                got.push(s);
            else
                errors.push(s.error ?? 'no data');
            (0, heartbeat_1.heartbeat)({ sample: i + 1 });
        }
        const baseline = {
            p95Ms: (0, monitor_1.median)(got.map((s) => s.p95Ms)),
            memoryBytes: (0, monitor_1.median)(got.map((s) => s.memoryBytes)),
            samples: got.length,
        };
        const counted = got.filter((s) => s.counters);
        if (counted.length >= 2) {
            const w = (0, monitor_window_1.windowBetween)(counted[0].counters, counted[counted.length - 1].counters);
            if ((0, monitor_window_1.isReset)(w))
                errors.push(`no window: ${w.reset}`);
            else
                baseline.window = w;
        }
        if (errors.length > 0)
            baseline.errors = [...new Set(errors)];
        return JSON.parse(JSON.stringify(baseline));
    }
    return { sampleService, measureBaseline };
}
function apiRoot(baseUrl) {
    const root = baseUrl.replace(/\/+$/, '');
    return root.endsWith('/api/v1') ? root : `${root}/api/v1`;
}
/**
 * The counters of /metrics and /cache/stats (see service/README.md), or undefined when the service
 * has no request counters (then only what it reports itself can be judged).
 */
function readCounters(readAt, instance, metrics, cache) {
    const requests = num(at(metrics, 'counters', 'http_requests_total'));
    const errors = num(at(metrics, 'counters', 'http_errors_total'));
    if (requests === undefined || errors === undefined)
        return undefined;
    const c = { at: readAt, requests, errors };
    const startedAt = num(at(metrics, 'gauges', 'process_start_time_seconds'));
    if (startedAt !== undefined)
        c.startedAt = startedAt;
    // Who answered /metrics (its X-STP-Instance): through a load balancer, another process is no interval.
    if (instance)
        c.instance = instance;
    const h = at(metrics, 'histograms', 'http_request_duration', 'cumulative');
    const leMs = numbers(at(h, 'le_ms'));
    const counts = numbers(at(h, 'counts'));
    const count = num(at(h, 'count'));
    if (leMs && counts && leMs.length === counts.length && count !== undefined)
        c.latency = { leMs, counts, count };
    const hits = num(at(cache, 'hits'));
    const misses = num(at(cache, 'misses'));
    if (hits !== undefined && misses !== undefined) {
        const invalidatedMisses = num(at(cache, 'invalidated_misses'));
        c.cache = invalidatedMisses === undefined ? { hits, misses } : { hits, misses, invalidatedMisses };
    }
    return c;
}
function numbers(v) {
    if (!Array.isArray(v))
        return undefined;
    const xs = v.map(num);
    return xs.every((x) => x !== undefined) ? xs : undefined;
}
function at(body, ...keys) {
    let v = body;
    for (const k of keys) {
        if (v === null || typeof v !== 'object')
            return undefined;
        v = v[k];
    }
    return v;
}
function num(v) {
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}
function describe(err) {
    if (err instanceof Error) {
        const cause = err.cause;
        return cause?.code ?? cause?.message ?? err.message;
    }
    return String(err);
}
/** The runbook's CSV line (timestamp,health,p95,memory,hit_rate); a retried check of the same minute is not logged twice. */
async function appendMonitoringLog(stateDir, when, sample) {
    if (!node_path_1.default.isAbsolute(stateDir))
        throw new errors_1.BadInputError(`stateDir must be an absolute path, got ${JSON.stringify(stateDir)}`);
    const file = node_path_1.default.join(stateDir, monitor_1.MONITOR_LOG_FILE);
    const line = csvLine(when, sample);
    await promises_1.default.mkdir(stateDir, { recursive: true });
    const previous = await lastLine(file);
    if (previous === undefined)
        await promises_1.default.appendFile(file, 'timestamp,health,p95_ms,memory_bytes,hit_rate\n');
    if (previous?.slice(0, 20) !== line.slice(0, 20))
        await promises_1.default.appendFile(file, `${line}\n`);
    return file;
}
/** `2025-01-31 13:05:00` in UTC, as the runbook's `date '+%Y-%m-%d %H:%M:%S'`. */
function csvLine(when, s) {
    const ts = new Date(when).toISOString().replace('T', ' ').slice(0, 19);
    const cell = (v) => (v === undefined ? '' : String(v).replace(/[,\n\r]/g, ' '));
    return [ts, cell(s.health ?? (s.ok ? undefined : 'unreachable')), cell(s.p95Ms), cell(s.memoryBytes), cell(s.hitRate)].join(',');
}
async function lastLine(file) {
    let fh;
    try {
        fh = await promises_1.default.open(file, 'r');
    }
    catch (e) {
        if (e.code === 'ENOENT')
            return undefined;
        throw e;
    }
    try {
        const { size } = await fh.stat();
        const len = Math.min(size, 4096);
        const buf = Buffer.alloc(len);
        await fh.read(buf, 0, len, size - len);
        const lines = buf.toString('utf8').split('\n').filter((l) => l !== '');
        return lines.at(-1) ?? '';
    }
    finally {
        await fh.close();
    }
}
//# sourceMappingURL=monitor.js.map