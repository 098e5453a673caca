"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = __importDefault(require("node:fs"));
const client_1 = require("@temporalio/client");
const node_child_process_1 = require("node:child_process");
const node_path_1 = __importDefault(require("node:path"));
const processes_1 = require("../helpers/processes");
const pg_1 = require("../helpers/pg");
const temporal_1 = require("../helpers/temporal");
const upgrade_support_1 = require("./upgrade-support");
// The CLI against the real Temporal dev server and a task queue no worker polls: every command
// says so within seconds, naming the queue and how to start a worker, never with a stack trace.
// Time bounds are generous (a loaded CI machine takes seconds just to start node); what the CLI
// itself waits for is bounded by its own deadlines (5 s for DescribeTaskQueue, 10 s for a query).
const FEW_SECONDS = 20_000;
const taskQueue = (0, upgrade_support_1.randomQueue)('no-worker');
const env = { TEMPORAL_ADDRESS: temporal_1.TEMPORAL_ADDRESS, STP_TASK_QUEUE: taskQueue };
const started = [];
let dir;
let connection;
let client;
(0, node_test_1.before)(async () => {
    dir = (0, upgrade_support_1.tempDir)('no-worker');
    connection = await client_1.Connection.connect({ address: temporal_1.TEMPORAL_ADDRESS });
    client = new client_1.Client({ connection });
});
(0, node_test_1.after)(async () => {
    for (const id of started)
        await client.workflow.getHandle(id).terminate('test cleanup').catch(() => undefined);
    await connection?.close();
    node_fs_1.default.rmSync(dir, { recursive: true, force: true });
});
/** The plain message: the queue, how to start a worker, no stack frame. */
function assertNoWorkerMessage(text) {
    strict_1.default.match(text, new RegExp(`no worker is polling task queue "${taskQueue}"`), text);
    strict_1.default.match(text, new RegExp(`STP_TASK_QUEUE=${taskQueue} STP_DATABASE_URL=\\S+ stp-upgrade worker`), text);
    strict_1.default.match(text, /npm run worker/);
    strict_1.default.doesNotMatch(text, /^\s+at /m, 'no stack trace');
}
/**
 * Runs the CLI until its stderr matches `until`, then stops it: for commands that keep waiting
 * (start --wait, watch). `running` says whether it was still waiting when the line came.
 */
