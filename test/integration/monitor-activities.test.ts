import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createMonitorActivities } from '../../activities/monitor';

// A tiny stand-in for the STP service: the three endpoints the runbook reads, with shapes we can bend.
const state = {
  health: 'healthy',
  healthCode: 200,
  p95s: [120] as Array<number | undefined>,
  memory: 250_000_000,
  hitRate: 0.82,
  delayMs: 0,
  requests: 0,
  /** Counters since start, as the reference service reports them; undefined: a service without them. */
  counters: undefined as undefined | { requests: number; errors: number; le: number[]; counts: number[]; hits: number; misses: number; invalidated: number; startedAt: number },
  /** Called after each counters answer (metrics or cache stats) with how many were served: a sample reads two. */
  onServed: undefined as undefined | ((served: number) => void),
  served: 0,
};
let server: http.Server;
let baseUrl: string;
let tmp: string;
// 2 s: room for a loaded machine on the happy path; the hung service below answers after 6 s
const { sampleService, measureBaseline } = createMonitorActivities({ timeoutMs: 2000 });

function reply(res: http.ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json', 'x-stp-instance': 'green' }).end(JSON.stringify(body));
}

before(async () => {
  server = http.createServer((req, res) => {
    setTimeout(() => {
      if (req.url === '/api/v1/health') {
        reply(res, state.healthCode, { status: state.health, version: '2.0.0', components: { database: { status: 'healthy', schema_version: 2 } } });
      } else if (req.url === '/api/v1/metrics') {
        const p95 = state.p95s[state.requests++ % state.p95s.length];
        const c = state.counters;
        const cumulative = c && { le_ms: c.le, counts: c.counts, count: c.requests, sum_ms: 1 };
        reply(res, 200, {
          histograms: { http_request_duration: p95 === undefined ? {} : { p50: 40, p95, p99: 300, ...(c ? { cumulative } : {}) } },
          gauges: { memory_usage_bytes: state.memory, ...(c ? { process_start_time_seconds: c.startedAt } : {}) },
          ...(c ? { counters: { http_requests_total: c.requests, http_errors_total: c.errors } } : {}),
        });
        state.onServed?.(++state.served);
      } else if (req.url === '/api/v1/cache/stats') {
        const c = state.counters;
        reply(res, 200, { hit_rate: state.hitRate, size: 1234, ...(c ? { hits: c.hits, misses: c.misses, invalidated_misses: c.invalidated } : {}) });
        state.onServed?.(++state.served);
      } else reply(res, 404, { error: 'not found' });
    }, state.delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'stp-monitor-'));
});

after(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await fs.rm(tmp, { recursive: true, force: true });
});

function reset(): void {
  Object.assign(state, { health: 'healthy', healthCode: 200, p95s: [120], memory: 250_000_000, hitRate: 0.82, delayMs: 0, requests: 0, counters: undefined, onServed: undefined, served: 0 });
}

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

test('a sample reads health, p95, memory and hit rate over HTTP', async () => {
  reset();
  assert.deepEqual(await sampleService({ baseUrl }), { ok: true, health: 'healthy', p95Ms: 120, memoryBytes: 250_000_000, hitRate: 0.82 });
  assert.equal((await sampleService({ baseUrl: `${baseUrl}/api/v1/` })).ok, true, 'a base URL that already names /api/v1');
});

test('an unhealthy service answering 503 is data, not missing data', async () => {
  reset();
  Object.assign(state, { health: 'unhealthy', healthCode: 503 });
  const s = await sampleService({ baseUrl });
  assert.equal(s.ok, true);
  assert.equal(s.health, 'unhealthy');
});

test('a metric missing from the answer makes the sample ok:false, naming it', async () => {
  reset();
  state.p95s = [undefined];
  const s = await sampleService({ baseUrl });
  assert.equal(s.ok, false);
  assert.match(s.error ?? '', /no histograms\.http_request_duration\.p95/);
  assert.equal(s.hitRate, 0.82, 'what could be read is kept');
});

test('an unreachable service and a hung one give ok:false, never a throw', async () => {
  const down = await sampleService({ baseUrl: `http://127.0.0.1:${await freePort()}` });
  assert.equal(down.ok, false);
  assert.match(down.error ?? '', /health: ECONNREFUSED; metrics: ECONNREFUSED; cache\/stats: ECONNREFUSED/);
  reset();
  state.delayMs = 6000;
  const started = Date.now();
  const hung = await sampleService({ baseUrl });
  assert.equal(hung.ok, false);
  assert.match(hung.error ?? '', /timeout|aborted/i);
  assert.ok(Date.now() - started < 5000, 'gave up after the timeout');
});

