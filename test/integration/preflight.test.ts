import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import { PreconditionError } from '../../common/errors';
import { parsePlan, type Plan, type PlanInput } from '../../common/plan';
import { DEFECT_KINDS, type DefectKind } from '../../common/steps';
import { createPreflightActivities } from '../../activities/preflight';
import { createQuarantineActivities } from '../../activities/quarantine';
import { createRunActivities, recordCreatedObject } from '../../activities/runs';
import { withClient } from '../../activities/db';
import { generateFixtures } from '../../fixtures/generate';
import { createTestDatabase } from '../helpers/pg';
import { insertClean, insertDefects, insertGraph, legacyDdl } from './defects-fixture';

function planFor(input: PlanInput): Plan {
  const r = parsePlan(input);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.plan;
}

/** Every user table's rows and the catalog's objects, as one digest. */
async function digest(pool: pg.Pool): Promise<string> {
  const { rows: tables } = await pool.query<{ t: string }>(
    `select c.oid::regclass::text as t from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') order by 1`,
  );
  const parts: string[] = [];
  for (const { t } of tables) {
    const { rows } = await pool.query<{ h: string | null }>(`select md5(string_agg(x::text, ',' order by x::text)) as h from ${t} x`);
    parts.push(`${t}=${rows[0].h}`);
  }
  const { rows } = await pool.query<{ h: string }>(
    `select md5(string_agg(format('%s.%s:%s', n.nspname, c.relname, c.relkind), ',' order by n.nspname, c.relname)) ||
            (select string_agg(extname || extversion, ',' order by extname) from pg_extension) as h
       from pg_class c join pg_namespace n on n.oid = c.relnamespace`,
  );
  return `${parts.join('\n')}\n${rows[0].h}`;
}

const refusal = (re: RegExp) => (err: unknown) => err instanceof PreconditionError && re.test(err.message);

