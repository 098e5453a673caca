"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = require("node:crypto");
const node_test_1 = require("node:test");
const worker_1 = require("@temporalio/worker");
const activities_1 = require("../../activities");
const defect_list_1 = require("../../activities/defect-list");
const names_1 = require("../../common/names");
const plan_1 = require("../../common/plan");
const generate_1 = require("../../fixtures/generate");
const databases_1 = require("../../workers/databases");
const contract_1 = require("../helpers/contract");
const pg_1 = require("../helpers/pg");
const upgrade_support_1 = require("./upgrade-support");
/**
 * Policy quarantine detects the defects once, in the copy step under the forward capture, not in
 * preflight. What the application writes between preflight and the capture must still be caught:
 * here, during the schema step, it inserts a chunk whose text does not exist (a new defect) and
 * deletes a parent chunk with its tags and embeddings, which turns its untouched children into
 * orphans (a defect made indirectly) and their descendants into cascades. A real saga on the dev
 * server, real activities and PostgreSQL; the result is checked against the contract.
 */
const PLAN = {
    database: 'between',
    defects: { policy: 'quarantine' },
    steps: ['preflight', 'schema', 'copy', 'embeddings', 'verify'],
    copy: { batchSize: 500 },
};
let db;
const env = {};
const pools = new databases_1.EnvPools(env);
const taskQueue = (0, upgrade_support_1.randomQueue)('defects-between');
let stopWorker;
let client;
/** What the saga's activities returned, and what the application did between preflight and copy. */
const seen = { children: [], descendants: [] };
/** The application's writes, run just before the schema step's activity: after preflight, before the capture. */
async function writeBetween() {
    const { rows: [pick] } = await db.pool.query(`select p.id as parent from chunks_legacy p
      where p.parent_chunk_id is null and exists (select 1 from texts t where t.id = p.text_id)
        and exists (select 1 from chunks_legacy c join chunks_legacy g on g.parent_chunk_id = c.id where c.parent_chunk_id = p.id)
      order by p.id limit 1`);
    strict_1.default.ok(pick, 'the fixture has a root chunk with grandchildren');
    seen.parent = pick.parent;
    const { rows: kids } = await db.pool.query(`select id from chunks_legacy where parent_chunk_id = $1 order by id`, [pick.parent]);
    seen.children = kids.map((k) => k.id);
    const { rows: below } = await db.pool.query(`with recursive d(id) as (select id from chunks_legacy where parent_chunk_id = any($1::uuid[])
                              union select c.id from chunks_legacy c join d on c.parent_chunk_id = d.id)
     select id from d order by id`, [seen.children]);
    seen.descendants = below.map((r) => r.id);
    seen.newDefect = (0, node_crypto_1.randomUUID)();
    const c = await db.pool.connect();
    try {
        await c.query('begin');
        await c.query(`insert into chunks_legacy (id, text_id, content, parent_chunk_id, indent_level, sequence_number)
                   values ($1, $2, 'written after preflight, its text never existed', null, 0, 0)`, [seen.newDefect, (0, node_crypto_1.randomUUID)()]);
        await c.query(`delete from embeddings_legacy where chunk_id = $1`, [pick.parent]);
        await c.query(`delete from chunk_tags_legacy where chunk_id = $1`, [pick.parent]);
        await c.query(`delete from chunks_legacy where id = $1`, [pick.parent]);
        await c.query('commit');
    }
    finally {
        c.release();
    }
}
/** Every defect of the legacy tables now, per kind, through the read-only listing (`stp-upgrade defects`). */
async function defectCountsNow() {
    const parsed = (0, plan_1.parsePlan)(PLAN);
    if (!parsed.ok)
        throw new Error(parsed.errors.join('\n'));
    const page = await (0, defect_list_1.createDefectListActivities)({ pools }).listDefects({ plan: parsed.plan, limit: 1_000_000 });
    strict_1.default.equal(page.next, null);
    const counts = {};
    for (const d of page.defects)
        counts[d.kind] = (counts[d.kind] ?? 0) + 1;
    return counts;
}
(0, node_test_1.before)(async () => {
    worker_1.Runtime.install({ logger: new worker_1.DefaultLogger('ERROR') });
    db = await (0, pg_1.createTestDatabase)('defects_between');
    env.STP_DATABASE_URL_BETWEEN = db.url;
    await (0, generate_1.generateFixtures)(db.pool, { chunks: 2000, dim: 8, graph: false, defects: true, seed: 13 });
    const real = (0, activities_1.createActivities)({ pools, resolveUrl: (name) => pools.url(name), stateRoot: (0, upgrade_support_1.tempDir)('defects-between'), env });
    const activities = Object.fromEntries(Object.entries(real).map(([name, fn]) => [
        name,
        async (input) => {
            if (name === 'createTargetSchema')
                await writeBetween();
            const out = await fn(input);
            if (name === 'preflight')
                seen.preflight = out;
            if (name === 'quarantineDefects')
                seen.quarantine = out;
            return out;
        },
    ]));
    ({ client, stop: stopWorker } = await (0, upgrade_support_1.startInProcessWorker)(taskQueue, activities));
});
(0, node_test_1.after)(async () => {
    await stopWorker?.();
    await pools.close();
    await db?.drop();
});
(0, node_test_1.test)('a defect written and a child orphaned between preflight and the copy are both quarantined; the target equals the contract', { timeout: 240_000 }, async () => {
    const before = await defectCountsNow();
    const workflowId = `defects-between-${Date.now()}`;
    const handle = await client.workflow.start(names_1.WorkflowTypes.upgrade, { taskQueue, workflowId, args: [PLAN], workflowExecutionTimeout: '4 minutes' });
    await handle.result();
    const progress = await handle.query(names_1.QueryNames.progress);
    strict_1.default.equal(progress.phase, 'completed', progress.error);
    strict_1.default.equal(progress.report?.ok, true, progress.report?.problems.join('; '));
    // preflight left detection to the quarantine pass, which found what the tables held under capture
    strict_1.default.deepEqual([seen.preflight?.defects, seen.preflight?.defectCounts], [[], {}]);
    const now = await defectCountsNow();
    strict_1.default.equal(now.orphan_text, (before.orphan_text ?? 0) + 1);
    strict_1.default.equal(now.orphan_parent, (before.orphan_parent ?? 0) + seen.children.length);
    strict_1.default.deepEqual(seen.quarantine?.defectCounts, now);
    strict_1.default.deepEqual(progress.defects?.counts, now, 'the progress shows the defects the run quarantined');
    strict_1.default.ok(progress.defects?.sample.length, 'and lists some');
    const { rows } = await db.pool.query(`select row_key, kind, reason from stp_migration.quarantine where run_id = $1 and source_table = 'chunks_legacy'`, [workflowId]);
    const byKey = new Map(rows.map((r) => [r.row_key, r]));
    strict_1.default.equal(byKey.get(seen.newDefect)?.kind, 'orphan_text', 'the chunk written after preflight');
    strict_1.default.ok(seen.children.length > 0);
    for (const id of seen.children) {
        strict_1.default.equal(byKey.get(id)?.kind, 'orphan_parent', `child ${id} of the deleted parent`);
        strict_1.default.match(byKey.get(id).reason, new RegExp(`parent_chunk_id ${seen.parent} is not a chunk`));
    }
    strict_1.default.ok(seen.descendants.length > 0);
    for (const id of seen.descendants)
        strict_1.default.ok(byKey.has(id), `descendant ${id} quarantined`);
    strict_1.default.deepEqual(await (0, contract_1.checkContract)(db.pool, workflowId, null), []);
});
//# sourceMappingURL=defects-between.test.js.map