function runUntil(args, extraEnv, until, timeoutMs = 60_000) {
    const t0 = Date.now();
    const child = (0, node_child_process_1.spawn)(process.execPath, [node_path_1.default.join(processes_1.REPO_ROOT, 'bin', 'stp-upgrade.js'), ...args], { env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    return new Promise((resolve) => {
        const done = (running) => {
            clearTimeout(timer);
            child.kill('SIGKILL');
            resolve({ stderr, ms: Date.now() - t0, running });
        };
        const timer = setTimeout(() => done(child.exitCode === null), timeoutMs);
        child.stderr.on('data', (d) => {
            stderr += d.toString();
            if (until.test(stderr))
                done(child.exitCode === null && child.signalCode === null);
        });
        child.on('exit', () => done(false));
    });
}
async function startRun(extra = [], timeoutMs = 20_000) {
    const id = `no-worker-${Date.now()}-${started.length}`;
    started.push(id);
    const plan = (0, upgrade_support_1.writePlan)(dir, id, { database: 'primary' });
    const t0 = Date.now();
    const r = await (0, processes_1.runCliProcess)(['start', '--plan', plan, '--workflow-id', id, ...extra], env, timeoutMs);
    return { id, r, ms: Date.now() - t0 };
}
(0, node_test_1.test)('start: the run is started, and stderr says no worker polls the queue', async () => {
    const { id, r, ms } = await startRun();
    strict_1.default.equal(r.code, 0, r.stderr);
    strict_1.default.match(r.stdout, new RegExp(`Started upgrade ${id}`));
    strict_1.default.match(r.stderr, new RegExp(`run ${id} is started but waits`));
    assertNoWorkerMessage(r.stderr);
    strict_1.default.ok(ms < FEW_SECONDS, `answered in ${ms} ms`);
});
(0, node_test_1.test)('start --wait says so within seconds instead of waiting silently', async () => {
    const id = `no-worker-wait-${Date.now()}`;
    started.push(id);
    const plan = (0, upgrade_support_1.writePlan)(dir, id, { database: 'primary' });
    const r = await runUntil(['start', '--plan', plan, '--workflow-id', id, '--wait'], env, /stp-upgrade worker.*\n/);
    strict_1.default.ok(r.running, 'still waiting for the run (it goes on once a worker comes)');
    assertNoWorkerMessage(r.stderr);
    strict_1.default.ok(r.ms < FEW_SECONDS, `said so after ${r.ms} ms`);
});
(0, node_test_1.test)('status of an open run with no worker: a plain message and exit 4 within seconds', async () => {
    const id = started[0];
    const t0 = Date.now();
    const r = await (0, processes_1.runCliProcess)(['status', id], env, 30_000);
    strict_1.default.equal(r.code, 4, r.stderr);
    strict_1.default.match(r.stderr, new RegExp(`^stp-upgrade status: run ${id} is open but cannot report its progress: `));
    assertNoWorkerMessage(r.stderr);
    strict_1.default.equal(r.stderr.trim().split('\n').length, 1, 'one line');
    strict_1.default.ok(Date.now() - t0 < FEW_SECONDS, `answered in ${Date.now() - t0} ms`);
    const json = await (0, processes_1.runCliProcess)(['status', id, '--json'], env, 30_000);
    strict_1.default.equal(json.code, 4);
    assertNoWorkerMessage(json.stderr);
});
(0, node_test_1.test)('watch says so at once and keeps watching', async () => {
    const r = await runUntil(['watch', started[0]], env, /stp-upgrade worker.*\n/);
    strict_1.default.ok(r.running, 'still watching');
    strict_1.default.match(r.stderr, new RegExp(`^stp-upgrade watch: run ${started[0]} waits: `));
    assertNoWorkerMessage(r.stderr);
    strict_1.default.ok(r.ms < FEW_SECONDS, `said so after ${r.ms} ms`);
});
(0, node_test_1.test)('an unknown TEMPORAL_NAMESPACE: one line, exit 2', async () => {
    for (const args of [['status', 'some-run'], ['watch', 'some-run'], ['start', '--plan', (0, upgrade_support_1.writePlan)(dir, 'ns', { database: 'primary' })]]) {
        const r = await (0, processes_1.runCliProcess)(args, { ...env, TEMPORAL_NAMESPACE: 'nosuchns' }, 30_000);
        strict_1.default.equal(r.code, 2, r.stderr);
        strict_1.default.match(r.stderr, /namespace "nosuchns" does not exist on the Temporal server at 127\.0\.0\.1:7233: set TEMPORAL_NAMESPACE/);
        strict_1.default.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
});
(0, node_test_1.test)('status when the worker died a moment ago: the unanswered query becomes a plain message', { timeout: 120_000 }, async () => {
    const queue = (0, upgrade_support_1.randomQueue)('dead-worker');
    const qEnv = { TEMPORAL_ADDRESS: temporal_1.TEMPORAL_ADDRESS, STP_TASK_QUEUE: queue };
    const id = `dead-worker-${Date.now()}`;
    started.push(id);
    const plan = (0, upgrade_support_1.writePlan)(dir, id, { database: 'primary' });
    strict_1.default.equal((await (0, processes_1.runCliProcess)(['start', '--plan', plan, '--workflow-id', id], qEnv, 20_000)).code, 0);
    // The run's activities fail against a database that does not exist; only its queries matter here.
    const worker = await (0, processes_1.startWorkerProcess)({ ...qEnv, STP_DATABASE_URL: (0, pg_1.urlFor)('stp_no_such_database') });
    try {
        for (let i = 0;; i++) {
            const r = await (0, processes_1.runCliProcess)(['status', id], qEnv, 30_000);
            if (r.code === 0)
                break;
            strict_1.default.ok(i < 30, `the worker answers status: ${r.stderr}`);
            await new Promise((res) => setTimeout(res, 500));
        }
    }
    finally {
        worker.child.kill('SIGKILL');
        await new Promise((res) => worker.child.once('exit', res));
    }
    // Temporal still lists the dead worker's poller, so the query is sent and nobody answers it.
    const t0 = Date.now();
    const r = await (0, processes_1.runCliProcess)(['status', id], qEnv, 60_000);
    strict_1.default.equal(r.code, 4, r.stderr);
    strict_1.default.match(r.stderr, new RegExp(`^stp-upgrade status: run ${id} is open, but no worker on task queue "${queue}" answered its progress query within 10 s`));
    strict_1.default.match(r.stderr, /stp-upgrade worker/);
    strict_1.default.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
    strict_1.default.ok(Date.now() - t0 < 10_000 + FEW_SECONDS, `answered in ${Date.now() - t0} ms`);
});
//# sourceMappingURL=no-worker.test.js.map