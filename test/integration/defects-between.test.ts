import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Client } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createDefectListActivities } from '../../activities/defect-list';
import { QueryNames, WorkflowTypes } from '../../common/names';
import { parsePlan, type PlanInput } from '../../common/plan';
import type { DefectKind, PreflightResult, Progress, QuarantineResult } from '../../common/steps';
import { generateFixtures } from '../../fixtures/generate';
import { EnvPools } from '../../workers/databases';
import { checkContract } from '../helpers/contract';
import { createTestDatabase } from '../helpers/pg';
import { randomQueue, startInProcessWorker, tempDir } from './upgrade-support';

/**
 * Policy quarantine detects the defects once, in the copy step under the forward capture, not in
 * preflight. What the application writes between preflight and the capture must still be caught:
 * here, during the schema step, it inserts a chunk whose text does not exist (a new defect) and
 * deletes a parent chunk with its tags and embeddings, which turns its untouched children into
 * orphans (a defect made indirectly) and their descendants into cascades. A real saga on the dev
 * server, real activities and PostgreSQL; the result is checked against the contract.
 */

const PLAN: PlanInput = {
  database: 'between',
  defects: { policy: 'quarantine' },
  steps: ['preflight', 'schema', 'copy', 'embeddings', 'verify'],
  copy: { batchSize: 500 },
};

let db: Awaited<ReturnType<typeof createTestDatabase>>;
const env: NodeJS.ProcessEnv = {};
const pools = new EnvPools(env);
const taskQueue = randomQueue('defects-between');
let stopWorker: (() => Promise<void>) | undefined;
let client: Client;
/** What the saga's activities returned, and what the application did between preflight and copy. */
const seen: { preflight?: PreflightResult; quarantine?: QuarantineResult; newDefect?: string; parent?: string; children: string[]; descendants: string[] } = { children: [], descendants: [] };

/** The application's writes, run just before the schema step's activity: after preflight, before the capture. */
async function writeBetween(): Promise<void> {
  const { rows: [pick] } = await db.pool.query<{ parent: string }>(
    `select p.id as parent from chunks_legacy p
      where p.parent_chunk_id is null and exists (select 1 from texts t where t.id = p.text_id)
        and exists (select 1 from chunks_legacy c join chunks_legacy g on g.parent_chunk_id = c.id where c.parent_chunk_id = p.id)
      order by p.id limit 1`,
  );
  assert.ok(pick, 'the fixture has a root chunk with grandchildren');
  seen.parent = pick.parent;
  const { rows: kids } = await db.pool.query<{ id: string }>(`select id from chunks_legacy where parent_chunk_id = $1 order by id`, [pick.parent]);
  seen.children = kids.map((k) => k.id);
  const { rows: below } = await db.pool.query<{ id: string }>(
    `with recursive d(id) as (select id from chunks_legacy where parent_chunk_id = any($1::uuid[])
                              union select c.id from chunks_legacy c join d on c.parent_chunk_id = d.id)
     select id from d order by id`,
    [seen.children],
  );
  seen.descendants = below.map((r) => r.id);
  seen.newDefect = randomUUID();
  const c = await db.pool.connect();
  try {
    await c.query('begin');
    await c.query(`insert into chunks_legacy (id, text_id, content, parent_chunk_id, indent_level, sequence_number)
                   values ($1, $2, 'written after preflight, its text never existed', null, 0, 0)`, [seen.newDefect, randomUUID()]);
    await c.query(`delete from embeddings_legacy where chunk_id = $1`, [pick.parent]);
    await c.query(`delete from chunk_tags_legacy where chunk_id = $1`, [pick.parent]);
    await c.query(`delete from chunks_legacy where id = $1`, [pick.parent]);
    await c.query('commit');
  } finally {
    c.release();
  }
}

/** Every defect of the legacy tables now, per kind, through the read-only listing (`stp-upgrade defects`). */
async function defectCountsNow(): Promise<Partial<Record<DefectKind, number>>> {
  const parsed = parsePlan(PLAN);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const page = await createDefectListActivities({ pools }).listDefects({ plan: parsed.plan, limit: 1_000_000 });
  assert.equal(page.next, null);
  const counts: Partial<Record<DefectKind, number>> = {};
  for (const d of page.defects) counts[d.kind] = (counts[d.kind] ?? 0) + 1;
  return counts;
}

before(async () => {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  db = await createTestDatabase('defects_between');
  env.STP_DATABASE_URL_BETWEEN = db.url;
  await generateFixtures(db.pool, { chunks: 2000, dim: 8, graph: false, defects: true, seed: 13 });
  const real = createActivities({ pools, resolveUrl: (name) => pools.url(name), stateRoot: tempDir('defects-between'), env }) as unknown as Record<string, (input: unknown) => Promise<unknown>>;
  const activities = Object.fromEntries(
    Object.entries(real).map(([name, fn]) => [
      name,
      async (input: unknown) => {
        if (name === 'createTargetSchema') await writeBetween();
        const out = await fn(input);
        if (name === 'preflight') seen.preflight = out as PreflightResult;
        if (name === 'quarantineDefects') seen.quarantine = out as QuarantineResult;
        return out;
      },
    ]),
  );
  ({ client, stop: stopWorker } = await startInProcessWorker(taskQueue, activities));
});

after(async () => {
  await stopWorker?.();
  await pools.close();
  await db?.drop();
});

test('a defect written and a child orphaned between preflight and the copy are both quarantined; the target equals the contract', { timeout: 240_000 }, async () => {
  const before = await defectCountsNow();
  const workflowId = `defects-between-${Date.now()}`;
  const handle = await client.workflow.start(WorkflowTypes.upgrade, { taskQueue, workflowId, args: [PLAN], workflowExecutionTimeout: '4 minutes' });
  await handle.result();
  const progress = await handle.query<Progress>(QueryNames.progress);
  assert.equal(progress.phase, 'completed', progress.error);
  assert.equal(progress.report?.ok, true, progress.report?.problems.join('; '));

  // preflight left detection to the quarantine pass, which found what the tables held under capture
  assert.deepEqual([seen.preflight?.defects, seen.preflight?.defectCounts], [[], {}]);
  const now = await defectCountsNow();
  assert.equal(now.orphan_text, (before.orphan_text ?? 0) + 1);
  assert.equal(now.orphan_parent, (before.orphan_parent ?? 0) + seen.children.length);
  assert.deepEqual(seen.quarantine?.defectCounts, now);
  assert.deepEqual(progress.defects?.counts, now, 'the progress shows the defects the run quarantined');
  assert.ok(progress.defects?.sample.length, 'and lists some');

  const { rows } = await db.pool.query<{ row_key: string; kind: string; reason: string }>(
    `select row_key, kind, reason from stp_migration.quarantine where run_id = $1 and source_table = 'chunks_legacy'`,
    [workflowId],
  );
  const byKey = new Map(rows.map((r) => [r.row_key, r]));
  assert.equal(byKey.get(seen.newDefect!)?.kind, 'orphan_text', 'the chunk written after preflight');
  assert.ok(seen.children.length > 0);
  for (const id of seen.children) {
    assert.equal(byKey.get(id)?.kind, 'orphan_parent', `child ${id} of the deleted parent`);
    assert.match(byKey.get(id)!.reason, new RegExp(`parent_chunk_id ${seen.parent} is not a chunk`));
  }
  assert.ok(seen.descendants.length > 0);
  for (const id of seen.descendants) assert.ok(byKey.has(id), `descendant ${id} quarantined`);

  assert.deepEqual(await checkContract(db.pool, workflowId, null), []);
});
