import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createMonitorActivities } from '../../activities/monitor';
import { createProcessDeployer, type DeployHandle } from '../../activities/release/deployers';
import { MonitoringPlan, type Baseline, type MonitorState } from '../../common/monitor';
import { judgeCheck } from '../../common/monitor-evaluate';
import { evaluateSampleLegacy } from '../../common/monitor-legacy';
import { ensureLegacySchema, ensureUnifiedSchema } from '../../service/schema';
import { breachReason, initialState, recordCheck } from '../../workflows/monitor/state';
import { createTestDatabase } from '../helpers/pg';
import { call, freePort } from './support';

// Monitoring on real processes: reference service v1 (blue) and v2 (green) on PostgreSQL, under a
// writer like an operator's (~8 requests/s: 70 % POST /texts, 10 % DELETE, 20 % POST /templates)
// and searches. Each write empties green's search cache; a healthy green must still pass.
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stp-monitor-writes-'));
const deployer = createProcessDeployer({ stateDir });
const handles: DeployHandle[] = [];
const { sampleService, measureBaseline } = createMonitorActivities({ timeoutMs: 5000 });
const INTERVAL_S = 3;
const plan = MonitoringPlan.parse({ intervalSeconds: INTERVAL_S, warmupSeconds: INTERVAL_S, maxConsecutiveFailures: 3 });
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let blue = '';
let green = '';
let baseline: Baseline;
let blueSinceStart = 0;

async function start(instance: string, version: '1' | '2'): Promise<string> {
  const port = await freePort();
  const handle = await deployer.deploy({ instance, version, port, env: { DATABASE_URL: db.url } });
  handles.push(handle);
  await deployer.waitHealthy(handle, { timeoutMs: 15_000 });
  return `http://127.0.0.1:${port}`;
}

/** The operator's writer: `perSecond` writes, in a fixed mix (7 texts, 1 delete of its own, 2 templates per 10). */
function startWriter(base: string, perSecond = 8) {
  const stats = { texts: 0, deletes: 0, templates: 0, failed: 0, failures: [] as string[] };
  const mine: string[] = [];
  let stopped = false;
  const run = (async () => {
    const started = Date.now();
    for (let i = 0; !stopped; i++) {
      const kind = i % 10 < 7 ? 'text' : i % 10 === 7 ? 'delete' : 'template';
      try {
        if (kind === 'text') {
          const content = `Release notes ${i}\n  search cache\n    invalidated by writes\n  monitoring load ${i % 7}\nsecond root ${i}`;
          const r = await call(base, 'POST', '/api/v1/texts', { title: `writer ${i}`, content });
          if (r.status !== 201) throw new Error(`POST /texts HTTP ${r.status}`);
          mine.push(r.body.id);
          stats.texts++;
        } else if (kind === 'delete' && mine.length > 0) {
          const id = mine.shift()!;
          const r = await call(base, 'DELETE', `/api/v1/texts/${id}`);
          if (r.status !== 200) throw new Error(`DELETE /texts HTTP ${r.status}`);
          stats.deletes++;
        } else {
          const r = await call(base, 'POST', '/api/v1/templates', { template_name: `tpl ${i}`, slot_names: ['who', 'when'] });
          if (r.status !== 201) throw new Error(`POST /templates HTTP ${r.status}`);
          stats.templates++;
        }
      } catch (err) {
        stats.failed++;
        if (stats.failures.length < 10) stats.failures.push((err as Error).message);
      }
      await sleep(Math.max(0, started + ((i + 1) * 1000) / perSecond - Date.now()));
    }
  })();
  return { stats, stop: async () => ((stopped = true), await run, stats) };
}

/** Searches of a few recurring queries, `perSecond` of them, with a health check every 5th. */
function startReader(base: string, perSecond = 12) {
  const stats = { ok: 0, failed: 0 };
  let stopped = false;
  const run = (async () => {
    const started = Date.now();
    for (let i = 0; !stopped; i++) {
      const r = await (i % 5 === 4
        ? call(base, 'GET', '/api/v1/health')
        : call(base, 'POST', '/api/v1/search/semantic', { query: `monitoring load ${i % 7}`, limit: 3 })).catch(() => undefined);
      if (r?.status === 200) stats.ok++;
      else stats.failed++;
      await sleep(Math.max(0, started + ((i + 1) * 1000) / perSecond - Date.now()));
    }
  })();
  return { stats, stop: async () => ((stopped = true), await run, stats) };
}

/** Production traffic against one service while `body` runs. */
async function underTraffic<T>(base: string, body: () => Promise<T>) {
  const writer = startWriter(base);
  const reader = startReader(base);
  try {
    return { result: await body(), writes: await writer.stop(), reads: await reader.stop() };
  } finally {
    await writer.stop();
    await reader.stop();
  }
}

/** The monitor workflow's loop, on the real activity: one check per interval until `checks` or a breach. */
async function monitorGreen(checks: number) {
  const st: MonitorState = initialState(plan, Date.now());
  const log: Array<{ check: number; reasons: string[]; excused?: string[]; legacy: string[]; requests?: number; lookups?: number; p95?: number; hit?: number }> = [];
  for (let n = 1; n <= checks; n++) {
    const at = Date.now();
    const sample = await sampleService({ baseUrl: green });
    const r = judgeCheck({ sample, recent: st.recent, baseline, plan, elapsedMs: at - st.startedAt });
    st.recent = r.recent;
    recordCheck(st, new Date(at).toISOString(), sample, { verdict: r.verdict, window: r.window, p95Ms: r.window?.p95Ms }, !r.verdict.ok);
    // What the monitor of before compared: green's hit rate since start with blue's.
    const legacy = evaluateSampleLegacy(sample, { ...baseline, hitRate: blueSinceStart }, plan.thresholds).reasons;
    log.push({ check: n, reasons: r.verdict.reasons, excused: r.verdict.excused, legacy, requests: r.window?.requests, lookups: r.window?.lookups, p95: r.window?.p95Ms, hit: r.window?.hitRate });
    const breach = breachReason(st, plan);
    if (breach) return { breach, st, log };
    await sleep(Math.max(0, at + INTERVAL_S * 1000 - Date.now()));
  }
  return { breach: undefined, st, log };
}

