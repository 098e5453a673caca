"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const client_1 = require("@temporalio/client");
const names_1 = require("../../common/names");
const processes_1 = require("../helpers/processes");
const temporal_1 = require("../helpers/temporal");
const upgrade_support_1 = require("./upgrade-support");
const workers = [];
let dropTemplate;
let ref;
let crash;
let connection;
let client;
(0, node_test_1.before)(async () => {
    const tpl = await (0, upgrade_support_1.fixtureTemplate)('upgrade_crash_tpl', { chunks: 100_000, dim: 32, defects: true, seed: 23, graph: false });
    dropTemplate = tpl.drop;
    ref = await (0, upgrade_support_1.cloneDatabase)(tpl.template, 'upgrade_crash_ref');
    crash = await (0, upgrade_support_1.cloneDatabase)(tpl.template, 'upgrade_crash_run');
    connection = await client_1.Connection.connect({ address: temporal_1.TEMPORAL_ADDRESS });
    client = new client_1.Client({ connection });
});
(0, node_test_1.after)(async () => {
    for (const w of workers)
        await w.stop();
    await connection?.close();
    await ref?.drop();
    await crash?.drop();
    await dropTemplate?.();
});
const PLAN = {
    database: 'primary',
    steps: ['preflight', 'schema', 'copy', 'embeddings', 'verify'],
    copy: { batchSize: 2000 },
    defects: { policy: 'quarantine' },
    embeddings: { index: { kind: 'ivfflat', lists: 10 } },
};
async function worker(queue, db) {
    const w = await (0, processes_1.startWorkerProcess)({ TEMPORAL_ADDRESS: temporal_1.TEMPORAL_ADDRESS, STP_TASK_QUEUE: queue, STP_DATABASE_URL: db.url });
    workers.push(w);
    return w;
}
(0, node_test_1.test)('a worker killed mid-copy: the run completes, identical to an uninterrupted one, at most one batch redone per rule', { timeout: 240_000 }, async () => {
    const started = Date.now();
    const refQueue = (0, upgrade_support_1.randomQueue)('upgrade-crash-ref');
    const crashQueue = (0, upgrade_support_1.randomQueue)('upgrade-crash');
    const [, first] = await Promise.all([worker(refQueue, ref), worker(crashQueue, crash)]);
    const refId = `upgrade-crash-ref-${Date.now()}`;
    const crashId = `upgrade-crash-${Date.now()}`;
    const refRun = await client.workflow.start(names_1.WorkflowTypes.upgrade, { taskQueue: refQueue, workflowId: refId, args: [PLAN], workflowExecutionTimeout: '5 minutes' });
    // The throttle widens the window in which the chunks rule is half done; it is lifted after the kill.
    const slowPlan = { ...PLAN, copy: { batchSize: 2000, throttleMs: 150 } };
    const crashRun = await client.workflow.start(names_1.WorkflowTypes.upgrade, { taskQueue: crashQueue, workflowId: crashId, args: [slowPlan], workflowExecutionTimeout: '5 minutes' });
    const at = await (0, upgrade_support_1.waitFor)('some committed batches of the chunks rule', async () => {
        const cp = await (0, upgrade_support_1.checkpoint)(crash.pool, 'chunks');
        return cp && cp.batches >= 5 && !cp.finished ? cp : undefined;
    }, 120_000, 25);
    first.child.kill('SIGKILL');
    await first.stop();
    const killed = await (0, upgrade_support_1.checkpoint)(crash.pool, 'chunks');
    strict_1.default.equal(killed?.finished, false, 'the chunks rule was not finished when the worker died');
    console.log(`# worker killed after ${at.batches} committed chunk batches (${killed?.batches} at exit), ${Math.round((Date.now() - started) / 1000)} s in`);
    await crashRun.signal(names_1.SignalNames.throttle, { throttleMs: 0 });
    await worker(crashQueue, crash);
    const [refResult, crashResult] = (await Promise.all([refRun.result(), crashRun.result()]));
    strict_1.default.equal(refResult.phase, 'completed');
    strict_1.default.equal(crashResult.phase, 'completed');
    strict_1.default.equal(crashResult.report?.ok, true, crashResult.report?.problems.join('; '));
    for (const table of ['chunks_unified', 'embeddings_v2']) {
        const [a, b] = await Promise.all([(0, upgrade_support_1.tableMd5)(ref.pool, table), (0, upgrade_support_1.tableMd5)(crash.pool, table)]);
        strict_1.default.equal(b, a, `${table}: the crashed run's rows equal the uninterrupted run's`);
    }
    const quarantine = `select md5(string_agg(concat_ws(' ', source_table, kind, reason, row_key, row::text), E'\\n' order by source_table, row_key, kind, reason)) as m
                        from stp_migration.quarantine`;
    const [qa, qb] = await Promise.all([ref.pool.query(quarantine), crash.pool.query(quarantine)]);
    strict_1.default.equal(qb.rows[0].m, qa.rows[0].m, 'the quarantines are equal');
    const { rows } = await crash.pool.query(`select rule, count(*)::int as batches, count(distinct (first_key, last_key))::int as ranges
       from stp_migration.batches where run_id = $1 group by rule order by rule`, [crashId]);
    strict_1.default.ok(rows.some((r) => r.rule === 'chunks' && r.batches >= 50), JSON.stringify(rows));
    for (const r of rows) {
        console.log(`# rule ${r.rule}: ${r.batches} batches committed, ${r.ranges} distinct key ranges, ${r.batches - r.ranges} redone`);
        strict_1.default.ok(r.batches - r.ranges <= 1, `rule ${r.rule}: at most one batch redone`);
    }
    const progress = await crashRun.query(names_1.QueryNames.progress);
    console.log(`# progress.redoneBatches = ${progress.redoneBatches}; test took ${Math.round((Date.now() - started) / 1000)} s`);
    strict_1.default.ok(progress.redoneBatches <= rows.length);
});
//# sourceMappingURL=upgrade-crash.test.js.map