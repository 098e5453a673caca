import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QueryNames, WorkflowTypes } from '../../common/names';
import type { PlanInput } from '../../common/plan';
import type { Progress } from '../../common/steps';
import type { UpgradeResult } from '../../common/upgrade-input';
import { checkContract } from '../helpers/contract';
import { copySpans, maxInFlight, overlapping } from '../helpers/copy-spans';
import { startWorkerProcess } from '../helpers/processes';
import { TEMPORAL_ADDRESS } from '../helpers/temporal';
import { randomQueue, workerProcessSuite } from './upgrade-support';

// plan.copy.parallelism: the large rules (tags too, by text_id) split into key ranges, and independent
// rules copied at the same time, by two worker processes on one task queue; never more activities in
// flight than the plan allows; every range has its own checkpoint; the result is the contract's.
const s = workerProcessSuite('copy_ranges_tpl', { chunks: 80_000, dim: 8, defects: true, seed: 29, graph: false }, ['copy_ranges_run']);

const PLAN: PlanInput = {
  database: 'primary',
  steps: ['preflight', 'schema', 'copy', 'embeddings', 'verify'],
  // Small batches and a pause between them: many rounds of slices, so both workers take some.
  copy: { batchSize: 1000, throttleMs: 20, parallelism: 4 },
  defects: { policy: 'quarantine' },
  embeddings: { index: { kind: 'ivfflat', lists: 10 } },
};

