"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const client_1 = require("@temporalio/client");
const pg_1 = __importDefault(require("pg"));
const names_1 = require("../../common/names");
const generate_1 = require("../../fixtures/generate");
const temporal_1 = require("../helpers/temporal");
const crash_support_1 = require("./crash-support");
const upgrade_support_1 = require("./upgrade-support");
// PostgreSQL restarted under a running copy (pg_ctl restart -m immediate, then -m fast): only the
// statements in flight fail, the worker process stays up, the slice is retried and resumes from its
// checkpoint, and the run completes with a clean report. Runs on its own PostgreSQL instance.
let server;
let pool;
let w;
let connection;
let client;
(0, node_test_1.before)(async () => {
    server = await (0, crash_support_1.startOwnPostgres)('restart');
    const admin = new pg_1.default.Client({ connectionString: server.url('postgres') });
    await admin.connect();
    await admin.query('create database stp');
    await admin.end();
    pool = new pg_1.default.Pool({ connectionString: server.url('stp'), max: 3 });
    pool.on('error', () => undefined).on('connect', (c) => c.on('error', () => undefined));
    await pool.query('set client_min_messages = warning; create extension vector');
    await (0, generate_1.generateFixtures)(pool, { chunks: 20_000, dim: 32, defects: true, seed: 13, graph: false });
    connection = await client_1.Connection.connect({ address: temporal_1.TEMPORAL_ADDRESS });
    client = new client_1.Client({ connection });
});
(0, node_test_1.after)(async () => {
    await w?.stop();
    await connection?.close();
    await pool?.end().catch(() => undefined);
    server?.stop();
});
const PLAN = {
    database: 'primary',
    steps: ['preflight', 'schema', 'copy', 'embeddings', 'verify'],
    // small throttled batches: the restarts land in the middle of the chunks rule
    copy: { batchSize: 500, throttleMs: 150 },
    defects: { policy: 'quarantine' },
    embeddings: { index: { kind: 'ivfflat', lists: 10 } },
};
(0, node_test_1.test)('PostgreSQL restarts (immediate, then fast) mid-copy: the worker survives and the run completes', { timeout: 180_000 }, async () => {
    const started = Date.now();
    const queue = (0, upgrade_support_1.randomQueue)('crash-pg-restart');
    w = await (0, crash_support_1.worker)(queue, server.url('stp'));
    const workflowId = `crash-pg-restart-${Date.now()}`;
    const handle = await client.workflow.start(names_1.WorkflowTypes.upgrade, { taskQueue: queue, workflowId, args: [PLAN], workflowExecutionTimeout: '5 minutes' });
    const figures = [];
    let at = 3;
    for (const mode of ['immediate', 'fast']) {
        const cp = await (0, upgrade_support_1.waitFor)(`${at} committed chunk batches`, async () => {
            const c = await (0, upgrade_support_1.checkpoint)(pool, 'chunks');
            return c && c.batches >= at && !c.finished ? c : undefined;
        }, 120_000, 25);
        const t0 = Date.now();
        server.restart(mode);
        const up = Date.now();
        const after = await (0, upgrade_support_1.waitFor)('the copy to commit a batch after the restart', async () => {
            if (w.child.exitCode !== null)
                strict_1.default.fail(`the worker process exited (${w.child.exitCode}) after restart -m ${mode}:\n${w.output().slice(-2000)}`);
            const c = await (0, upgrade_support_1.checkpoint)(pool, 'chunks');
            return c && (c.batches > cp.batches + 1 || c.finished) ? c : undefined;
        }, 60_000, 50);
        figures.push(`restart -m ${mode} at batch ${cp.batches}: server back after ${((up - t0) / 1000).toFixed(1)} s, copy committing again ${((Date.now() - t0) / 1000).toFixed(1)} s after the restart began`);
        console.log(`# ${figures.at(-1)}`);
        strict_1.default.equal(w.child.exitCode, null, `the worker process is alive after restart -m ${mode}:\n${w.output()}`);
        strict_1.default.equal(w.child.signalCode, null);
        at = after.batches + 3;
    }
    await handle.signal(names_1.SignalNames.throttle, { throttleMs: 0 });
    const result = (await handle.result());
    strict_1.default.equal(result.phase, 'completed', JSON.stringify(result).slice(0, 500));
    strict_1.default.equal(result.report?.ok, true, result.report?.problems.join('; '));
    strict_1.default.equal(w.child.exitCode, null, 'the worker is still running');
    strict_1.default.doesNotMatch(w.output(), /Unhandled 'error' event/);
    const { rows } = await pool.query(`select rule, count(*)::int as batches, count(distinct (first_key, last_key))::int as ranges
       from stp_migration.batches where run_id = $1 group by rule order by rule`, [workflowId]);
    for (const r of rows)
        strict_1.default.ok(r.batches - r.ranges <= 1, `rule ${r.rule}: at most one batch redone (${r.batches} batches, ${r.ranges} ranges)`);
    console.log(`# crash-pg-restart: ${figures.join('; ')}; test took ${Math.round((Date.now() - started) / 1000)} s`);
});
//# sourceMappingURL=crash-pg-restart.test.js.map