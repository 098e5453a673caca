import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextBatchSize } from '../../common/copy-plan';
import { parsePlan, type Plan } from '../../common/plan';

const copyOf = (copy: object): Plan['copy'] => {
  const r = parsePlan({ copy });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.plan.copy;
};

test('no targetBatchMs: the batch size stays as it is', () => {
  assert.equal(nextBatchSize(copyOf({}), 5000, 10), 5000);
  assert.equal(nextBatchSize(copyOf({}), 5000, 100_000), 5000);
});

test('adaptive: proportional to the target, at most doubled or halved per batch, within min and max', () => {
  const c = copyOf({ targetBatchMs: 1000, minBatchSize: 100, maxBatchSize: 8000 });
  assert.equal(nextBatchSize(c, 2000, 1000), 2000);
  assert.equal(nextBatchSize(c, 2000, 800), 2500);
  assert.equal(nextBatchSize(c, 2000, 100), 4000); // capped at double
  assert.equal(nextBatchSize(c, 2000, 60_000), 1000); // capped at half
  assert.equal(nextBatchSize(c, 6000, 100), 8000); // max
  assert.equal(nextBatchSize(c, 150, 60_000), 100); // min
});

test('plan.copy: defaults unchanged, the new fields optional, bad values named with their path', () => {
  assert.deepEqual(copyOf({}), { batchSize: 5000, throttleMs: 0 });
  const r = parsePlan({ copy: { targetBatchMs: -1, maxLoad: { activeBackends: 'many', bogus: 1 } } });
  assert.equal(r.ok, false);
  const errors = r.ok ? '' : r.errors.join('\n');
  assert.match(errors, /plan\.copy\.targetBatchMs: expected a positive integer/);
  assert.match(errors, /plan\.copy\.maxLoad\.activeBackends: expected a positive integer/);
  assert.match(errors, /plan\.copy\.maxLoad/);
});

test('plan.copy.parallelism: absent by default (one range), a positive integer up to 64, else named with the fix', () => {
  assert.equal(copyOf({}).parallelism, undefined);
  assert.equal(copyOf({ parallelism: 4 }).parallelism, 4);
  for (const bad of [0, 2.5, 65, 'two']) {
    const r = parsePlan({ copy: { parallelism: bad } });
    assert.equal(r.ok, false, `parallelism ${JSON.stringify(bad)} is refused`);
    assert.match(r.ok ? '' : r.errors.join('\n'), /plan\.copy\.parallelism: /);
  }
});