describe('preflight preconditions and the run lease', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const pools = { get: () => db.pool };
  const plan = planFor({ schema: 'legacy', graph: { source: { kind: 'age', graph: 'legacy_kg' } } });
  const preflight = (runId: string, p = plan) => createPreflightActivities({ pools }).preflight({ runId, plan: p });
  const runs = createRunActivities({ pools });

  before(async () => {
    db = await createTestDatabase('a1_preflight');
    await db.pool.query(legacyDdl('legacy') + legacyDdl('partial'));
    await db.pool.query(`drop table partial.chunk_tags_legacy, partial.texts`);
    await insertClean(db.pool, 'legacy');
    await insertDefects(db.pool, 'legacy');
    await insertGraph(db.pool, 'legacy_kg', true);
  });
  after(async () => db?.drop());

  test('preflight changes nothing, and does not create stp_migration', async () => {
    const before = await digest(db.pool);
    const r = await preflight('run-ro');
    assert.ok(Object.keys(r.defectCounts).length > 0);
    await createQuarantineActivities({ pools }).quarantineDefects({ runId: 'run-ro', plan });
    assert.equal(await digest(db.pool), before);
    const { rows } = await db.pool.query(`select 1 from pg_namespace where nspname = 'stp_migration'`);
    assert.equal(rows.length, 0);
  });

  test('missing legacy tables are named with the plan field to fix', async () => {
    await assert.rejects(
      preflight('run-x', planFor({ schema: 'partial', graph: { source: { kind: 'age', graph: 'legacy_kg' } } })),
      refusal(/legacy table\(s\) missing in schema "partial" of database primary: texts \(plan.legacy.texts\), chunk_tags_legacy \(plan.legacy.tags\)/),
    );
  });

  test('a missing legacy graph is refused unless the graph is optional', async () => {
    await assert.rejects(preflight('run-x', planFor({ schema: 'legacy', graph: { source: { kind: 'age', graph: 'nope_kg' } } })),
      refusal(/legacy graph "nope_kg" does not exist.*plan.graph.optional: true/));
  });

  test('target tables and graph that this run did not create are refused, with how to resolve', async () => {
    await db.pool.query(`create table legacy.chunks_unified (id uuid)`);
    await db.pool.query(`load 'age'; select ag_catalog.create_graph('knowledge_graph_v2')`);
    try {
      await assert.rejects(preflight('run-t'), refusal(/target table legacy.chunks_unified already exists and was not created by run run-t \(not created by stp-upgrade\): drop it .*DROP TABLE legacy.chunks_unified.*plan.target.chunks/));
      await assert.rejects(preflight('run-t'), refusal(/target graph "knowledge_graph_v2" already exists and was not created by run run-t/));
      await runs.acquireRun({ runId: 'run-t', plan, workflowId: 'wf-t' });
      await withClient(db.pool, async (c) => {
        await recordCreatedObject(c, 'run-t', 'table', 'legacy.chunks_unified');
        await recordCreatedObject(c, 'run-t', 'graph', 'knowledge_graph_v2');
      });
      await preflight('run-t'); // a retry of the same run accepts what it created
      // a live run's table: never a hint to drop it (issue 10)
      await assert.rejects(preflight('run-u'), (err: unknown) => refusal(/legacy\.chunks_unified is in use \(created by run run-t, status running\): wait for that run to finish or abort it/)(err) && !/DROP TABLE/.test((err as Error).message));
    } finally {
      await runs.forgetRun({ runId: 'run-t', plan, dropBookkeeping: true });
      await db.pool.query(`drop table legacy.chunks_unified; select ag_catalog.drop_graph('knowledge_graph_v2', true)`);
    }
  });

  test('the lease: one active run; idempotent acquire; release; forget drops what the run created', async () => {
    assert.deepEqual(await runs.acquireRun({ runId: 'run-a', plan, workflowId: 'wf-a' }), { createdBookkeeping: true });
    assert.deepEqual(await runs.acquireRun({ runId: 'run-a', plan, workflowId: 'wf-a' }), { createdBookkeeping: true });
    await assert.rejects(runs.acquireRun({ runId: 'run-b', plan, workflowId: 'wf-b' }), refusal(/another upgrade run is active on database primary: run run-a \(workflow wf-a, running since/));
    await assert.rejects(preflight('run-b'), refusal(/another upgrade run is active.*run-a/));
    await preflight('run-a');
    await runs.releaseRun({ runId: 'run-a', plan, status: 'completed', report: { ok: true } });
    const { rows } = await db.pool.query(`select status, report, finished_at is not null as finished from stp_migration.runs where run_id = 'run-a'`);
    assert.deepEqual(rows, [{ status: 'completed', report: { ok: true }, finished: true }]);
    assert.deepEqual(await runs.acquireRun({ runId: 'run-b', plan, workflowId: 'wf-b' }), { createdBookkeeping: false });
    await db.pool.query(`insert into stp_migration.quarantine (run_id, source_table, kind, reason, row, row_key) values ('run-b', 't', 'k', 'r', '{}', 'x')`);
    await runs.forgetRun({ runId: 'run-b', plan, dropBookkeeping: false });
    const left = await db.pool.query(`select (select count(*)::int from stp_migration.runs where run_id = 'run-b') + (select count(*)::int from stp_migration.quarantine where run_id = 'run-b') as n`);
    assert.equal(left.rows[0].n, 0);
    await runs.forgetRun({ runId: 'run-a', plan, dropBookkeeping: true });
    const schema = await db.pool.query(`select 1 from pg_namespace where nspname = 'stp_migration'`);
    assert.equal(schema.rows.length, 0);
    await runs.forgetRun({ runId: 'run-a', plan, dropBookkeeping: true }); // idempotent
  });

  test('a finished run id started again starts clean', async () => {
    await runs.acquireRun({ runId: 'run-z', plan, workflowId: 'wf-z' });
    await db.pool.query(`insert into stp_migration.checkpoints (run_id, rule, finished) values ('run-z', 'chunks', true)`);
    await db.pool.query(`create table legacy.chunks_unified (id uuid)`);
    await withClient(db.pool, (c) => recordCreatedObject(c, 'run-z', 'table', 'legacy.chunks_unified'));
    await runs.releaseRun({ runId: 'run-z', plan, status: 'completed' });
    try {
      await assert.rejects(preflight('run-z'), refusal(/legacy.chunks_unified already exists .*created by run run-z, status completed/));
      await runs.acquireRun({ runId: 'run-z', plan, workflowId: 'wf-z2' });
      const { rows } = await db.pool.query(
        `select (select count(*)::int from stp_migration.checkpoints where run_id = 'run-z') as checkpoints,
                (select created_objects from stp_migration.runs where run_id = 'run-z') as objs`,
      );
      assert.deepEqual(rows, [{ checkpoints: 0, objs: [] }]);
    } finally {
      await runs.forgetRun({ runId: 'run-z', plan, dropBookkeeping: true });
      await db.pool.query(`drop table legacy.chunks_unified`);
    }
  });

  test('two runs acquiring at once: exactly one wins', async () => {
    const results = await Promise.allSettled(['run-p', 'run-q', 'run-r'].map((runId) => runs.acquireRun({ runId, plan, workflowId: runId })));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof PreconditionError, String(r.reason));
    for (const runId of ['run-p', 'run-q', 'run-r']) await runs.forgetRun({ runId, plan, dropBookkeeping: true });
  });
});

