import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatProgress } from '../../client/upgrade-view';
import type { Progress } from '../../common/steps';

const progress = (extra: Partial<Progress>): Progress => ({
  runId: 'r', phase: 'running', paused: false, steps: { preflight: 'done', copy: 'pending' }, rules: {},
  batchSize: 5000, rowsPerSec: 0, etaSeconds: null, redoneBatches: 0, compensations: [], ...extra,
});

test('status under policy quarantine: defects said to come in the copy step until it reports them', () => {
  assert.ok(formatProgress(progress({ defectsPending: true })).includes('Defects: detected and quarantined in the copy step (defects.policy quarantine)'));
  const found = formatProgress(progress({ defectsPending: true, defects: { counts: { orphan_text: 2 }, sample: [] } }));
  assert.ok(found.includes('Defects: orphan_text 2'));
  assert.ok(!found.some((l) => l.includes('in the copy step')));
  assert.ok(!formatProgress(progress({})).some((l) => l.startsWith('Defects')), 'policy block, or none found: no line');
});
