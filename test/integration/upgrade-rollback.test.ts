import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { type Client, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { QueryNames, WorkflowTypes } from '../../common/names';
import type { PlanInput } from '../../common/plan';
import type { Progress } from '../../common/steps';
import { EnvPools } from '../../workers/databases';
import { filesUnder, mountTmpfs, wrapTool } from '../helpers/full-disk';
import { runCliProcess } from '../helpers/processes';
import { TEMPORAL_ADDRESS } from '../helpers/temporal';
import { assertSnapshotsEqual, snapshotDatabase, type DatabaseSnapshot } from '../helpers/snapshot';
import { ensureBookkeeping } from '../../activities/bookkeeping';
import { checkpoint, cloneDatabase, fixtureTemplate, pgTools, randomQueue, startInProcessWorker, tempDir, waitFor, writePlan, type TestDb } from './upgrade-support';

// Every way a run can end early, against the real database and Temporal: a failure at each step,
// the abort signal, a cancellation. Each must leave the database exactly as it was before the run;
// a compensation that fails must say so (rollback_failed, exit 3).

/** Decides what an activity call does for one workflow: `call` runs the real activity. */
type Injection = (name: string, input: Record<string, unknown>, call: () => Promise<unknown>) => Promise<unknown>;

const injections = new Map<string, Injection>();
/** Plan database name -> its test database; the database state when the injected failure struck. */
const testDbs = new Map<string, TestDb>();
const atFailure = new Map<string, DatabaseSnapshot>();
const dbEnv: NodeJS.ProcessEnv = {};
const pools = new EnvPools(dbEnv);
const taskQueue = randomQueue('upgrade-rollback');
const cliEnv = { TEMPORAL_ADDRESS, STP_TASK_QUEUE: taskQueue };
let template: string;
let dropTemplate: (() => Promise<void>) | undefined;
let dir: string;
let stopWorker: (() => Promise<void>) | undefined;
let client: Client;

function injected(name: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`injected failure in ${name}`, 'InjectedFailure');
}

/** Fails the nth matching call before it runs (`when: 'before'`) or after it has done its work. */
function fail(activity: string, opts: { when?: 'before' | 'after'; nth?: number; match?: (input: Record<string, unknown>) => boolean } = {}): Injection {
  let calls = 0;
  return async (name, input, call) => {
    if (name !== activity || !(opts.match?.(input) ?? true)) return call();
    calls += 1;
    if (calls !== (opts.nth ?? 1)) return call();
    if ((opts.when ?? 'after') === 'after') await call();
    const db = testDbs.get((input.plan as { database: string }).database);
    if (db) atFailure.set(db.name, await snapshotDatabase(db.pool));
    throw injected(name);
  };
}

function both(a: Injection, b: Injection): Injection {
  return (name, input, call) => a(name, input, () => b(name, input, call));
}

before(async () => {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const tpl = await fixtureTemplate('upgrade_rb_tpl', { chunks: 3000, dim: 8, defects: true, seed: 5 });
  template = tpl.template;
  dropTemplate = tpl.drop;
  dir = tempDir('upgrade-rollback');
  const real = createActivities({ pools, resolveUrl: (db) => pools.url(db), stateRoot: path.join(dir, 'state'), env: dbEnv }) as unknown as Record<string, (input: unknown) => Promise<unknown>>;
  const activities = Object.fromEntries(
    Object.entries(real).map(([name, fn]) => [
      name,
      (input: Record<string, unknown>) => {
        const inject = injections.get(Context.current().info.workflowExecution?.workflowId ?? "");
        return inject ? inject(name, input, () => fn(input)) : fn(input);
      },
    ]),
  );
  ({ client, stop: stopWorker } = await startInProcessWorker(taskQueue, activities));
});

after(async () => {
  await stopWorker?.();
  await pools.close();
  await dropTemplate?.();
});

let seq = 0;

