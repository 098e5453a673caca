import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { FixtureSummary } from '../../fixtures/generate';
import type { PlanInput } from '../../common/plan';
import type { VerifyReport } from '../../common/steps';
import { runCliProcess, startWorkerProcess } from '../helpers/processes';
import { TEMPORAL_ADDRESS } from '../helpers/temporal';
import { assertSnapshotsEqual, snapshotDatabase } from '../helpers/snapshot';
import { cloneDatabase, fixtureTemplate, pgTools, randomQueue, tempDir, writePlan, type TestDb } from './upgrade-support';

// The whole data saga through the real CLI and a real worker process, on a 100k-chunk fixture with
// every defect kind: policy quarantine migrates everything else, policy block changes nothing.
const CHUNKS = 100_000;
let summary: FixtureSummary;
let dropTemplate: (() => Promise<void>) | undefined;
let qdb: TestDb;
let bdb: TestDb;
let worker: Awaited<ReturnType<typeof startWorkerProcess>> | undefined;
let env: NodeJS.ProcessEnv;
let dir: string;

before(async () => {
  const tpl = await fixtureTemplate('upgrade_full_tpl', { chunks: CHUNKS, dim: 32, defects: true, seed: 11 });
  summary = tpl.summary;
  dropTemplate = tpl.drop;
  qdb = await cloneDatabase(tpl.template, 'upgrade_full_q');
  bdb = await cloneDatabase(tpl.template, 'upgrade_full_b');
  dir = tempDir('upgrade-full');
  env = { TEMPORAL_ADDRESS, STP_TASK_QUEUE: randomQueue('upgrade-full'), STP_DATABASE_URL: qdb.url, STP_DATABASE_URL_BLOCKED: bdb.url };
  worker = await startWorkerProcess(env);
});

after(async () => {
  await worker?.stop();
  await qdb?.drop();
  await bdb?.drop();
  await dropTemplate?.();
});

function plan(extra: PlanInput): PlanInput {
  const tools = pgTools();
  return {
    copy: { batchSize: 5000 },
    embeddings: { index: { kind: 'ivfflat' } },
    backup: { dir: path.join(dir, 'backup'), pgDump: tools.pgDump, pgRestore: tools.pgRestore, testRestore: true },
    ...extra,
  };
}

