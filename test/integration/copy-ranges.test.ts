import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, Connection } from '@temporalio/client';
import { QueryNames, WorkflowTypes } from '../../common/names';
import type { PlanInput } from '../../common/plan';
import type { Progress } from '../../common/steps';
import type { UpgradeResult } from '../../common/upgrade-input';
import { checkContract } from '../helpers/contract';
import { startWorkerProcess } from '../helpers/processes';
import { TEMPORAL_ADDRESS } from '../helpers/temporal';
import { cloneDatabase, fixtureTemplate, randomQueue, type TestDb } from './upgrade-support';

// plan.copy.parallelism: the large rules split into key ranges, copied concurrently by two worker
// processes on one task queue; every range has its own checkpoint; the result is the contract's.
type WorkerProc = Awaited<ReturnType<typeof startWorkerProcess>>;
const workers: WorkerProc[] = [];
let dropTemplate: (() => Promise<void>) | undefined;
let db: TestDb;
let connection: Connection;
let client: Client;

before(async () => {
  const tpl = await fixtureTemplate('copy_ranges_tpl', { chunks: 40_000, dim: 8, defects: true, seed: 29, graph: false });
  dropTemplate = tpl.drop;
  db = await cloneDatabase(tpl.template, 'copy_ranges_run');
  connection = await Connection.connect({ address: TEMPORAL_ADDRESS });
  client = new Client({ connection });
});

after(async () => {
  for (const w of workers) await w.stop();
  await connection?.close();
  await db?.drop();
  await dropTemplate?.();
});

const PLAN: PlanInput = {
  database: 'primary',
  steps: ['preflight', 'schema', 'copy', 'embeddings', 'verify'],
  // Small batches and a pause between them: many rounds of slices, so both workers take some.
  copy: { batchSize: 1000, throttleMs: 20, parallelism: 4 },
  defects: { policy: 'quarantine' },
  embeddings: { index: { kind: 'ivfflat', lists: 10 } },
};

test('parallelism 4: ranges taken by two workers, one checkpoint each, the result equal to the contract', { timeout: 300_000 }, async () => {
  const queue = randomQueue('copy-ranges');
  for (let i = 0; i < 2; i++) {
    workers.push(await startWorkerProcess({ TEMPORAL_ADDRESS, STP_TASK_QUEUE: queue, STP_DATABASE_URL: db.url }));
  }
  const workflowId = `copy-ranges-${Date.now()}`;
  const run = await client.workflow.start(WorkflowTypes.upgrade, { taskQueue: queue, workflowId, args: [PLAN], workflowExecutionTimeout: '5 minutes' });
  const result = (await run.result()) as UpgradeResult;
  assert.equal(result.phase, 'completed', JSON.stringify(result).slice(0, 2000));
  assert.equal(result.report?.ok, true, result.report?.problems.join('; '));
  assert.deepEqual(await checkContract(db.pool, workflowId, null), []);

  const { rows: ranges } = await db.pool.query<{ rule: string; ranges: number | null; finished: boolean; rows_done: number; batches: number }>(
    `select rule, ranges, finished, rows_done::int, batches::int from stp_migration.checkpoints where run_id = $1 order by rule`,
    [workflowId],
  );
  console.log(`# checkpoints: ${ranges.map((r) => `${r.rule} ${r.rows_done} rows/${r.batches} batches${r.ranges ? ` (${r.ranges} ranges)` : ''}`).join(', ')}`);
  for (const rule of ['chunks', 'embeddings']) {
    const own = ranges.find((r) => r.rule === rule);
    assert.equal(own?.ranges, 4, `${rule} split into 4 ranges`);
    const parts = ranges.filter((r) => r.rule.startsWith(`${rule}#`));
    assert.equal(parts.length, 4);
    assert.ok(parts.every((r) => r.finished && r.batches > 0), `${rule}: every range copied and finished`);
    assert.equal(own?.finished, true);
    assert.equal(own?.rows_done, parts.reduce((n, r) => n + r.rows_done, 0), `${rule}: the rule's rows are the sum of its ranges`);
  }
  const chunks = await db.pool.query<{ n: number }>(
    `select count(*)::int as n from chunks_legacy c
      where not exists (select 1 from stp_migration.quarantine q where q.run_id = $1 and q.source_table = 'chunks_legacy' and q.row_key = c.id::text)`,
    [workflowId],
  );
  assert.equal(ranges.find((r) => r.rule === 'chunks')?.rows_done, chunks.rows[0].n, 'each legacy chunk copied once, in exactly one range');

  // Exactly once per range: no batch redone, and no key copied by two batches.
  const { rows: log } = await db.pool.query<{ rule: string; batches: number; keys: number; workers: number }>(
    `select rule, count(*)::int as batches, count(distinct last_key)::int as keys, count(distinct worker)::int as workers
       from stp_migration.batches where run_id = $1 and rule like '%#%' group by rule order by rule`,
    [workflowId],
  );
  for (const r of log) assert.equal(r.keys, r.batches, `${r.rule}: no batch redone`);
  const byWorker = await db.pool.query<{ worker: string; ranges: number; batches: number }>(
    `select worker, count(distinct rule)::int as ranges, count(*)::int as batches from stp_migration.batches
      where run_id = $1 and rule like '%#%' group by worker order by worker`,
    [workflowId],
  );
  console.log(`# batches by worker: ${byWorker.rows.map((r) => `${r.worker}: ${r.batches} batches in ${r.ranges} ranges`).join('; ')}`);
  const pids = new Set(workers.map((w) => String(w.child.pid)));
  assert.equal(byWorker.rows.length, 2, 'both worker processes copied ranges');
  assert.ok(byWorker.rows.every((r) => pids.has(r.worker.split('@')[0])), 'the batch log names the two worker processes');

  const progress = await run.query<Progress>(QueryNames.progress);
  for (const rule of ['chunks', 'embeddings'] as const) {
    assert.equal(progress.rules[rule]?.done, progress.rules[rule]?.total, `${rule}: progress shows the sum of the ranges as done`);
  }
  assert.equal(progress.redoneBatches, 0);
});
