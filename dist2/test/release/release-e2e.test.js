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
const common_1 = require("@temporalio/common");
const worker_1 = require("@temporalio/worker");
const activities_1 = require("../../activities");
const release_1 = require("../../activities/release");
const switch_1 = require("../../activities/release/switch");
const cli_1 = require("../../client/cli");
const names_1 = require("../../common/names");
const plan_1 = require("../../common/plan");
const generate_1 = require("../../fixtures/generate");
const databases_1 = require("../../workers/databases");
const pg_1 = require("../helpers/pg");
const temporal_1 = require("../helpers/temporal");
const support_1 = require("./support");
// The whole upgrade against real servers: PostgreSQL, the Temporal dev server, a worker in this
// process, reference service v1 (blue) and v2 (green) as processes, and a real nginx in front.
const tmp = node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'stp-release-e2e-'));
const taskQueue = `stp-release-e2e-${(0, node_crypto_1.randomUUID)().slice(0, 8)}`;
const PG_DUMP = node_path_1.default.join(process.env.STP_CACHE ?? node_path_1.default.join(node_os_1.default.homedir(), '.cache', 'stp-upgrade'), 'bin', 'pg_dump');
let db;
let pools;
let ports;
let client;
let connection;
let stopWorker;
let acts;
const lb = () => `http://127.0.0.1:${ports.lb}`;
function plan(monitoring, approval = false) {
    const parsed = (0, plan_1.parsePlan)({
        database: 'primary',
        steps: [...plan_1.ALL_STEPS],
        defects: { policy: 'quarantine' }, // the fixture has superseded embeddings (rule 6)
        backup: { dir: node_path_1.default.join(tmp, 'backups'), pgDump: PG_DUMP, testRestore: false },
        release: {
            deployer: { stateDir: node_path_1.default.join(tmp, 'deploy'), blue: { port: ports.blue }, green: { port: ports.green } },
            traffic: { nginx: { stateDir: node_path_1.default.join(tmp, 'nginx'), listenPort: ports.lb } },
            health: { consecutive: 2, deadlineSeconds: 30, intervalMs: 200 },
            approval: { required: approval, timeoutMinutes: 10 },
            drainSeconds: 1,
            blueAfterSwitch: 'stop',
            monitoring: { baselineSamples: 2, baselineIntervalSeconds: 0, ...monitoring },
        },
    });
    if (!parsed.ok)
        throw new Error(parsed.errors.join('\n'));
    return parsed.plan;
}
(0, node_test_1.before)(async () => {
    db = await (0, pg_1.createTestDatabase)('release_e2e');
    await (0, generate_1.generateFixtures)(db.pool, { chunks: 120, dim: 32, seed: 7 });
    ports = { blue: await (0, support_1.freePort)(), green: await (0, support_1.freePort)(), lb: await (0, support_1.freePort)() };
    const env = { STP_DATABASE_URL: db.url };
    pools = new databases_1.EnvPools(env);
    const deps = { pools, resolveUrl: (d) => pools.url(d), stateRoot: tmp, env };
    acts = (0, release_1.createReleaseActivities)(deps);
    worker_1.Runtime.install({ logger: new worker_1.DefaultLogger('ERROR') });
    const workflowBundle = await (0, worker_1.bundleWorkflowCode)({ workflowsPath: require.resolve('../../workflows'), logger: new worker_1.DefaultLogger('ERROR') });
    const native = await worker_1.NativeConnection.connect({ address: temporal_1.TEMPORAL_ADDRESS });
    const worker = await worker_1.Worker.create({ connection: native, taskQueue, workflowBundle, activities: (0, activities_1.createActivities)(deps), shutdownGraceTime: '5s' });
    const running = worker.run();
    stopWorker = async () => {
        worker.shutdown();
        await running.catch(() => undefined);
        await native.close();
    };
    connection = await client_1.Connection.connect({ address: temporal_1.TEMPORAL_ADDRESS });
    client = new client_1.Client({ connection });
    // Production before the upgrade: blue v1 on the legacy tables, behind nginx.
    await acts.startBlue({ runId: 'setup', plan: plan({}) });
    await (0, switch_1.startNginx)({ stateDir: node_path_1.default.join(tmp, 'nginx'), listenPort: ports.lb, upstream: { instance: 'blue', port: ports.blue, version: '1' } });
});
(0, node_test_1.after)(async () => {
    for (const which of ['green', 'blue'])
        await acts?.stopInstance({ runId: 'cleanup', plan: plan({}), which }).catch(() => undefined);
    await new switch_1.NginxControl((0, switch_1.nginxLayout)(node_path_1.default.join(tmp, 'nginx'))).stop(2000).catch(() => undefined);
    await stopWorker?.();
    await connection?.close();
    await pools?.close();
    await db?.drop();
    node_fs_1.default.rmSync(tmp, { recursive: true, force: true });
});
async function cli(...argv) {
    const lines = [];
    const code = await (0, cli_1.runCli)(argv, { out: (l) => lines.push(l), err: (l) => lines.push(l), env: { TEMPORAL_ADDRESS: temporal_1.TEMPORAL_ADDRESS, STP_TASK_QUEUE: taskQueue } });
    return { code, out: lines.join('\n') };
}
const progress = (h) => h.query(names_1.QueryNames.progress).catch(() => undefined);
const servedBy = async () => String((await (0, support_1.call)(lb(), 'GET', '/api/v1/health')).headers['x-stp-instance']);
const refuses = (port) => (0, support_1.call)(`http://127.0.0.1:${port}`, 'GET', '/api/v1/health', undefined, 2000).then(() => false, () => true);
const exists = async (rel) => (await db.pool.query(`select to_regclass($1)::text as r`, [rel])).rows[0].r !== null;
/** Polls the run's progress every 100 ms, calling `on` until it returns true or the run closes. */
async function follow(h, on) {
    for (;;) {
        const p = await progress(h);
        if (p && (await on(p)))
            return;
        if ((await h.describe()).status.name !== 'RUNNING')
            return;
        await new Promise((r) => setTimeout(r, 100));
    }
}
/** Load through nginx from before the switch (smoke) until the run enters monitoring. */
async function loadAroundSwitch(h, onApproval) {
    let load;
    await follow(h, async (p) => {
        if (!load && p.step && ['smoke', 'approval', 'switch'].includes(p.step))
            load = (0, support_1.startLoad)(lb(), { concurrency: 2, maxMs: 120_000, maxRequests: 50_000 });
        if (p.phase === 'awaiting_approval' && onApproval)
            await onApproval();
        return p.phase === 'monitoring' || p.phase === 'rolling_back';
    });
    strict_1.default.ok(load, 'the load started before the switch');
    return load.stop();
}
const runId = () => `stp-upgrade-e2e-${(0, node_crypto_1.randomUUID)().slice(0, 8)}`;
let finishedRun;
(0, node_test_1.test)('full upgrade: data, approval, switch to green under load, monitoring, finalize', async () => {
    const id = runId();
    const h = await client.workflow.start(names_1.WorkflowTypes.upgrade, { taskQueue, workflowId: id, args: [plan({ durationSeconds: 8, intervalSeconds: 2 }, true)] });
    let approved = false;
    const report = await loadAroundSwitch(h, async () => {
        if (approved)
            return;
        const a = await cli('approve', id, '--by', 'alice');
        strict_1.default.equal(a.code, 0, a.out);
        approved = true;
    });
    strict_1.default.equal(report.failed, 0, report.failures.join('\n'));
    strict_1.default.ok(report.byInstance.blue > 0 && report.byInstance.green > 0, JSON.stringify(report.byInstance));
    const status = await cli('status', id);
    strict_1.default.match(status.out, /Monitoring green: \d+ checks, 0 failed \(0 in a row\), \d+s left/);
    strict_1.default.match(status.out, /Approved by alice/);
    const r = (await h.result());
    strict_1.default.equal(r.phase, 'completed');
    strict_1.default.equal(r.progress.monitoring?.outcome, 'passed');
    strict_1.default.ok(r.progress.monitoring.checks >= 3, `checks ${r.progress.monitoring.checks}`);
    strict_1.default.equal(r.progress.finalized?.schemaVersion, 2);
    strict_1.default.equal(await servedBy(), 'green');
    strict_1.default.ok(await refuses(ports.blue), 'blue was stopped after the drain');
    strict_1.default.equal(await db.pool.connect().then(async (c) => (0, release_1.readSchemaVersion)(c).finally(() => c.release())), 2);
    strict_1.default.ok(node_fs_1.default.readFileSync(node_path_1.default.join(tmp, 'deploy', 'post_migration_monitoring.csv'), 'utf8').split('\n').length > 3);
    finishedRun = id;
});
(0, node_test_1.test)('stp-upgrade rollback of the finalized run: blue back under load, green stopped, target gone', async () => {
    strict_1.default.ok(finishedRun, 'needs the completed run of the previous test');
    const load = (0, support_1.startLoad)(lb(), { concurrency: 2, maxMs: 120_000, maxRequests: 50_000 });
    const r = await cli('rollback', finishedRun, '--reason', 'e2e');
    const report = await load.stop();
    strict_1.default.equal(r.code, 0, r.out);
    strict_1.default.match(r.out, /reverted: finalize\.unfinalize, drain\.startBlue, switch\.switchBack, deploy\.stopInstance/);
    strict_1.default.equal(report.failed, 0, report.failures.join('\n'));
    strict_1.default.equal(await servedBy(), 'blue');
    strict_1.default.ok(await refuses(ports.green), 'green stopped');
    strict_1.default.equal(await exists('public.chunks_unified'), false);
    strict_1.default.equal(await exists('public.embeddings_v2'), false);
    // the run created stp_migration: nothing of its bookkeeping is left
    strict_1.default.equal((await db.pool.query(`select 1 from pg_namespace where nspname = 'stp_migration'`)).rowCount, 0);
    const status = await cli('status', finishedRun, '--json');
    strict_1.default.equal(status.code, 1, status.out);
    const out = JSON.parse(status.out);
    strict_1.default.equal(out.phase, 'rolled_back');
    strict_1.default.deepEqual([out.rolledBack.trigger, out.rolledBack.reason], ['rollback', 'e2e']);
    strict_1.default.equal((await cli('rollback', finishedRun)).out.includes('already rolled back'), true);
});
(0, node_test_1.test)('a degraded green breaches monitoring: automatic rollback to blue with no failed request', async () => {
    const id = runId();
    const h = await client.workflow.start(names_1.WorkflowTypes.upgrade, {
        taskQueue, workflowId: id, args: [plan({ durationSeconds: 90, intervalSeconds: 2, maxConsecutiveFailures: 2 })],
    });
    const switched = await loadAroundSwitch(h);
    strict_1.default.equal(switched.failed, 0, switched.failures.join('\n'));
    // Every request to green now takes 2 s; the load keeps going through nginx during the rollback.
    const degrade = await (0, support_1.call)(`http://127.0.0.1:${ports.green}`, 'POST', '/api/v1/admin/degrade', { slow_ms: 2000 });
    strict_1.default.equal(degrade.status, 200);
    const load = (0, support_1.startLoad)(lb(), { concurrency: 12, maxMs: 120_000, maxRequests: 50_000 });
    const err = await h.result().then(() => strict_1.default.fail('the run should have rolled back'), (e) => e);
    const report = await load.stop();
    strict_1.default.ok(err instanceof client_1.WorkflowFailedError && err.cause instanceof common_1.ApplicationFailure, String(err));
    strict_1.default.equal(err.cause.type, 'MonitoringBreached', err.cause.message);
    const p = err.cause.details?.[0];
    strict_1.default.equal(p.phase, 'rolled_back');
    // with live-write capture: green's writes go back to the legacy tables before and after blue takes traffic
    strict_1.default.deepEqual(p.compensations.map((c) => c.step).slice(0, 5), ['drain.startBlue', 'switch.drainReverse', 'switch.switchBack', 'deploy.stopInstance', 'deploy.drainReverse']);
    strict_1.default.equal(report.failed, 0, report.failures.join('\n'));
    strict_1.default.ok(report.byInstance.green > 0 && report.byInstance.blue > 0, JSON.stringify(report.byInstance));
    strict_1.default.equal(await servedBy(), 'blue');
    strict_1.default.ok(await refuses(ports.green), 'green stopped');
    strict_1.default.equal(await exists('public.chunks_unified'), false);
    // a rolled-back run forgets itself, and stp_migration goes too: the previous test's rollback had dropped it, so this run created it
    strict_1.default.equal((await db.pool.query(`select 1 from pg_namespace where nspname = 'stp_migration'`)).rowCount, 0);
});
//# sourceMappingURL=release-e2e.test.js.map