test('parallelism 4: ranges and rules at once, taken by two workers, one checkpoint each, the result equal to the contract', { timeout: 420_000 }, async () => {
  const queue = randomQueue('copy-ranges');
  for (let i = 0; i < 2; i++) {
    s.workers.push(await startWorkerProcess({ TEMPORAL_ADDRESS, STP_TASK_QUEUE: queue, STP_DATABASE_URL: s.db.url }));
  }
  const workflowId = `copy-ranges-${Date.now()}`;
  const run = await s.client.workflow.start(WorkflowTypes.upgrade, { taskQueue: queue, workflowId, args: [PLAN], workflowExecutionTimeout: '6 minutes' });
  const result = (await run.result()) as UpgradeResult;
  assert.equal(result.phase, 'completed', JSON.stringify(result).slice(0, 2000));
  assert.equal(result.report?.ok, true, result.report?.problems.join('; '));
  assert.deepEqual(await checkContract(s.db.pool, workflowId, null), []);

  const { rows: ranges } = await s.db.pool.query<{ rule: string; ranges: number | null; finished: boolean; rows_done: number; batches: number }>(
    `select rule, ranges, finished, rows_done::int, batches::int from stp_migration.checkpoints where run_id = $1 order by rule`,
    [workflowId],
  );
  console.log(`# checkpoints: ${ranges.map((r) => `${r.rule} ${r.rows_done} rows/${r.batches} batches${r.ranges ? ` (${r.ranges} ranges)` : ''}`).join(', ')}`);
  // ~25k tag groups: 2 ranges of at least MIN_RANGE_ROWS groups
  for (const [rule, n] of [['chunks', 4], ['tags', 2], ['embeddings', 4]] as const) {
    const own = ranges.find((r) => r.rule === rule);
    assert.equal(own?.ranges, n, `${rule} split into ${n} ranges`);
    const parts = ranges.filter((r) => r.rule.startsWith(`${rule}#`));
    assert.equal(parts.length, n);
    assert.ok(parts.every((r) => r.finished && r.batches > 0), `${rule}: every range copied and finished`);
    assert.equal(own?.finished, true);
    assert.equal(own?.rows_done, parts.reduce((n, r) => n + r.rows_done, 0), `${rule}: the rule's rows are the sum of its ranges`);
  }
  const chunks = await s.db.pool.query<{ n: number }>(
    `select count(*)::int as n from chunks_legacy c
      where not exists (select 1 from stp_migration.quarantine q where q.run_id = $1 and q.source_table = 'chunks_legacy' and q.row_key = c.id::text)`,
    [workflowId],
  );
  assert.equal(ranges.find((r) => r.rule === 'chunks')?.rows_done, chunks.rows[0].n, 'each legacy chunk copied once, in exactly one range');
  const tags = await s.db.pool.query<{ n: number }>(
    `select count(*)::int as n from chunk_tags_legacy t
      where not exists (select 1 from stp_migration.quarantine q where q.run_id = $1 and q.source_table = 'chunk_tags_legacy'
                          and q.row_key = t.chunk_id::text || '|' || t.tag_content)`,
    [workflowId],
  );
  assert.equal(ranges.find((r) => r.rule === 'tags')?.rows_done, tags.rows[0].n, 'each tag row copied once, its group in exactly one range');

  // Concurrency, from the history: rules at the same time on the workers, never above the plan's bound,
  // and the embeddings only once the chunks they need are in the target.
  const spans = copySpans(await run.fetchHistory());
  const slices = spans.filter((s) => s.activity === 'copySlice');
  assert.equal(maxInFlight(spans), 4, 'ranges x rules in flight reach plan.copy.parallelism and never exceed it');
  const both = overlapping(slices, 'chunks', 'tags', true);
  assert.ok(both, 'a chunks slice and a tags slice ran on the workers at the same time');
  const firstEmbedding = Math.min(...spans.filter((s) => s.rule === 'embeddings').map((s) => s.scheduledId));
  assert.ok(spans.filter((s) => ['chunks', 'templates', 'slots'].includes(s.rule)).every((s) => s.closedId < firstEmbedding), 'embeddings after the rules they need');
  const wall = (rule: string) => {
    const of = slices.filter((s) => s.rule === rule);
    return `${rule} ${((Math.max(...of.map((s) => s.closedMs)) - Math.min(...of.map((s) => s.startedMs))) / 1000).toFixed(1)} s`;
  };
  const all = (Math.max(...slices.map((s) => s.closedMs)) - Math.min(...slices.map((s) => s.startedMs))) / 1000;
  console.log(`# copy wall time per rule: ${['chunks', 'templates', 'slots', 'tags', 'embeddings'].map(wall).join(', ')}; all rules ${all.toFixed(1)} s`);

  // Exactly once per range: no batch redone, and no key copied by two batches.
  const { rows: log } = await s.db.pool.query<{ rule: string; batches: number; keys: number; workers: number }>(
    `select rule, count(*)::int as batches, count(distinct last_key)::int as keys, count(distinct worker)::int as workers
       from stp_migration.batches where run_id = $1 and rule like '%#%' group by rule order by rule`,
    [workflowId],
  );
  for (const r of log) assert.equal(r.keys, r.batches, `${r.rule}: no batch redone`);
  const byWorker = await s.db.pool.query<{ worker: string; ranges: number; batches: number }>(
    `select worker, count(distinct rule)::int as ranges, count(*)::int as batches from stp_migration.batches
      where run_id = $1 and rule like '%#%' group by worker order by worker`,
    [workflowId],
  );
  console.log(`# batches by worker: ${byWorker.rows.map((r) => `${r.worker}: ${r.batches} batches in ${r.ranges} ranges`).join('; ')}`);
  const pids = new Set(s.workers.map((w) => String(w.child.pid)));
  assert.equal(byWorker.rows.length, 2, 'both worker processes copied ranges');
  assert.ok(byWorker.rows.every((r) => pids.has(r.worker.split('@')[0])), 'the batch log names the two worker processes');

  const progress = await run.query<Progress>(QueryNames.progress);
  for (const rule of ['chunks', 'templates', 'slots', 'tags', 'embeddings'] as const) {
    assert.equal(progress.rules[rule]?.done, progress.rules[rule]?.total, `${rule}: progress shows the sum of the ranges as done`);
  }
  assert.equal(progress.redoneBatches, 0);
});
