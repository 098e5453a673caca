"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_path_1 = __importDefault(require("node:path"));
const processes_1 = require("../helpers/processes");
const temporal_1 = require("../helpers/temporal");
const snapshot_1 = require("../helpers/snapshot");
const upgrade_support_1 = require("./upgrade-support");
// The whole data saga through the real CLI and a real worker process, on a 100k-chunk fixture with
// every defect kind: policy quarantine migrates everything else, policy block changes nothing.
const CHUNKS = 100_000;
let summary;
let dropTemplate;
let qdb;
let bdb;
let worker;
let env;
let dir;
(0, node_test_1.before)(async () => {
    const tpl = await (0, upgrade_support_1.fixtureTemplate)('upgrade_full_tpl', { chunks: CHUNKS, dim: 32, defects: true, seed: 11 });
    summary = tpl.summary;
    dropTemplate = tpl.drop;
    qdb = await (0, upgrade_support_1.cloneDatabase)(tpl.template, 'upgrade_full_q');
    bdb = await (0, upgrade_support_1.cloneDatabase)(tpl.template, 'upgrade_full_b');
    dir = (0, upgrade_support_1.tempDir)('upgrade-full');
    env = { TEMPORAL_ADDRESS: temporal_1.TEMPORAL_ADDRESS, STP_TASK_QUEUE: (0, upgrade_support_1.randomQueue)('upgrade-full'), STP_DATABASE_URL: qdb.url, STP_DATABASE_URL_BLOCKED: bdb.url };
    worker = await (0, processes_1.startWorkerProcess)(env);
});
(0, node_test_1.after)(async () => {
    await worker?.stop();
    await qdb?.drop();
    await bdb?.drop();
    await dropTemplate?.();
});
function plan(extra) {
    const tools = (0, upgrade_support_1.pgTools)();
    return {
        copy: { batchSize: 5000 },
        embeddings: { index: { kind: 'ivfflat' } },
        backup: { dir: node_path_1.default.join(dir, 'backup'), pgDump: tools.pgDump, pgRestore: tools.pgRestore, testRestore: true },
        ...extra,
    };
}
(0, node_test_1.describe)('the data saga end to end', { concurrency: 2 }, () => {
    (0, node_test_1.test)('policy quarantine: completes, every legacy row migrated or quarantined, verify passes', { timeout: 330_000 }, async () => {
        const planFile = (0, upgrade_support_1.writePlan)(dir, 'quarantine', plan({ database: 'primary', defects: { policy: 'quarantine' } }));
        const wf = `upgrade-full-${Date.now()}`;
        const run = await (0, processes_1.runCliProcess)(['start', '--plan', planFile, '--workflow-id', wf, '--wait', '--json'], env, 300_000);
        strict_1.default.equal(run.code, 0, `${run.stdout}\n${run.stderr}\n${worker?.output().slice(-4000)}`);
        const out = JSON.parse(run.stdout);
        strict_1.default.equal(out.phase, 'completed');
        const report = out.report;
        strict_1.default.equal(report.ok, true, report.problems.join('; '));
        for (const [table, v] of Object.entries(report.legacy)) {
            strict_1.default.equal(v.rows, v.migrated + v.quarantined, `${table}: rows = migrated + quarantined`);
        }
        strict_1.default.equal(report.legacy.chunks_legacy.rows, summary.counts.chunks);
        strict_1.default.ok(report.checksums.length >= 6, 'a checksum per rule');
        for (const c of report.checksums)
            strict_1.default.equal(c.match, true, `checksum of rule ${c.rule}`);
        // Independently of the report: every injected defect and cascade row is in the quarantine.
        const { rows: q } = await qdb.pool.query(`select kind || ' ' || source_table || ' ' || row_key as key from stp_migration.quarantine where run_id = $1`, [wf]);
        const keys = new Set(q.map((r) => r.key));
        const kinds = new Set(q.map((r) => r.key.split(' ')[0]));
        let defects = 0;
        for (const [kind, ids] of Object.entries(summary.defects)) {
            strict_1.default.ok(ids.length > 0, `the fixture injected ${kind}`);
            strict_1.default.ok(kinds.has(kind), `quarantine has kind ${kind}`);
            for (const id of ids) {
                defects += 1;
                strict_1.default.ok(q.some((r) => r.key.startsWith(`${kind} `) && r.key.endsWith(` ${id}`)), `${kind} ${id} quarantined`);
            }
        }
        for (const c of summary.cascades)
            strict_1.default.ok(keys.has(`cascade ${c.table} ${c.id}`), `cascade ${c.table} ${c.id} quarantined`);
        console.log(`# ${defects} injected defect rows and ${summary.cascades.length} cascades found in the quarantine (${q.length} rows)`);
        // No legacy row is lost: each chunk, template, slot and embedding is in the target or quarantined.
        const lost = await qdb.pool.query(`select t, n from (
         select 'chunks_legacy' as t, count(*)::int as n from chunks_legacy l
          where not exists (select 1 from chunks_unified u where u.id = l.id and not u.is_template and not u.is_slot)
         union all select 'templates_legacy', count(*)::int from templates_legacy l
          where not exists (select 1 from chunks_unified u where u.id = l.id and u.is_template)
         union all select 'template_slots_legacy', count(*)::int from template_slots_legacy l
          where not exists (select 1 from chunks_unified u where u.id = l.id and u.is_slot)
         union all select 'embeddings_legacy', count(*)::int from embeddings_legacy l
          where not exists (select 1 from embeddings_v2 e where e.id = l.id)) x
        where n <> (select count(*) from stp_migration.quarantine q where q.run_id = $1 and q.source_table = x.t)`, [wf]);
        strict_1.default.deepEqual(lost.rows, [], 'legacy rows neither migrated nor quarantined (or quarantined and migrated)');
        // Target FKs exist and are validated; the vector index exists.
        const { rows: fks } = await qdb.pool.query(`select conname as name, convalidated as valid from pg_constraint
        where contype = 'f' and conrelid in ('public.chunks_unified'::regclass, 'public.embeddings_v2'::regclass)`);
        strict_1.default.equal(fks.length, 4, JSON.stringify(fks));
        for (const fk of fks)
            strict_1.default.equal(fk.valid, true, `${fk.name} validated`);
        const { rows: vix } = await qdb.pool.query(`select indexname from pg_indexes where tablename = 'embeddings_v2' and indexdef like '%ivfflat%'`);
        strict_1.default.equal(vix.length, 1, 'the ivfflat index on embeddings_v2');
        const { rows: runs } = await qdb.pool.query(`select status from stp_migration.runs where run_id = $1`, [wf]);
        strict_1.default.deepEqual(runs, [{ status: 'completed' }]);
        const verify = await (0, processes_1.runCliProcess)(['verify', '--plan', planFile, '--json'], env, 180_000);
        strict_1.default.equal(verify.code, 0, `${verify.stdout}\n${verify.stderr}`);
        const again = JSON.parse(verify.stdout);
        strict_1.default.equal(again.ok, true);
        strict_1.default.deepEqual(again.target, report.target);
    });
    (0, node_test_1.test)('policy block: exit 2, the defects listed, nothing changed', { timeout: 200_000 }, async () => {
        const before = await (0, snapshot_1.snapshotDatabase)(bdb.pool);
        const planFile = (0, upgrade_support_1.writePlan)(dir, 'block', plan({ database: 'blocked', defects: { policy: 'block' } }));
        const wf = `upgrade-block-${Date.now()}`;
        const run = await (0, processes_1.runCliProcess)(['start', '--plan', planFile, '--workflow-id', wf, '--wait', '--json'], env, 180_000);
        strict_1.default.equal(run.code, 2, `${run.stdout}\n${run.stderr}`);
        const out = JSON.parse(run.stdout);
        strict_1.default.equal(out.phase, 'blocked');
        for (const [kind, ids] of Object.entries(summary.defects)) {
            // an id collision is counted once per row sharing the id
            if (kind === 'id_collision')
                strict_1.default.ok(out.progress.defects.counts[kind] >= 2 * ids.length, `count of ${kind}`);
            else
                strict_1.default.equal(out.progress.defects.counts[kind], ids.length, `count of ${kind}`);
        }
        strict_1.default.ok(out.progress.defects.sample.length > 0, 'defects are listed');
        for (const d of out.progress.defects.sample)
            strict_1.default.ok(summary.defects[d.kind].includes(d.id), `listed ${d.kind} ${d.id} is an injected defect`);
        strict_1.default.match(out.error, /defects\.policy is "block"/);
        (0, snapshot_1.assertSnapshotsEqual)(await (0, snapshot_1.snapshotDatabase)(bdb.pool), before);
    });
});
//# sourceMappingURL=upgrade-full.test.js.map