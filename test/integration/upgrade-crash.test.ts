import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QueryNames, SignalNames, WorkflowTypes } from '../../common/names';
import type { PlanInput } from '../../common/plan';
import type { Progress } from '../../common/steps';
import type { UpgradeResult } from '../../common/upgrade-input';
import { startWorkerProcess } from '../helpers/processes';
import { TEMPORAL_ADDRESS } from '../helpers/temporal';
import { checkpoint, randomQueue, tableMd5, waitFor, workerProcessSuite } from './upgrade-support';

// kill -9 of the worker in the middle of the chunks copy: a new worker finishes the run, the target
// is byte for byte the one an uninterrupted run makes, and at most one batch per rule is redone.
const s = workerProcessSuite('upgrade_crash_tpl', { chunks: 100_000, dim: 32, defects: true, seed: 23, graph: false }, ['upgrade_crash_ref', 'upgrade_crash_run']);

const PLAN: PlanInput = {
  database: 'primary',
  steps: ['preflight', 'schema', 'copy', 'embeddings', 'verify'],
  copy: { batchSize: 2000 },
  defects: { policy: 'quarantine' },
  embeddings: { index: { kind: 'ivfflat', lists: 10 } },
};

async function worker(queue: string, db: { url: string }): Promise<Awaited<ReturnType<typeof startWorkerProcess>>> {
  const w = await startWorkerProcess({ TEMPORAL_ADDRESS, STP_TASK_QUEUE: queue, STP_DATABASE_URL: db.url });
  s.workers.push(w);
  return w;
}

test('a worker killed mid-copy: the run completes, identical to an uninterrupted one, at most one batch redone per rule', { timeout: 240_000 }, async () => {
  const started = Date.now();
  const refQueue = randomQueue('upgrade-crash-ref');
  const crashQueue = randomQueue('upgrade-crash');
  const [, first] = await Promise.all([worker(refQueue, s.dbs[0]), worker(crashQueue, s.dbs[1])]);

  const refId = `upgrade-crash-ref-${Date.now()}`;
  const crashId = `upgrade-crash-${Date.now()}`;
  const refRun = await s.client.workflow.start(WorkflowTypes.upgrade, { taskQueue: refQueue, workflowId: refId, args: [PLAN], workflowExecutionTimeout: '5 minutes' });
  // The throttle widens the window in which the chunks rule is half done; it is lifted after the kill.
  const slowPlan = { ...PLAN, copy: { batchSize: 2000, throttleMs: 150 } };
  const crashRun = await s.client.workflow.start(WorkflowTypes.upgrade, { taskQueue: crashQueue, workflowId: crashId, args: [slowPlan], workflowExecutionTimeout: '5 minutes' });

  const at = await waitFor('some committed batches of the chunks rule', async () => {
    const cp = await checkpoint(s.dbs[1].pool, 'chunks');
    return cp && cp.batches >= 5 && !cp.finished ? cp : undefined;
  }, 120_000, 25);
  first.child.kill('SIGKILL');
  await first.stop();
  const killed = await checkpoint(s.dbs[1].pool, 'chunks');
  assert.equal(killed?.finished, false, 'the chunks rule was not finished when the worker died');
  console.log(`# worker killed after ${at.batches} committed chunk batches (${killed?.batches} at exit), ${Math.round((Date.now() - started) / 1000)} s in`);

  await crashRun.signal(SignalNames.throttle, { throttleMs: 0 });
  await worker(crashQueue, s.dbs[1]);
  const [refResult, crashResult] = (await Promise.all([refRun.result(), crashRun.result()])) as UpgradeResult[];
  assert.equal(refResult.phase, 'completed');
  assert.equal(crashResult.phase, 'completed');
  assert.equal(crashResult.report?.ok, true, crashResult.report?.problems.join('; '));

  for (const table of ['chunks_unified', 'embeddings_v2']) {
    const [a, b] = await Promise.all([tableMd5(s.dbs[0].pool, table), tableMd5(s.dbs[1].pool, table)]);
    assert.equal(b, a, `${table}: the crashed run's rows equal the uninterrupted run's`);
  }
  const quarantine = `select md5(string_agg(concat_ws(' ', source_table, kind, reason, row_key, row::text), E'\\n' order by source_table, row_key, kind, reason)) as m
                        from stp_migration.quarantine`;
  const [qa, qb] = await Promise.all([s.dbs[0].pool.query(quarantine), s.dbs[1].pool.query(quarantine)]);
  assert.equal(qb.rows[0].m, qa.rows[0].m, 'the quarantines are equal');

  const { rows } = await s.dbs[1].pool.query<{ rule: string; batches: number; ranges: number }>(
    `select rule, count(*)::int as batches, count(distinct (first_key, last_key))::int as ranges
       from stp_migration.batches where run_id = $1 group by rule order by rule`,
    [crashId],
  );
  assert.ok(rows.some((r) => r.rule === 'chunks' && r.batches >= 50), JSON.stringify(rows));
  for (const r of rows) {
    console.log(`# rule ${r.rule}: ${r.batches} batches committed, ${r.ranges} distinct key ranges, ${r.batches - r.ranges} redone`);
    assert.ok(r.batches - r.ranges <= 1, `rule ${r.rule}: at most one batch redone`);
  }
  const progress = await crashRun.query<Progress>(QueryNames.progress);
  console.log(`# progress.redoneBatches = ${progress.redoneBatches}; test took ${Math.round((Date.now() - started) / 1000)} s`);
  assert.ok(progress.redoneBatches <= rows.length);
});