/** A fresh copy of the fixture, its snapshot, and a plan for it that the worker resolves. */
async function scenario(label: string, copy: { batchSize: number; throttleMs?: number } = { batchSize: 200 }) {
  const name = `rb_${label}`;
  const db: TestDb = await cloneDatabase(template, `upgrade_${name}`);
  dbEnv[`STP_DATABASE_URL_${name.toUpperCase()}`] = db.url;
  testDbs.set(name, db);
  const tools = pgTools();
  const plan: PlanInput = {
    database: name,
    copy,
    defects: { policy: 'quarantine' },
    backup: { dir: path.join(dir, 'backup', name), pgDump: tools.pgDump, pgRestore: tools.pgRestore, testRestore: false },
    graph: { batchSize: 500 },
  };
  const before = await snapshotDatabase(db.pool);
  return { db, plan, before, workflowId: `upgrade-rb-${label}-${Date.now()}-${++seq}` };
}

async function failureOf(handle: WorkflowHandle): Promise<WorkflowFailedError> {
  const err = await handle.result().then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof WorkflowFailedError, `the run failed (${String(err)})`);
  return err;
}

async function assertRolledBack(handle: WorkflowHandle, db: TestDb, before: DatabaseSnapshot, phase = 'rolled_back'): Promise<Progress> {
  const progress = await handle.query<Progress>(QueryNames.progress);
  assert.equal(progress.phase, phase, progress.error);
  for (const c of progress.compensations) assert.equal(c.status, 'done', `compensation ${c.step}: ${c.error ?? ''}`);
  assertSnapshotsEqual(await snapshotDatabase(db.pool), before, `after ${progress.error}`);
  return progress;
}

/** `status ID --json` of a rolled-back run: phase rolled_back, exit 1, and when, why and by what. */
async function assertStatusRolledBack(workflowId: string, trigger: string, reason: RegExp): Promise<void> {
  const r = await runCliProcess(['status', workflowId, '--json'], cliEnv, 30_000);
  assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
  const out = JSON.parse(r.stdout) as { phase: string; rolledBack: { at: string; reason: string; by: string; trigger: string } | null };
  assert.equal(out.phase, 'rolled_back');
  assert.ok(out.rolledBack, r.stdout);
  assert.equal(out.rolledBack.trigger, trigger);
  assert.match(out.rolledBack.reason, reason);
  const at = Date.parse(out.rolledBack.at);
  assert.ok(at > Date.now() - 5 * 60_000 && at <= Date.now(), `rolled back at ${out.rolledBack.at}`);
  const text = await runCliProcess(['status', workflowId], cliEnv, 30_000);
  assert.match(text.stdout, new RegExp(`Rolled back at ${out.rolledBack.at} by \\S+ \\(${trigger}\\): `));
}

const bookkeepingExists = async (db: TestDb) => (await db.pool.query(`select 1 from pg_namespace where nspname = 'stp_migration'`)).rowCount === 1;

/** [label, injection, the step that fails, whether the database had changed when it failed]. */
const CASES: [string, Injection, string, boolean][] = [
  ['preflight', fail('preflight', { when: 'before' }), 'preflight', false],
  ['acquire', fail('acquireRun', { when: 'before' }), 'preflight', false],
  ['backup', fail('backup'), 'backup', true],
  ['schema', fail('createTargetSchema'), 'schema', true],
  ['quarantine', fail('quarantineDefects'), 'copy', true],
  ['copy', fail('copySlice', { nth: 3 }), 'copy', true],
  ['finish', fail('finishTargetSchema'), 'embeddings', true],
  ['vector_index', fail('buildVectorIndex'), 'embeddings', true],
  ['prepare_graph', fail('prepareGraph'), 'graph', true],
  ['graph_copy', fail('copySlice', { match: (i) => i.rule === 'graph' }), 'graph', true],
  ['verify', fail('verify', { when: 'before' }), 'verify', true],
  ['release', fail('releaseRun', { when: 'before', match: (i) => i.status === 'completed' }), 'verify', true],
];

