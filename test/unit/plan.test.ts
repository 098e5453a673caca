import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePlan } from '../../common/plan';

test('an empty plan gets every default', () => {
  const r = parsePlan({});
  assert.ok(r.ok);
  assert.equal(r.plan.database, 'primary');
  assert.equal(r.plan.legacy.chunks, 'chunks_legacy');
  assert.equal(r.plan.copy.batchSize, 5000);
  assert.equal(r.plan.defects.policy, 'block');
  assert.deepEqual(r.plan.graph.source, { kind: 'age', graph: 'knowledge_graph' });
  assert.deepEqual(r.plan.steps, ['preflight', 'backup', 'schema', 'copy', 'embeddings', 'graph', 'verify']);
});

test('every problem is reported at once, with its path', () => {
  const r = parsePlan({ copy: { batchSize: 'abc' }, legacy: { chunks: 'x; drop table t' }, database: 'postgres://u:p@h/d', bogus: 1 });
  assert.ok(!r.ok);
  assert.ok(r.errors.includes('plan.copy.batchSize: expected a positive integer, got "abc"'), r.errors.join('\n'));
  assert.ok(r.errors.some((e) => e.startsWith('plan.legacy.chunks: expected a lowercase SQL identifier')));
  assert.ok(r.errors.some((e) => e.startsWith('plan.database:')));
  assert.ok(r.errors.some((e) => e.includes('bogus')));
  assert.equal(r.errors.length, 4);
});