describe('preflight without the extensions', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const pools = { get: () => db.pool };
  before(async () => {
    db = await createTestDatabase('a1_noext', { extensions: [] });
    await db.pool.query(legacyDdl('public', 'real[]'));
  });
  after(async () => db?.drop());

  test('missing vector (and age) are refused with the command that fixes it', async () => {
    const preflight = createPreflightActivities({ pools }).preflight;
    await assert.rejects(preflight({ runId: 'r', plan: planFor({}) }), (err: unknown) => {
      assert.ok(err instanceof PreconditionError);
      assert.match(err.message, /extension vector is not installed in database primary: run CREATE EXTENSION vector as a superuser/);
      assert.match(err.message, /extension age is not installed in database primary: run CREATE EXTENSION age as a superuser, or set plan.graph.optional: true/);
      return true;
    });
    await assert.rejects(preflight({ runId: 'r', plan: planFor({ graph: { optional: true } }) }), (err: unknown) => {
      assert.ok(err instanceof PreconditionError);
      assert.doesNotMatch(err.message, /age/);
      return true;
    });
  });
});

describe('preflight and quarantine on generated fixtures (100k chunks)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const pools = { get: () => db.pool };
  let summary: Awaited<ReturnType<typeof generateFixtures>>;
  before(async () => {
    db = await createTestDatabase('a1_fixtures');
    summary = await generateFixtures(db.pool, { chunks: 100_000, defects: true, dim: 8 });
  });
  after(async () => db?.drop());

  test('finds exactly the injected defects, in seconds', async () => {
    const plan = planFor({});
    const start = Date.now();
    const r = await createPreflightActivities({ pools }).preflight({ runId: 'gen', plan, defectLimit: 100_000 });
    const ms = Date.now() - start;
    console.log(`preflight on ${summary.counts.chunks} chunks, ${summary.counts.embeddings} embeddings: ${ms} ms`);
    for (const kind of DEFECT_KINDS) {
      const ids = [...new Set(r.defects.filter((d) => d.kind === kind).map((d) => d.id))].sort();
      assert.deepEqual(ids, [...new Set(summary.defects[kind as DefectKind])].sort(), kind);
    }
    assert.ok(ms < 60_000, `preflight took ${ms} ms`);
  });

  test('quarantines every defect and every cascade row', async () => {
    const plan = planFor({ defects: { policy: 'quarantine' } });
    const start = Date.now();
    const q = await createQuarantineActivities({ pools }).quarantineDefects({ runId: 'gen', plan, defectLimit: 100_000 });
    console.log(`quarantine: ${Date.now() - start} ms`, q.quarantined);
    // the one detection pass under policy quarantine reports what preflight would have
    for (const kind of DEFECT_KINDS) {
      const ids = [...new Set(q.defects.filter((d) => d.kind === kind).map((d) => d.id))].sort();
      assert.deepEqual(ids, [...new Set(summary.defects[kind as DefectKind])].sort(), kind);
    }
    const { rows } = await db.pool.query<{ source_table: string; row_key: string; kind: string }>(
      `select source_table, row_key, kind from stp_migration.quarantine where run_id = 'gen'`,
    );
    const cascade = new Set(rows.filter((r) => r.kind === 'cascade').map((r) => `${r.source_table} ${r.row_key}`));
    for (const c of summary.cascades) assert.ok(cascade.has(`${c.table} ${c.id}`), `cascade ${c.table} ${c.id}`);
    const keys = new Set(rows.map((r) => r.row_key));
    for (const kind of DEFECT_KINDS) for (const id of summary.defects[kind]) assert.ok(keys.has(id), `${kind} ${id}`);
  });
});