describe('a failure at each step rolls everything back', { concurrency: 2 }, () => {
  for (const [label, inject, step, changed] of CASES) {
    test(`failure in ${label}: the database is as before the run`, { timeout: 90_000 }, async () => {
      const s = await scenario(label);
      try {
        injections.set(s.workflowId, inject);
        const handle = await client.workflow.start(WorkflowTypes.upgrade, { taskQueue, workflowId: s.workflowId, args: [s.plan], workflowExecutionTimeout: '2 minutes' });
        const err = await failureOf(handle);
        assert.match(String(err.cause?.message), /injected failure/);
        // A failed preflight has nothing to undo: the run ends as blocked (exit 2), not rolled back.
        const p = await assertRolledBack(handle, s.db, s.before, label === 'preflight' ? 'blocked' : 'rolled_back');
        assert.match(p.error ?? '', new RegExp(`^${step}: injected failure`));
        const mid = atFailure.get(s.db.name);
        assert.ok(mid, 'the injected failure struck');
        if (changed) assert.notDeepEqual(mid, s.before, 'the run had changed the database when it failed');
        else assert.deepEqual(mid, s.before);
      } finally {
        await s.db.drop();
      }
    });
  }
});

/** Starts a run whose chunks copy is slow enough to be interrupted, and waits until it has committed batches. */
async function startSlowCopy(label: string) {
  const s = await scenario(label, { batchSize: 100, throttleMs: 250 });
  const handle = await client.workflow.start(WorkflowTypes.upgrade, { taskQueue, workflowId: s.workflowId, args: [s.plan], workflowExecutionTimeout: '2 minutes' });
  await waitFor('committed chunk batches', async () => ((await checkpoint(s.db.pool, 'chunks'))?.batches ?? 0) >= 3, 60_000, 50);
  return { ...s, handle };
}

test('the snapshot notices a changed byte, a new index and a leftover schema', async () => {
  const db = await cloneDatabase(template, 'upgrade_rb_snapshot');
  try {
    let prev = await snapshotDatabase(db.pool);
    const changes: [string, RegExp][] = [
      [`update texts set title = title || ' ' where id = (select id from texts order by id limit 1)`, /rows differ/],
      [`create index texts_title on texts (title)`, /relations differ/],
      [`create schema stp_migration`, /schemas differ/],
    ];
    for (const [sql, what] of changes) {
      await db.pool.query(sql);
      const next = await snapshotDatabase(db.pool);
      assert.throws(() => assertSnapshotsEqual(next, prev), what, sql);
      prev = next;
    }
  } finally {
    await db.drop();
  }
});

describe('stopping a run during the copy', { concurrency: 2 }, () => {
  test('abort from the CLI: the compensations run, the database is as before', { timeout: 90_000 }, async () => {
    const s = await startSlowCopy('abort');
    try {
      const r = await runCliProcess(['abort', s.workflowId, '--reason', 'test'], cliEnv, 30_000);
      assert.equal(r.code, 0, r.stderr);
      const err = await failureOf(s.handle);
      assert.match(String(err.cause?.message), /aborted by the operator: test/);
      const p = await assertRolledBack(s.handle, s.db, s.before);
      assert.ok(p.compensations.length >= 3, JSON.stringify(p.compensations));
      await assertStatusRolledBack(s.workflowId, 'abort', /^copy: aborted by the operator: test$/);
    } finally {
      await s.db.drop();
    }
  });

  test('stp-upgrade rollback of the open run: it rolls itself back, status names the rollback', { timeout: 90_000 }, async () => {
    const s = await startSlowCopy('rollback_open');
    try {
      const r = await runCliProcess(['rollback', s.workflowId, '--reason', 'bad numbers'], cliEnv, 80_000);
      assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /was aborted and rolled itself back/);
      await assertRolledBack(s.handle, s.db, s.before);
      await assertStatusRolledBack(s.workflowId, 'rollback', /^copy: aborted by the operator: bad numbers$/);
    } finally {
      await s.db.drop();
    }
  });

  test('workflow cancellation: the compensations run, the database is as before', { timeout: 90_000 }, async () => {
    const s = await startSlowCopy('cancel');
    try {
      await s.handle.cancel();
      const err = await failureOf(s.handle);
      assert.ok(err.cause instanceof CancelledFailure, String(err.cause));
      const p = await assertRolledBack(s.handle, s.db, s.before);
      assert.ok(p.compensations.length >= 3, JSON.stringify(p.compensations));
      await assertStatusRolledBack(s.workflowId, 'cancellation', /^workflow cancelled$/);
    } finally {
      await s.db.drop();
    }
  });
});

