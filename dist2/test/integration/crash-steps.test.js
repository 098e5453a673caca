"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const client_1 = require("@temporalio/client");
const names_1 = require("../../common/names");
const crash_support_1 = require("./crash-support");
const temporal_1 = require("../helpers/temporal");
const upgrade_support_1 = require("./upgrade-support");
// kill -9 of the worker in the middle of a step (a copy slice, the HNSW build, the verify scans):
// another worker takes the step over within the heartbeat timeout, not the start-to-close
// timeout, and the run completes with a valid index and a clean report.
const workers = [];
let dropTemplate;
let db;
let connection;
let client;
(0, node_test_1.before)(async () => {
    const tpl = await (0, upgrade_support_1.fixtureTemplate)('crash_steps_tpl', { chunks: 10_000, dim: 64, defects: true, seed: 41, graph: false });
    dropTemplate = tpl.drop;
    db = await (0, upgrade_support_1.cloneDatabase)(tpl.template, 'crash_steps');
    connection = await client_1.Connection.connect({ address: temporal_1.TEMPORAL_ADDRESS });
    client = new client_1.Client({ connection });
});
(0, node_test_1.after)(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await connection?.close();
    await db?.drop();
    await dropTemplate?.();
});
const PLAN = {
    database: 'primary',
    steps: ['preflight', 'schema', 'copy', 'embeddings', 'verify'],
    copy: { batchSize: 500 }, // 20 batches: the retry of a slice runs long enough to be seen
    defects: { policy: 'quarantine' },
    // HNSW: a build of some seconds, so the crash lands in the middle of it
    embeddings: { index: { kind: 'hnsw', m: 8, efConstruction: 64 } },
};
/** Limit from issue 8: a crash costs at most ~20 s; 25 s leaves room for a loaded machine. */
const RECOVERY_LIMIT_MS = 25_000;
(0, node_test_1.test)('a worker killed during the copy, the vector index build and verify: each step resumes on another worker within ~20 s', { timeout: 240_000 }, async () => {
    const started = Date.now();
    const queue = (0, upgrade_support_1.randomQueue)('crash-steps');
    const start = async () => {
        const w = await (0, crash_support_1.worker)(queue, db.url);
        workers.push(w);
        return w;
    };
    // Two workers poll the queue, as in a deployment with a spare: the one running the step is killed,
    // the other takes over, and a new spare starts meanwhile.
    await Promise.all([start(), start()]);
    const workflowId = `crash-steps-${Date.now()}`;
    const handle = await client.workflow.start(names_1.WorkflowTypes.upgrade, { taskQueue: queue, workflowId, args: [PLAN], workflowExecutionTimeout: '10 minutes' });
    const figures = [];
    // Kills the worker that runs `activity` while `tag` runs a statement starting with `query`.
    const crashDuring = async (activity, tag, query, settleMs, ready = async () => true) => {
        const victim = await (0, upgrade_support_1.waitFor)(`${activity} running (${tag})`, async () => ((await ready()) ? (0, crash_support_1.taggedBackend)(db.pool, tag, query) : undefined), 150_000, 20);
        await (0, crash_support_1.sleep)(settleMs);
        const before = await (0, crash_support_1.pendingActivity)(handle, activity);
        strict_1.default.ok(before, `${activity} is still running when the worker is killed`);
        const identity = before.lastWorkerIdentity ?? '';
        const runner = workers.find((w) => w.child.exitCode === null && identity.startsWith(`${w.child.pid}@`));
        strict_1.default.ok(runner, `the worker running ${activity} is one of ours (${identity})`);
        runner.child.kill('SIGKILL');
        const killedAt = Date.now();
        const spare = start();
        const resumedAt = await (0, crash_support_1.nextAttemptStarted)(handle, activity, before.attempt ?? 1, 60_000);
        await spare;
        const after = await (0, crash_support_1.pendingActivity)(handle, activity);
        if (after)
            strict_1.default.notEqual(after.lastWorkerIdentity, identity, 'another worker runs the retry');
        const ms = resumedAt - killedAt;
        figures.push(`${activity}: resumed ${(ms / 1000).toFixed(1)} s after kill -9 at ${Math.round((killedAt - started) / 1000)} s (pid ${victim.pid} was running: ${victim.query.replace(/\s+/g, ' ').slice(0, 40)}…)`);
        console.log(`# ${figures.at(-1)}`);
        strict_1.default.ok(ms <= RECOVERY_LIMIT_MS, `${activity} resumed ${ms} ms after the crash (limit ${RECOVERY_LIMIT_MS} ms)`);
        return victim;
    };
    await crashDuring('copySlice', `stp-upgrade:${workflowId}:copy-chunks`, '', 0, async () => ((await (0, upgrade_support_1.checkpoint)(db.pool, 'chunks'))?.batches ?? 0) >= 2);
    const build = await crashDuring('buildVectorIndex', `stp-upgrade:${workflowId}:vector-index`, 'create index concurrently', 500);
    await crashDuring('verify', `stp-upgrade:${workflowId}:verify`, '', 0);
    const result = (await handle.result());
    strict_1.default.equal(result.phase, 'completed', JSON.stringify(result).slice(0, 500));
    strict_1.default.equal(result.report?.ok, true, result.report?.problems.join('; '));
    const { rows: redone } = await db.pool.query(`select (count(*) - count(distinct (rule, first_key, last_key)))::int as n from stp_migration.batches where run_id = $1`, [workflowId]);
    strict_1.default.ok(redone[0].n <= 1, `at most the batch in flight is redone (${redone[0].n})`);
    const { rows } = await db.pool.query(`select i.indisvalid as valid, am.amname as am from pg_index i join pg_class c on c.oid = i.indexrelid join pg_am am on am.oid = c.relam
      where c.relname = 'embeddings_v2_vector_idx'`);
    strict_1.default.deepEqual(rows, [{ valid: true, am: 'hnsw' }], 'one valid HNSW index after the crash');
    const { rows: gone } = await db.pool.query(`select pid from pg_stat_activity where pid = $1`, [build.pid]);
    strict_1.default.equal(gone.length, 0, 'the killed attempt\'s build is not running any more');
    const { rows: leftover } = await db.pool.query(`select application_name, state from pg_stat_activity where application_name like $1`, [`stp-upgrade:${workflowId}:%`]);
    strict_1.default.deepEqual(leftover, [], 'no tagged session is left');
    console.log(`# crash-steps: ${figures.join('; ')}; test took ${Math.round((Date.now() - started) / 1000)} s`);
});
//# sourceMappingURL=crash-steps.test.js.map