test('the baseline is the median of a few samples of blue', async () => {
  reset();
  state.p95s = [100, 400, 120];
  const b = await measureBaseline({ baseUrl, samples: 3, intervalMs: 10 });
  assert.equal(b.p95Ms, 120);
  assert.equal(b.samples, 3);
  assert.equal(b.memoryBytes, 250_000_000);
  assert.equal(b.hitRate, undefined, "blue's hit rate since start is no baseline");
  assert.equal(b.window, undefined, 'a service without counters has no window');
  assert.equal(b.errors, undefined);
});

test('counters are read with each sample, and the baseline is blue over a window: first to last sample', async () => {
  reset();
  const c = { requests: 1000, errors: 2, le: [10, 100, 1000], counts: [900, 990, 1000], hits: 5000, misses: 200, invalidated: 100, startedAt: 1_700_000_000 };
  state.counters = c;
  const s = await sampleService({ baseUrl });
  assert.deepEqual({ ...s.counters, at: 0 }, {
    at: 0, startedAt: 1_700_000_000, instance: 'green', requests: 1000, errors: 2,
    latency: { leMs: [10, 100, 1000], counts: [900, 990, 1000], count: 1000 }, cache: { hits: 5000, misses: 200, invalidatedMisses: 100 },
  });
  assert.ok(Math.abs((s.counters?.at ?? 0) - Date.now()) < 1000);
  Object.assign(state, { health: 'unhealthy', healthCode: 500 });
  assert.deepEqual((await sampleService({ baseUrl })).counters?.instance, 'green', 'a failing health check does not look like another process');
  Object.assign(state, { health: 'healthy', healthCode: 200 });
  // Blue serves 100 requests (10 errors, 10 slow) and 60 lookups (30 hit, 20 missed after a write) between samples.
  // The counters move once, after the first sample has read both of its answers (no timer races a loaded machine).
  state.served = 0;
  state.onServed = (served) => {
    if (served === 2) Object.assign(c, { requests: 1100, errors: 12, counts: [980, 1080, 1100], hits: 5030, misses: 230, invalidated: 120 });
  };
  const b = await measureBaseline({ baseUrl, samples: 3, intervalMs: 60 });
  state.onServed = undefined;
  assert.equal(b.samples, 3);
  assert.deepEqual({ ...b.window, seconds: 0 }, { seconds: 0, requests: 100, errors: 10, errorRate: 0.1, p95Ms: 550, lookups: 40, invalidatedMisses: 20, hitRate: 0.75 });
  assert.ok(b.window!.seconds >= 0.1 && b.window!.seconds < 2, `window ${b.window!.seconds} s`);
  // A restart in the window: no window, and the baseline says why.
  c.startedAt += 1;
  state.served = 0;
  state.onServed = (served) => {
    if (served === 2) c.startedAt += 1;
  };
  const r = await measureBaseline({ baseUrl, samples: 2, intervalMs: 60 });
  state.onServed = undefined;
  assert.equal(r.window, undefined);
  assert.match(r.errors?.join() ?? '', /no window: the service restarted/);
});

test('a baseline of an unreachable blue has no values and says why', async () => {
  const b = await measureBaseline({ baseUrl: `http://127.0.0.1:${await freePort()}`, samples: 2, intervalMs: 0 });
  assert.equal(b.samples, 0);
  assert.equal(b.p95Ms, undefined);
  assert.match(b.errors?.[0] ?? '', /ECONNREFUSED/);
});

test('each check appends the runbook CSV line, once per check even when retried', async () => {
  reset();
  const stateDir = path.join(tmp, 'state');
  const at = '2025-03-01T13:05:00.000Z';
  await sampleService({ baseUrl, log: { stateDir, at } });
  await sampleService({ baseUrl, log: { stateDir, at } });
  await sampleService({ baseUrl: `http://127.0.0.1:${await freePort()}`, log: { stateDir, at: '2025-03-01T13:06:00.000Z' } });
  const csv = await fs.readFile(path.join(stateDir, 'post_migration_monitoring.csv'), 'utf8');
  assert.equal(csv, 'timestamp,health,p95_ms,memory_bytes,hit_rate\n2025-03-01 13:05:00,healthy,120,250000000,0.82\n2025-03-01 13:06:00,unreachable,,,\n');
  const bad = await sampleService({ baseUrl, log: { stateDir: 'relative/dir', at } });
  assert.equal(bad.ok, true);
  assert.match(bad.logError ?? '', /absolute path/);
});