test('a compensation that fails: phase rollback_failed, status shows it, start --wait exits 3', { timeout: 90_000 }, async () => {
  const s = await scenario('comp_fails');
  try {
    injections.set(s.workflowId, both(fail('copySlice', { nth: 2 }), fail('dropTargetSchema', { when: 'before' })));
    const planFile = writePlan(dir, 'comp-fails', s.plan);
    const start = await runCliProcess(['start', '--plan', planFile, '--workflow-id', s.workflowId, '--wait', '--json'], cliEnv, 80_000);
    assert.equal(start.code, 3, `${start.stdout}\n${start.stderr}`);
    assert.equal(JSON.parse(start.stdout).phase, 'rollback_failed');
    const status = await runCliProcess(['status', s.workflowId, '--json'], cliEnv, 30_000);
    assert.equal(status.code, 3, status.stderr);
    const out = JSON.parse(status.stdout) as { phase: string; error: string; progress: Progress };
    assert.equal(out.phase, 'rollback_failed');
    assert.match(out.error, /rollback failed at schema\.dropTargetSchema/);
    const failed = out.progress.compensations.find((c) => c.status === 'failed');
    assert.equal(failed?.step, 'schema.dropTargetSchema');
    const { rows } = await s.db.pool.query(`select status from stp_migration.runs where run_id = $1`, [s.workflowId]);
    assert.deepEqual(rows, [{ status: 'rollback_failed' }]);
  } finally {
    await s.db.drop();
  }
});

test('a failed step: status says rolled_back, when and why', { timeout: 90_000 }, async () => {
  const s = await scenario('status_failure');
  try {
    injections.set(s.workflowId, fail('createTargetSchema'));
    const handle = await client.workflow.start(WorkflowTypes.upgrade, { taskQueue, workflowId: s.workflowId, args: [s.plan], workflowExecutionTimeout: '2 minutes' });
    await failureOf(handle);
    await assertRolledBack(handle, s.db, s.before);
    await assertStatusRolledBack(s.workflowId, 'failure', /^schema: injected failure in createTargetSchema$/);
  } finally {
    await s.db.drop();
  }
});