before(async () => {
  db = await createTestDatabase('monitor_writes', { extensions: ['vector'] });
  await ensureLegacySchema(db.pool, 32);
  await ensureUnifiedSchema(db.pool, 32);
  [blue, green] = await Promise.all([start('blue', '1'), start('green', '2')]);
  for (const base of [blue, green]) {
    for (let i = 0; i < 10; i++) await call(base, 'POST', '/api/v1/texts', { title: `seed ${i}`, content: `monitoring load ${i % 7}\n  seed text ${i}` });
  }
  // Blue has served reads for a long time: its hit rate since start is high (the issue saw 0.968).
  for (let i = 0; i < 210; i++) await call(blue, 'POST', '/api/v1/search/semantic', { query: `monitoring load ${i % 7}`, limit: 3 });
  blueSinceStart = (await call(blue, 'GET', '/api/v1/cache/stats')).body.hit_rate;
  assert.ok(blueSinceStart > 0.9, `blue's hit rate since start ${blueSinceStart}`);
});

/**
 * Blue's baseline under the same traffic, as a window of 2 intervals, taken just before green is
 * watched (as the saga does before the switch): the machine is as busy for both.
 */
async function measureBlue(): Promise<void> {
  const b = await underTraffic(blue, () => measureBaseline({ baseUrl: blue, samples: 3, intervalMs: INTERVAL_S * 1000 }));
  assert.equal(b.writes.failed, 0, b.writes.failures.join('\n'));
  baseline = b.result;
  assert.ok(baseline.window && baseline.window.requests >= plan.thresholds.minRequests, JSON.stringify(baseline));
}

after(async () => {
  await Promise.all(handles.map((h) => deployer.stop(h, { graceMs: 2000 })));
  await db?.drop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

test('a healthy green under ~8 writes/s and searches passes every check with the default thresholds', async (t) => {
  await measureBlue();
  const { result, writes, reads } = await underTraffic(green, () => monitorGreen(7));
  const w = baseline.window!;
  t.diagnostic(`blue: since start hit rate ${blueSinceStart.toFixed(3)}; window ${w.seconds} s, ${w.requests} requests, p95 ${w.p95Ms} ms, ${w.lookups} lookups, hit rate ${w.hitRate?.toFixed(3)}`);
  for (const c of result.log) t.diagnostic(`green check ${c.check}: ${c.requests ?? '-'} requests, p95 ${c.p95 ?? '-'} ms, ${c.lookups ?? '-'} lookups, hit ${c.hit?.toFixed(3) ?? '-'}; before: ${c.legacy.join('; ') || 'ok'}`);
  t.diagnostic(`writes ${JSON.stringify(writes)}, reads ${JSON.stringify(reads)}`);
  const detail = JSON.stringify({ baseline, log: result.log }, null, 1);
  assert.equal(result.breach, undefined, detail);
  assert.equal(result.st.failures, 0, detail);
  assert.equal(writes.failed, 0, writes.failures.join('\n'));
  assert.equal(reads.failed, 0);
  assert.ok(writes.texts + writes.deletes + writes.templates >= 6 * 6 * INTERVAL_S, `writes ${JSON.stringify(writes)}`);
  // The intervals were judged, not skipped: enough requests to compare p95 and errors with blue's.
  const judged = result.log.filter((c) => (c.requests ?? 0) >= plan.thresholds.minRequests);
  assert.ok(judged.length >= 5, detail);
  // And this is the traffic that made the monitor of before fail: green's hit rate since start against blue's.
  assert.ok(result.log.some((c) => c.legacy.some((r) => r.startsWith('hit_rate'))), `the old comparison would have passed too: ${detail}`);
});

test('a slow green breaches under the same traffic', async () => {
  await measureBlue();
  await call(green, 'POST', '/api/v1/admin/degrade', { slow_ms: 400 });
  try {
    const { result } = await underTraffic(green, () => monitorGreen(8));
    assert.match(result.breach ?? '', /3 consecutive failed checks .*p95 \d+(\.\d+)? ms > baseline/, JSON.stringify(result.log, null, 1));
  } finally {
    await call(green, 'POST', '/api/v1/admin/degrade', { slow_ms: 0 });
  }
});

test('a failing green breaches on its error rate under the same traffic', async () => {
  await measureBlue();
  await call(green, 'POST', '/api/v1/admin/degrade', { error_rate: 0.3 });
  try {
    const { result } = await underTraffic(green, () => monitorGreen(8));
    assert.ok(result.breach, JSON.stringify(result.log, null, 1));
    assert.ok(result.log.some((c) => c.reasons.some((r) => /^error rate \d+(\.\d+)? % \(\d+ of \d+ requests\) > blue's/.test(r))), JSON.stringify(result.log, null, 1));
  } finally {
    await call(green, 'POST', '/api/v1/admin/degrade', { error_rate: 0 });
  }
});
