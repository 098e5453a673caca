import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateSample, median, MonitoringPlan, type Baseline, type ServiceSample } from '../../common/monitor';
import { formatIssues } from '../../common/validation';

const t = MonitoringPlan.parse({}).thresholds;
const baseline: Baseline = { p95Ms: 200, memoryBytes: 100_000_000, hitRate: 0.8, samples: 5 };
const good: ServiceSample = { ok: true, health: 'healthy', p95Ms: 250, memoryBytes: 140_000_000, hitRate: 0.65 };

test('the monitoring plan has the runbook defaults', () => {
  const plan = MonitoringPlan.parse({});
  assert.equal(plan.durationMinutes, 1440);
  assert.equal(plan.intervalSeconds, 60);
  assert.equal(plan.maxFailures, 5);
  assert.equal(plan.maxConsecutiveFailures, 3);
  assert.equal(plan.missingData, 'fail');
  assert.equal(plan.continueAsNewEvery, 200);
  assert.deepEqual(plan.thresholds, { maxP95Ms: 1000, p95DegradationFactor: 1.2, p95SlackMs: 50, memoryGrowthFactor: 1.5, minHitRateDrop: 0.2 });
});

test('the monitoring plan is strict and reports every problem', () => {
  const input = { intervalSeconds: 0, missingData: 'ignore', thresholds: { maxP95: 5 } };
  const r = MonitoringPlan.safeParse(input);
  assert.ok(!r.success);
  const errors = formatIssues('plan.release.monitoring', r.error, input);
  assert.ok(errors.includes('plan.release.monitoring.intervalSeconds: expected a positive integer, got 0'), errors.join('\n'));
  assert.ok(errors.some((e) => e.startsWith('plan.release.monitoring.missingData:')));
  assert.ok(errors.some((e) => e.includes('maxP95')));
  assert.equal(errors.length, 3);
});

test('a sample within every limit passes (p95 at baseline × 1.2 + slack is still fine)', () => {
  assert.deepEqual(evaluateSample(good, baseline, t), { ok: true, reasons: [] });
  assert.equal(evaluateSample({ ...good, p95Ms: 290 }, baseline, t).ok, true);
});

test('each threshold names itself', () => {
  const r = (s: Partial<ServiceSample>, b: Baseline | null = baseline, th = t) => evaluateSample({ ...good, ...s }, b, th).reasons;
  assert.deepEqual(r({ health: 'degraded' }), ['health is "degraded"']);
  assert.deepEqual(r({ p95Ms: 291 }), ['p95 291 ms > baseline 200 ms × 1.2 + 50 ms']);
  assert.deepEqual(r({ p95Ms: 1200 }, null), ['p95 1200 ms > max 1000 ms']);
  assert.deepEqual(r({ p95Ms: 1200 }), ['p95 1200 ms > max 1000 ms', 'p95 1200 ms > baseline 200 ms × 1.2 + 50 ms']);
  assert.deepEqual(r({ memoryBytes: 150_000_001 }), ['memory 150000001 B > baseline 100000000 B × 1.5']);
  assert.deepEqual(r({ memoryBytes: 2e9 }, null, { ...t, maxMemoryBytes: 1e9 }), ['memory 2000000000 B > max 1000000000 B']);
  assert.deepEqual(r({ hitRate: 0.59 }), ['hit_rate 0.59 < baseline 0.8 − 0.2']);
  assert.deepEqual(r({ hitRate: 0.3 }, null, { ...t, minHitRate: 0.5 }), ['hit_rate 0.3 < min 0.5']);
});

test('without a baseline only the absolute thresholds apply', () => {
  assert.equal(evaluateSample({ ...good, p95Ms: 900, memoryBytes: 9e9, hitRate: 0 }, { samples: 0 }, t).ok, true);
});

test('a sample without data fails with the error, and missing fields are named', () => {
  assert.deepEqual(evaluateSample({ ok: false, error: 'health: ECONNREFUSED' }, baseline, t), { ok: false, reasons: ['no data: health: ECONNREFUSED'] });
  assert.deepEqual(evaluateSample({ ok: true, health: 'healthy' }, baseline, t).reasons, ['p95 missing', 'memory missing', 'hit_rate missing']);
});

test('median of the defined values', () => {
  assert.equal(median([3, undefined, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.equal(median([undefined]), undefined);
});