describe('stp-upgrade rollback ID of a completed run', { concurrency: 2 }, () => {
  test('leaves the database as before the run, stp_migration included; status says rolled_back', { timeout: 120_000 }, async () => {
    const s = await scenario('rollback_id');
    try {
      const handle = await client.workflow.start(WorkflowTypes.upgrade, { taskQueue, workflowId: s.workflowId, args: [s.plan], workflowExecutionTimeout: '2 minutes' });
      await handle.result();
      assert.ok(await bookkeepingExists(s.db), 'the run created stp_migration');
      const r = await runCliProcess(['rollback', s.workflowId, '--reason', 'search latency'], cliEnv, 90_000);
      assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /reverted: .*schema\.dropTargetSchema, preflight\.forgetRun/);
      assertSnapshotsEqual(await snapshotDatabase(s.db.pool), s.before, 'after stp-upgrade rollback');
      await assertStatusRolledBack(s.workflowId, 'rollback', /^search latency$/);
      const again = await runCliProcess(['rollback', s.workflowId], cliEnv, 30_000);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /already rolled back \(.* by .*-rollback: search latency\)/);
    } finally {
      await s.db.drop();
    }
  });

  test('keeps an stp_migration that existed before the run, without a trace of the run', { timeout: 120_000 }, async () => {
    const s = await scenario('rollback_id_kept');
    try {
      // an earlier, finished run left the bookkeeping schema behind
      await ensureBookkeeping(s.db.pool);
      await s.db.pool.query(`insert into stp_migration.runs (run_id, status, finished_at) values ('earlier-run', 'completed', now())`);
      const before = await snapshotDatabase(s.db.pool);
      const handle = await client.workflow.start(WorkflowTypes.upgrade, { taskQueue, workflowId: s.workflowId, args: [s.plan], workflowExecutionTimeout: '2 minutes' });
      await handle.result();
      const r = await runCliProcess(['rollback', s.workflowId], cliEnv, 90_000);
      assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
      assertSnapshotsEqual(await snapshotDatabase(s.db.pool), before, 'after stp-upgrade rollback');
      await assertStatusRolledBack(s.workflowId, 'rollback', /^emergency rollback \(.*-rollback\)$/);
    } finally {
      await s.db.drop();
    }
  });
});

describe('a full disk during the backup', { concurrency: 1 }, () => {
  /** The backup's attempts as the history records them (a retried activity's Started event carries its attempt). */
  async function backupAttempts(handle: WorkflowHandle): Promise<number[]> {
    const { events } = await handle.fetchHistory();
    const scheduled = new Map<string, string>();
    const attempts: number[] = [];
    for (const e of events ?? []) {
      const sch = e.activityTaskScheduledEventAttributes;
      if (sch) scheduled.set(String(e.eventId), sch.activityType?.name ?? '');
      const st = e.activityTaskStartedEventAttributes;
      if (st && scheduled.get(String(st.scheduledEventId)) === 'backup') attempts.push(st.attempt ?? 0);
    }
    return attempts;
  }

  const cases: [string, string, (mnt: string) => string | undefined, RegExp][] = [
    ['too small from the start', '64k', () => undefined, /has too little free space for the backup/],
    // another process takes every free block just as pg_dump starts
    ['filled during the dump', '16m', (mnt) => wrapTool(dir, pgTools().pgDump, `dd if=/dev/zero of="${mnt}/filler" bs=64k 2>/dev/null || true`), /ran out of space during the dump/],
  ];
  for (const [label, size, pgDump, what] of cases) {
    test(`${label}: one attempt, rolled back, no file left that looks like a backup`, { timeout: 90_000 }, async () => {
      const s = await scenario(`full_${size}`);
      const disk = mountTmpfs(size);
      try {
        const tool = pgDump(disk.dir);
        const plan = { ...s.plan, backup: { ...s.plan.backup, dir: disk.dir, ...(tool ? { pgDump: tool } : {}) } };
        const handle = await client.workflow.start(WorkflowTypes.upgrade, { taskQueue, workflowId: s.workflowId, args: [plan], workflowExecutionTimeout: '2 minutes' });
        const err = await failureOf(handle);
        const message = String(err.cause?.message);
        assert.match(message, new RegExp(`^backup: plan\\.backup\\.dir "${disk.dir}" `));
        assert.match(message, what);
        assert.match(message, /about \d+(\.\d)? (KiB|MiB) needed \(the dumped tables' size\), \d+(\.\d)? (bytes|KiB|MiB) free/);
        assert.deepEqual(await backupAttempts(handle), [1], 'out of space is not retried');
        await assertRolledBack(handle, s.db, s.before);
        assert.deepEqual(filesUnder(disk.dir).filter((f) => f !== 'filler'), []);
      } finally {
        disk.unmount();
        await s.db.drop();
      }
    });
  }
});
