"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = __importDefault(require("node:fs"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const node_crypto_1 = require("node:crypto");
const client_1 = require("@temporalio/client");
const release_1 = require("../../activities/release");
const switch_1 = require("../../activities/release/switch");
const names_1 = require("../../common/names");
const plan_1 = require("../../common/plan");
const generate_1 = require("../../fixtures/generate");
const databases_1 = require("../../workers/databases");
const contract_1 = require("../helpers/contract");
const pg_1 = require("../helpers/pg");
const processes_1 = require("../helpers/processes");
const temporal_1 = require("../helpers/temporal");
const support_1 = require("./support");
// Contract section 6 end to end: PostgreSQL, the Temporal dev server, worker processes, blue v1 and
// green v2 under the process deployer, a real nginx, and a writer through nginx during the whole run.
const tmp = node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'stp-online-e2e-'));
const taskQueue = `stp-online-e2e-${(0, node_crypto_1.randomUUID)().slice(0, 8)}`;
let db;
let pools;
let ports;
let client;
let connection;
let acts;
let workerEnv;
let worker;
const lb = () => `http://127.0.0.1:${ports.lb}`;
function plan(monitorSeconds) {
    const parsed = (0, plan_1.parsePlan)({
        database: 'primary',
        steps: [...plan_1.ALL_STEPS.filter((s) => s !== 'backup' && s !== 'approval')],
        defects: { policy: 'quarantine' },
        copy: { batchSize: 100 },
        graph: { optional: true },
        release: {
            deployer: { stateDir: node_path_1.default.join(tmp, 'deploy'), blue: { port: ports.blue }, green: { port: ports.green } },
            traffic: { nginx: { stateDir: node_path_1.default.join(tmp, 'nginx'), listenPort: ports.lb } },
            health: { consecutive: 2, deadlineSeconds: 30, intervalMs: 200 },
            drainSeconds: 2,
            blueAfterSwitch: 'keep-warm',
            monitoring: { durationSeconds: monitorSeconds, intervalSeconds: 2, baselineSamples: 2, baselineIntervalSeconds: 1 },
        },
    });
    if (!parsed.ok)
        throw new Error(parsed.errors.join('\n'));
    return parsed.plan;
}
(0, node_test_1.before)(async () => {
    db = await (0, pg_1.createTestDatabase)('online_e2e');
    await (0, generate_1.generateFixtures)(db.pool, { chunks: 2000, dim: 32, seed: 5, defects: true, graph: false });
    ports = { blue: await (0, support_1.freePort)(), green: await (0, support_1.freePort)(), lb: await (0, support_1.freePort)() };
    workerEnv = { STP_DATABASE_URL: db.url, TEMPORAL_ADDRESS: temporal_1.TEMPORAL_ADDRESS, STP_TASK_QUEUE: taskQueue, STP_STATE_DIR: tmp };
    pools = new databases_1.EnvPools({ STP_DATABASE_URL: db.url });
    acts = (0, release_1.createReleaseActivities)({ pools, resolveUrl: (d) => pools.url(d), stateRoot: tmp, env: workerEnv });
    worker = await (0, processes_1.startWorkerProcess)(workerEnv);
    connection = await client_1.Connection.connect({ address: temporal_1.TEMPORAL_ADDRESS });
    client = new client_1.Client({ connection });
    await acts.startBlue({ runId: 'setup', plan: plan(5) });
    await (0, switch_1.startNginx)({ stateDir: node_path_1.default.join(tmp, 'nginx'), listenPort: ports.lb, upstream: { instance: 'blue', port: ports.blue, version: '1' } });
});
(0, node_test_1.after)(async () => {
    await worker?.stop().catch(() => undefined);
    for (const which of ['green', 'blue'])
        await acts?.stopInstance({ runId: 'cleanup', plan: plan(5), which }).catch(() => undefined);
    await new switch_1.NginxControl((0, switch_1.nginxLayout)(node_path_1.default.join(tmp, 'nginx'))).stop(2000).catch(() => undefined);
    await connection?.close();
    await pools?.close();
    await db?.drop();
    node_fs_1.default.rmSync(tmp, { recursive: true, force: true });
});
const progress = (h) => h.query(names_1.QueryNames.progress).catch(() => undefined);
async function until(h, what, on, timeoutMs = 240_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const p = await progress(h);
        if (p && on(p))
            return p;
        const d = await h.describe();
        if (d.status.name !== 'RUNNING')
            throw new Error(`run closed (${d.status.name}) before ${what}: ${p?.error ?? ''}`);
        if (Date.now() > deadline)
            throw new Error(`timed out waiting for ${what} (phase ${p?.phase}, step ${p?.step})`);
        await new Promise((r) => setTimeout(r, 200));
    }
}
async function quiet() {
    // writes stopped: wait until both directions are replayed (the replay follows within seconds)
    for (let i = 0; i < 100; i++) {
        const { rows } = await db.pool.query(`select count(*)::int as n from stp_migration.changes`);
        if (rows[0].n === 0)
            return;
        await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error('the replay backlog did not drain');
}
(0, node_test_1.test)('(a) full upgrade under a live writer: 0 failed requests, every acknowledged write on green, the contract holds', async () => {
    const id = `stp-online-${(0, node_crypto_1.randomUUID)().slice(0, 8)}`;
    const writer = (0, support_1.startWriter)(lb(), { ratePerSec: 8, maxMs: 300_000 });
    const reads = (0, support_1.startLoad)(lb(), { concurrency: 1, maxMs: 300_000, maxRequests: 100_000 });
    const h = await client.workflow.start(names_1.WorkflowTypes.upgrade, { taskQueue, workflowId: id, args: [plan(600)] });
    const during = await until(h, 'monitoring', (p) => p.phase === 'monitoring');
    strict_1.default.ok((during.sync?.cutover?.holdsMs.length ?? 0) >= 1, 'the switch went through a hold');
    await new Promise((r) => setTimeout(r, 4000)); // green takes writes for a while
    const ledger = await writer.stop();
    strict_1.default.equal(ledger.failed, 0, ledger.failures.join('\n'));
    const byGreen = [...ledger.texts.values()].filter((t) => t.by === 'green').length;
    const byBlue = [...ledger.texts.values()].filter((t) => t.by === 'blue').length;
    strict_1.default.ok(byGreen > 0 && byBlue > 0, `writes through both releases (blue ${byBlue}, green ${byGreen})`);
    await quiet();
    strict_1.default.deepEqual(await (0, contract_1.checkContract)(db.pool, id, null), [], 'rules 1-6 on the legacy tables = the target tables');
    strict_1.default.deepEqual(await (0, support_1.auditWrites)(lb(), ledger), [], 'every acknowledged write is on green, no deleted text is back');
    await h.executeUpdate(names_1.UpdateNames.promote, { args: [{ reason: 'test' }] });
    const r = (await h.result());
    const readReport = await reads.stop();
    strict_1.default.equal(r.phase, 'completed');
    strict_1.default.equal(readReport.failed, 0, readReport.failures.join('\n'));
    const holds = r.progress.sync?.cutover?.holdsMs ?? [];
    console.log(`(a) ${ledger.writes} writes, 0 lost; hold ${holds.join('/')} ms; forward replayed ${r.progress.sync?.forward?.replayed}, reverse ${r.progress.sync?.reverse?.replayed}`);
    const trig = await db.pool.query(`select count(*)::int as n from pg_trigger where tgname like 'stp_capture_%'`);
    strict_1.default.equal(trig.rows[0].n, 0, 'finalize removed the capture');
});
(0, node_test_1.test)('(b) abort during monitoring: every write green acknowledged is on blue afterwards', async () => {
    // the previous run finalized on green: put blue and the legacy-only world back for a new run
    await acts.switchTraffic({ runId: 'setup', plan: plan(5), to: 'blue' }).catch(() => undefined);
    await acts.stopInstance({ runId: 'setup', plan: plan(5), which: 'green' }).catch(() => undefined);
    await db.pool.query(`drop table if exists chunks_unified, embeddings_v2 cascade; delete from stp_migration.runs`);
    const id = `stp-online-${(0, node_crypto_1.randomUUID)().slice(0, 8)}`;
    const writer = (0, support_1.startWriter)(lb(), { ratePerSec: 8, maxMs: 300_000 });
    const h = await client.workflow.start(names_1.WorkflowTypes.upgrade, { taskQueue, workflowId: id, args: [plan(600)] });
    await until(h, 'monitoring', (p) => p.phase === 'monitoring');
    await new Promise((r) => setTimeout(r, 4000));
    await h.signal(names_1.SignalNames.abort, { reason: 'test abort' });
    const err = await h.result().then(() => undefined, (e) => e);
    const ledger = await writer.stop();
    strict_1.default.ok(err instanceof client_1.WorkflowFailedError, String(err));
    strict_1.default.equal(ledger.failed, 0, ledger.failures.join('\n'));
    const byGreen = [...ledger.texts.values()].filter((t) => t.by === 'green').length;
    strict_1.default.ok(byGreen > 0, 'green acknowledged writes before the abort');
    strict_1.default.deepEqual(await (0, support_1.auditWrites)(lb(), ledger), [], 'blue serves every acknowledged write');
    const p = err.cause.details?.[0];
    console.log(`(b) ${ledger.writes} writes, 0 lost; ${byGreen} texts written on green; carried back ${p?.sync?.carriedBack}`);
    strict_1.default.ok((p?.sync?.carriedBack ?? 0) > 0, 'the rollback says how many changes it carried back');
    // green's writes go back before traffic returns to blue, and once more after green stopped
    const order = (p?.compensations ?? []).map((c) => c.step);
    strict_1.default.ok(order.indexOf('switch.drainReverse') === order.indexOf('switch.switchBack') - 1, order.join(' '));
    strict_1.default.ok(order.indexOf('deploy.drainReverse') === order.indexOf('deploy.stopInstance') + 1, order.join(' '));
    strict_1.default.ok(order.indexOf('copy.removeCapture') < order.indexOf('schema.dropTargetSchema'), order.join(' '));
});
(0, node_test_1.test)('(c) kill -9 of the worker during catch-up: a new worker resumes, nothing lost or doubled', async () => {
    const id = `stp-online-${(0, node_crypto_1.randomUUID)().slice(0, 8)}`;
    const writer = (0, support_1.startWriter)(lb(), { ratePerSec: 8, maxMs: 300_000 });
    const h = await client.workflow.start(names_1.WorkflowTypes.upgrade, { taskQueue, workflowId: id, args: [plan(600)] });
    await until(h, 'replay during the copy', (p) => (p.sync?.forward?.replayed ?? 0) > 0 && ['copy', 'embeddings', 'graph'].includes(p.step ?? ''));
    worker.child.kill('SIGKILL');
    const killedAt = Date.now();
    await new Promise((r) => setTimeout(r, 3000));
    worker = await (0, processes_1.startWorkerProcess)(workerEnv);
    await until(h, 'monitoring after the crash', (p) => p.phase === 'monitoring');
    await new Promise((r) => setTimeout(r, 3000));
    const ledger = await writer.stop();
    strict_1.default.equal(ledger.failed, 0, ledger.failures.join('\n'));
    await quiet();
    strict_1.default.deepEqual(await (0, contract_1.checkContract)(db.pool, id, null), [], 'rules 1-6 on the legacy tables = the target tables');
    strict_1.default.deepEqual(await (0, support_1.auditWrites)(lb(), ledger), []);
    await h.executeUpdate(names_1.UpdateNames.promote, { args: [{ reason: 'test' }] });
    const r = (await h.result());
    strict_1.default.equal(r.phase, 'completed');
    console.log(`(c) worker killed ${((Date.now() - killedAt) / 1000).toFixed(0)} s before the end; ${ledger.writes} writes, 0 lost`);
});
//# sourceMappingURL=online-e2e.test.js.map