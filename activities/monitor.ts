import fs, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { heartbeat } from './heartbeat';
import { median, MONITOR_LOG_FILE, type Baseline, type Counters, type ServiceSample } from '../common/monitor';
import { isReset, windowBetween } from '../common/monitor-window';
import { BadInputError } from '../common/errors';

export interface MonitorDeps {
  /** Defaults to Node's global fetch. */
  fetch?: typeof fetch;
  /** Per HTTP request. */
  timeoutMs?: number;
}

export interface SampleInput {
  baseUrl: string;
  /** Also append the runbook's CSV line to `<stateDir>/post_migration_monitoring.csv`. */
  log?: { stateDir: string; /** workflow time of the check (ISO) */ at: string };
}


/** Reads GREEN or BLUE over HTTP: /api/v1/health, /metrics, /cache/stats. */
export function createMonitorActivities({ fetch: fetchFn = globalThis.fetch, timeoutMs = 10_000 }: MonitorDeps = {}) {
  async function getJson(url: string): Promise<{ status: number; body: unknown; instance?: string }> {
    const res = await fetchFn(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    const text = await res.text();
    try {
      return { status: res.status, body: JSON.parse(text) as unknown, instance: res.headers.get('x-stp-instance') ?? undefined };
    } catch {
      throw new Error(`${url}: HTTP ${res.status}, not JSON: ${text.slice(0, 80)}`);
    }
  }

  /**
   * Never throws for a sick or unreachable service: `ok: false` with the error lets the workflow
   * apply its missing-data policy. Neither does a failed log write (`logError`): the log is for people.
   */
  async function sampleService({ baseUrl, log }: SampleInput): Promise<ServiceSample> {
    const sample = await readService(baseUrl);
    if (log) {
      try {
        await appendMonitoringLog(log.stateDir, log.at, sample);
      } catch (err) {
        sample.logError = describe(err);
      }
    }
    return sample;
  }

  async function readService(baseUrl: string): Promise<ServiceSample> {
    const api = apiRoot(baseUrl);
    const readAt = Date.now();
    const [health, metrics, cache] = await Promise.allSettled([
      getJson(`${api}/health`),
      getJson(`${api}/metrics`),
      getJson(`${api}/cache/stats`),
    ]);
    const sample: ServiceSample = { ok: true };
    const errors: string[] = [];
    // A sick service may answer 503 with a body naming its status: that is data, not missing data.
    if (health.status === 'fulfilled') {
      const s = at(health.value.body, 'status');
      if (typeof s === 'string') sample.health = s;
      else errors.push(`health: no status (HTTP ${health.value.status})`);
    } else errors.push(`health: ${describe(health.reason)}`);

    if (metrics.status === 'fulfilled' && metrics.value.status < 300) {
      sample.p95Ms = num(at(metrics.value.body, 'histograms', 'http_request_duration', 'p95'));
      sample.memoryBytes = num(at(metrics.value.body, 'gauges', 'memory_usage_bytes'));
      if (sample.p95Ms === undefined) errors.push('metrics: no histograms.http_request_duration.p95');
      if (sample.memoryBytes === undefined) errors.push('metrics: no gauges.memory_usage_bytes');
    } else errors.push(`metrics: ${metrics.status === 'fulfilled' ? `HTTP ${metrics.value.status}` : describe(metrics.reason)}`);

    if (cache.status === 'fulfilled' && cache.value.status < 300) {
      sample.hitRate = num(at(cache.value.body, 'hit_rate'));
      if (sample.hitRate === undefined) errors.push('cache/stats: no hit_rate');
    } else errors.push(`cache/stats: ${cache.status === 'fulfilled' ? `HTTP ${cache.value.status}` : describe(cache.reason)}`);

    if (errors.length > 0) {
      sample.ok = false;
      sample.error = errors.join('; ');
    }
    const counters = readCounters(
      readAt,
      metrics.status === 'fulfilled' ? metrics.value.instance : undefined,
      metrics.status === 'fulfilled' && metrics.value.status < 300 ? metrics.value.body : undefined,
      cache.status === 'fulfilled' && cache.value.status < 300 ? cache.value.body : undefined,
    );
    if (counters) sample.counters = counters;
    return sample;
  }

  /**
   * Blue before the switch, as a window: its counters between the first and the last sample give
   * the figures the checks of green compare with (requests, errors, p95, cache); memory and blue's
   * own p95 are medians. Samples without data are left out. A retry starts the window again.
   */
  async function measureBaseline({ baseUrl, samples, intervalMs }: { baseUrl: string; samples: number; intervalMs: number }): Promise<Baseline> {
    const got: ServiceSample[] = [];
    const errors: string[] = [];
    for (let i = 0; i < samples; i++) {
      if (i > 0 && intervalMs > 0) await new Promise((r) => setTimeout(r, intervalMs));
      const s = await readService(baseUrl);
      if (s.ok) got.push(s);
      else errors.push(s.error ?? 'no data');
      heartbeat({ sample: i + 1 });
    }
    const baseline: Baseline = {
      p95Ms: median(got.map((s) => s.p95Ms)),
      memoryBytes: median(got.map((s) => s.memoryBytes)),
      samples: got.length,
    };
    const counted = got.filter((s) => s.counters);
    if (counted.length >= 2) {
      const w = windowBetween(counted[0].counters!, counted[counted.length - 1].counters!);
      if (isReset(w)) errors.push(`no window: ${w.reset}`);
      else baseline.window = w;
    }
    if (errors.length > 0) baseline.errors = [...new Set(errors)];
    return JSON.parse(JSON.stringify(baseline)) as Baseline;
  }

  return { sampleService, measureBaseline };
}

export type MonitorActivities = ReturnType<typeof createMonitorActivities>;

function apiRoot(baseUrl: string): string {
  const root = baseUrl.replace(/\/+$/, '');
  return root.endsWith('/api/v1') ? root : `${root}/api/v1`;
}

/**
 * The counters of /metrics and /cache/stats (see service/README.md), or undefined when the service
 * has no request counters (then only what it reports itself can be judged).
 */
function readCounters(readAt: number, instance: string | undefined, metrics: unknown, cache: unknown): Counters | undefined {
  const requests = num(at(metrics, 'counters', 'http_requests_total'));
  const errors = num(at(metrics, 'counters', 'http_errors_total'));
  if (requests === undefined || errors === undefined) return undefined;
  const c: Counters = { at: readAt, requests, errors };
  const startedAt = num(at(metrics, 'gauges', 'process_start_time_seconds'));
  if (startedAt !== undefined) c.startedAt = startedAt;
  // Who answered /metrics (its X-STP-Instance): through a load balancer, another process is no interval.
  if (instance) c.instance = instance;
  const h = at(metrics, 'histograms', 'http_request_duration', 'cumulative');
  const leMs = numbers(at(h, 'le_ms'));
  const counts = numbers(at(h, 'counts'));
  const count = num(at(h, 'count'));
  if (leMs && counts && leMs.length === counts.length && count !== undefined) c.latency = { leMs, counts, count };
  const hits = num(at(cache, 'hits'));
  const misses = num(at(cache, 'misses'));
  if (hits !== undefined && misses !== undefined) {
    const invalidatedMisses = num(at(cache, 'invalidated_misses'));
    c.cache = invalidatedMisses === undefined ? { hits, misses } : { hits, misses, invalidatedMisses };
  }
  return c;
}

function numbers(v: unknown): number[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const xs = v.map(num);
  return xs.every((x): x is number => x !== undefined) ? xs : undefined;
}

function at(body: unknown, ...keys: string[]): unknown {
  let v = body;
  for (const k of keys) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

function num(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? err.message;
  }
  return String(err);
}

/** The runbook's CSV line (timestamp,health,p95,memory,hit_rate); a retried check of the same minute is not logged twice. */
export async function appendMonitoringLog(stateDir: string, when: string, sample: ServiceSample): Promise<string> {
  if (!path.isAbsolute(stateDir)) throw new BadInputError(`stateDir must be an absolute path, got ${JSON.stringify(stateDir)}`);
  const file = path.join(stateDir, MONITOR_LOG_FILE);
  const line = csvLine(when, sample);
  await fs.mkdir(stateDir, { recursive: true });
  const previous = await lastLine(file);
  if (previous === undefined) await fs.appendFile(file, 'timestamp,health,p95_ms,memory_bytes,hit_rate\n');
  if (previous?.slice(0, 20) !== line.slice(0, 20)) await fs.appendFile(file, `${line}\n`);
  return file;
}

/** `2025-01-31 13:05:00` in UTC, as the runbook's `date '+%Y-%m-%d %H:%M:%S'`. */
export function csvLine(when: string, s: ServiceSample): string {
  const ts = new Date(when).toISOString().replace('T', ' ').slice(0, 19);
  const cell = (v: string | number | undefined) => (v === undefined ? '' : String(v).replace(/[,\n\r]/g, ' '));
  return [ts, cell(s.health ?? (s.ok ? undefined : 'unreachable')), cell(s.p95Ms), cell(s.memoryBytes), cell(s.hitRate)].join(',');
}

async function lastLine(file: string): Promise<string | undefined> {
  let fh: FileHandle;
  try {
    fh = await fs.open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const { size } = await fh.stat();
    const len = Math.min(size, 4096);
    const buf = Buffer.alloc(len);
    await fh.read(buf, 0, len, size - len);
    const lines = buf.toString('utf8').split('\n').filter((l) => l !== '');
    return lines.at(-1) ?? '';
  } finally {
    await fh.close();
  }
}
