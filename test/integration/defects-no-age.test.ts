import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createDefectListActivities } from '../../activities/defect-list';
import { parsePlan, type Plan } from '../../common/plan';
import { generateFixtures } from '../../fixtures/generate';
import { createTestDatabase } from '../helpers/pg';

// `stp-upgrade defects` on a database without the AGE extension (a plan whose graph step is
// optional): looking for the legacy graph must not abort the listing's read-only transaction.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let plan: Plan;

before(async () => {
  db = await createTestDatabase('defects_no_age', { extensions: ['vector'] });
  await generateFixtures(db.pool, { chunks: 600, dim: 4, defects: true, graph: false, seed: 5 });
  const parsed = parsePlan({ database: 'primary', graph: { optional: true } });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  plan = parsed.plan;
});
after(async () => db?.drop());

test('defects are listed on a database without AGE', async () => {
  const { listDefects } = createDefectListActivities({ pools: { get: () => db.pool } });
  const page = await listDefects({ plan, limit: 10_000 });
  assert.ok(page.defects.length > 0, 'the fixture has defects');
  assert.ok(page.defects.some((d) => d.kind === 'orphan_text'));
  assert.equal(page.next, null);
});