describe('the data saga end to end', { concurrency: 2 }, () => {
  test('policy quarantine: completes, every legacy row migrated or quarantined, verify passes', { timeout: 330_000 }, async () => {
    const planFile = writePlan(dir, 'quarantine', plan({ database: 'primary', defects: { policy: 'quarantine' } }));
    const wf = `upgrade-full-${Date.now()}`;
    const run = await runCliProcess(['start', '--plan', planFile, '--workflow-id', wf, '--wait', '--json'], env, 300_000);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}\n${worker?.output().slice(-4000)}`);
    const out = JSON.parse(run.stdout) as { phase: string; report: VerifyReport };
    assert.equal(out.phase, 'completed');
    const report = out.report;
    assert.equal(report.ok, true, report.problems.join('; '));
    for (const [table, v] of Object.entries(report.legacy)) {
      assert.equal(v.rows, v.migrated + v.quarantined, `${table}: rows = migrated + quarantined`);
    }
    assert.equal(report.legacy.chunks_legacy.rows, summary.counts.chunks);
    assert.ok(report.checksums.length >= 6, 'a checksum per rule');
    for (const c of report.checksums) assert.equal(c.match, true, `checksum of rule ${c.rule}`);

    // Independently of the report: every injected defect and cascade row is in the quarantine.
    const { rows: q } = await qdb.pool.query<{ key: string }>(
      `select kind || ' ' || source_table || ' ' || row_key as key from stp_migration.quarantine where run_id = $1`,
      [wf],
    );
    const keys = new Set(q.map((r) => r.key));
    const kinds = new Set(q.map((r) => r.key.split(' ')[0]));
    let defects = 0;
    for (const [kind, ids] of Object.entries(summary.defects)) {
      assert.ok(ids.length > 0, `the fixture injected ${kind}`);
      assert.ok(kinds.has(kind), `quarantine has kind ${kind}`);
      for (const id of ids) {
        defects += 1;
        assert.ok(q.some((r) => r.key.startsWith(`${kind} `) && r.key.endsWith(` ${id}`)), `${kind} ${id} quarantined`);
      }
    }
    for (const c of summary.cascades) assert.ok(keys.has(`cascade ${c.table} ${c.id}`), `cascade ${c.table} ${c.id} quarantined`);
    console.log(`# ${defects} injected defect rows and ${summary.cascades.length} cascades found in the quarantine (${q.length} rows)`);

    // No legacy row is lost: each chunk, template, slot and embedding is in the target or quarantined.
    const lost = await qdb.pool.query<{ t: string; n: number }>(
      `select t, n from (
         select 'chunks_legacy' as t, count(*)::int as n from chunks_legacy l
          where not exists (select 1 from chunks_unified u where u.id = l.id and not u.is_template and not u.is_slot)
         union all select 'templates_legacy', count(*)::int from templates_legacy l
          where not exists (select 1 from chunks_unified u where u.id = l.id and u.is_template)
         union all select 'template_slots_legacy', count(*)::int from template_slots_legacy l
          where not exists (select 1 from chunks_unified u where u.id = l.id and u.is_slot)
         union all select 'embeddings_legacy', count(*)::int from embeddings_legacy l
          where not exists (select 1 from embeddings_v2 e where e.id = l.id)) x
        where n <> (select count(*) from stp_migration.quarantine q where q.run_id = $1 and q.source_table = x.t)`,
      [wf],
    );
    assert.deepEqual(lost.rows, [], 'legacy rows neither migrated nor quarantined (or quarantined and migrated)');

    // Target FKs exist and are validated; the vector index exists.
    const { rows: fks } = await qdb.pool.query<{ name: string; valid: boolean }>(
      `select conname as name, convalidated as valid from pg_constraint
        where contype = 'f' and conrelid in ('public.chunks_unified'::regclass, 'public.embeddings_v2'::regclass)`,
    );
    assert.equal(fks.length, 4, JSON.stringify(fks));
    for (const fk of fks) assert.equal(fk.valid, true, `${fk.name} validated`);
    const { rows: vix } = await qdb.pool.query(`select indexname from pg_indexes where tablename = 'embeddings_v2' and indexdef like '%ivfflat%'`);
    assert.equal(vix.length, 1, 'the ivfflat index on embeddings_v2');
    const { rows: runs } = await qdb.pool.query(`select status from stp_migration.runs where run_id = $1`, [wf]);
    assert.deepEqual(runs, [{ status: 'completed' }]);

    const verify = await runCliProcess(['verify', '--plan', planFile, '--json'], env, 180_000);
    assert.equal(verify.code, 0, `${verify.stdout}\n${verify.stderr}`);
    const again = JSON.parse(verify.stdout) as VerifyReport;
    assert.equal(again.ok, true);
    assert.deepEqual(again.target, report.target);
  });

  test('policy block: exit 2, the defects listed, nothing changed', { timeout: 200_000 }, async () => {
    const before = await snapshotDatabase(bdb.pool);
    const planFile = writePlan(dir, 'block', plan({ database: 'blocked', defects: { policy: 'block' } }));
    const wf = `upgrade-block-${Date.now()}`;
    const run = await runCliProcess(['start', '--plan', planFile, '--workflow-id', wf, '--wait', '--json'], env, 180_000);
    assert.equal(run.code, 2, `${run.stdout}\n${run.stderr}`);
    const out = JSON.parse(run.stdout) as { phase: string; error: string; progress: { defects: { counts: Record<string, number>; sample: { kind: keyof FixtureSummary['defects']; id: string }[] } } };
    assert.equal(out.phase, 'blocked');
    for (const [kind, ids] of Object.entries(summary.defects)) {
      // an id collision is counted once per row sharing the id
      if (kind === 'id_collision') assert.ok(out.progress.defects.counts[kind] >= 2 * ids.length, `count of ${kind}`);
      else assert.equal(out.progress.defects.counts[kind], ids.length, `count of ${kind}`);
    }
    assert.ok(out.progress.defects.sample.length > 0, 'defects are listed');
    for (const d of out.progress.defects.sample) assert.ok(summary.defects[d.kind].includes(d.id), `listed ${d.kind} ${d.id} is an injected defect`);
    assert.match(out.error, /defects\.policy is "block"/);
    assertSnapshotsEqual(await snapshotDatabase(bdb.pool), before);
  });
});
