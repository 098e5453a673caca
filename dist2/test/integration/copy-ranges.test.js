"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const client_1 = require("@temporalio/client");
const names_1 = require("../../common/names");
const contract_1 = require("../helpers/contract");
const copy_spans_1 = require("../helpers/copy-spans");
const processes_1 = require("../helpers/processes");
const temporal_1 = require("../helpers/temporal");
const upgrade_support_1 = require("./upgrade-support");
const workers = [];
let dropTemplate;
let db;
let connection;
let client;
(0, node_test_1.before)(async () => {
    const tpl = await (0, upgrade_support_1.fixtureTemplate)('copy_ranges_tpl', { chunks: 80_000, dim: 8, defects: true, seed: 29, graph: false });
    dropTemplate = tpl.drop;
    db = await (0, upgrade_support_1.cloneDatabase)(tpl.template, 'copy_ranges_run');
    connection = await client_1.Connection.connect({ address: temporal_1.TEMPORAL_ADDRESS });
    client = new client_1.Client({ connection });
});
(0, node_test_1.after)(async () => {
    for (const w of workers)
        await w.stop();
    await connection?.close();
    await db?.drop();
    await dropTemplate?.();
});
const PLAN = {
    database: 'primary',
    steps: ['preflight', 'schema', 'copy', 'embeddings', 'verify'],
    // Small batches and a pause between them: many rounds of slices, so both workers take some.
    copy: { batchSize: 1000, throttleMs: 20, parallelism: 4 },
    defects: { policy: 'quarantine' },
    embeddings: { index: { kind: 'ivfflat', lists: 10 } },
};
(0, node_test_1.test)('parallelism 4: ranges and rules at once, taken by two workers, one checkpoint each, the result equal to the contract', { timeout: 420_000 }, async () => {
    const queue = (0, upgrade_support_1.randomQueue)('copy-ranges');
    for (let i = 0; i < 2; i++) {
        workers.push(await (0, processes_1.startWorkerProcess)({ TEMPORAL_ADDRESS: temporal_1.TEMPORAL_ADDRESS, STP_TASK_QUEUE: queue, STP_DATABASE_URL: db.url }));
    }
    const workflowId = `copy-ranges-${Date.now()}`;
    const run = await client.workflow.start(names_1.WorkflowTypes.upgrade, { taskQueue: queue, workflowId, args: [PLAN], workflowExecutionTimeout: '6 minutes' });
    const result = (await run.result());
    strict_1.default.equal(result.phase, 'completed', JSON.stringify(result).slice(0, 2000));
    strict_1.default.equal(result.report?.ok, true, result.report?.problems.join('; '));
    strict_1.default.deepEqual(await (0, contract_1.checkContract)(db.pool, workflowId, null), []);
    const { rows: ranges } = await db.pool.query(`select rule, ranges, finished, rows_done::int, batches::int from stp_migration.checkpoints where run_id = $1 order by rule`, [workflowId]);
    console.log(`# checkpoints: ${ranges.map((r) => `${r.rule} ${r.rows_done} rows/${r.batches} batches${r.ranges ? ` (${r.ranges} ranges)` : ''}`).join(', ')}`);
    // ~25k tag groups: 2 ranges of at least MIN_RANGE_ROWS groups
    for (const [rule, n] of [['chunks', 4], ['tags', 2], ['embeddings', 4]]) {
        const own = ranges.find((r) => r.rule === rule);
        strict_1.default.equal(own?.ranges, n, `${rule} split into ${n} ranges`);
        const parts = ranges.filter((r) => r.rule.startsWith(`${rule}#`));
        strict_1.default.equal(parts.length, n);
        strict_1.default.ok(parts.every((r) => r.finished && r.batches > 0), `${rule}: every range copied and finished`);
        strict_1.default.equal(own?.finished, true);
        strict_1.default.equal(own?.rows_done, parts.reduce((n, r) => n + r.rows_done, 0), `${rule}: the rule's rows are the sum of its ranges`);
    }
    const chunks = await db.pool.query(`select count(*)::int as n from chunks_legacy c
      where not exists (select 1 from stp_migration.quarantine q where q.run_id = $1 and q.source_table = 'chunks_legacy' and q.row_key = c.id::text)`, [workflowId]);
    strict_1.default.equal(ranges.find((r) => r.rule === 'chunks')?.rows_done, chunks.rows[0].n, 'each legacy chunk copied once, in exactly one range');
    const tags = await db.pool.query(`select count(*)::int as n from chunk_tags_legacy t
      where not exists (select 1 from stp_migration.quarantine q where q.run_id = $1 and q.source_table = 'chunk_tags_legacy'
                          and q.row_key = t.chunk_id::text || '|' || t.tag_content)`, [workflowId]);
    strict_1.default.equal(ranges.find((r) => r.rule === 'tags')?.rows_done, tags.rows[0].n, 'each tag row copied once, its group in exactly one range');
    // Concurrency, from the history: rules at the same time on the workers, never above the plan's bound,
    // and the embeddings only once the chunks they need are in the target.
    const spans = (0, copy_spans_1.copySpans)(await run.fetchHistory());
    const slices = spans.filter((s) => s.activity === 'copySlice');
    strict_1.default.equal((0, copy_spans_1.maxInFlight)(spans), 4, 'ranges x rules in flight reach plan.copy.parallelism and never exceed it');
    const both = (0, copy_spans_1.overlapping)(slices, 'chunks', 'tags', true);
    strict_1.default.ok(both, 'a chunks slice and a tags slice ran on the workers at the same time');
    const firstEmbedding = Math.min(...spans.filter((s) => s.rule === 'embeddings').map((s) => s.scheduledId));
    strict_1.default.ok(spans.filter((s) => ['chunks', 'templates', 'slots'].includes(s.rule)).every((s) => s.closedId < firstEmbedding), 'embeddings after the rules they need');
    const wall = (rule) => {
        const of = slices.filter((s) => s.rule === rule);
        return `${rule} ${((Math.max(...of.map((s) => s.closedMs)) - Math.min(...of.map((s) => s.startedMs))) / 1000).toFixed(1)} s`;
    };
    const all = (Math.max(...slices.map((s) => s.closedMs)) - Math.min(...slices.map((s) => s.startedMs))) / 1000;
    console.log(`# copy wall time per rule: ${['chunks', 'templates', 'slots', 'tags', 'embeddings'].map(wall).join(', ')}; all rules ${all.toFixed(1)} s`);
    // Exactly once per range: no batch redone, and no key copied by two batches.
    const { rows: log } = await db.pool.query(`select rule, count(*)::int as batches, count(distinct last_key)::int as keys, count(distinct worker)::int as workers
       from stp_migration.batches where run_id = $1 and rule like '%#%' group by rule order by rule`, [workflowId]);
    for (const r of log)
        strict_1.default.equal(r.keys, r.batches, `${r.rule}: no batch redone`);
    const byWorker = await db.pool.query(`select worker, count(distinct rule)::int as ranges, count(*)::int as batches from stp_migration.batches
      where run_id = $1 and rule like '%#%' group by worker order by worker`, [workflowId]);
    console.log(`# batches by worker: ${byWorker.rows.map((r) => `${r.worker}: ${r.batches} batches in ${r.ranges} ranges`).join('; ')}`);
    const pids = new Set(workers.map((w) => String(w.child.pid)));
    strict_1.default.equal(byWorker.rows.length, 2, 'both worker processes copied ranges');
    strict_1.default.ok(byWorker.rows.every((r) => pids.has(r.worker.split('@')[0])), 'the batch log names the two worker processes');
    const progress = await run.query(names_1.QueryNames.progress);
    for (const rule of ['chunks', 'templates', 'slots', 'tags', 'embeddings']) {
        strict_1.default.equal(progress.rules[rule]?.done, progress.rules[rule]?.total, `${rule}: progress shows the sum of the ranges as done`);
    }
    strict_1.default.equal(progress.redoneBatches, 0);
});
//# sourceMappingURL=copy-ranges.test.js.map