"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_path_1 = __importDefault(require("node:path"));
const activity_1 = require("@temporalio/activity");
const client_1 = require("@temporalio/client");
const worker_1 = require("@temporalio/worker");
const activities_1 = require("../../activities");
const names_1 = require("../../common/names");
const ports_1 = require("../../demo/ports");
const databases_1 = require("../../workers/databases");
const processes_1 = require("../helpers/processes");
const temporal_1 = require("../helpers/temporal");
const upgrade_support_1 = require("./upgrade-support");
// `stp-upgrade serve` as a real process, over real HTTP, against the dev Temporal server and a
// worker running the real activities on a real database.
const CLI = node_path_1.default.resolve(__dirname, '..', '..', '..', 'bin', 'stp-upgrade.js');
const TOKEN = 'h11-test-token-0123456789abcdef';
const taskQueue = (0, upgrade_support_1.randomQueue)('serve');
const dbEnv = {};
const pools = new databases_1.EnvPools(dbEnv);
/** copySlice inputs per workflow, as the worker received them. */
const slices = new Map();
let db;
let dropTemplate;
let worker;
let running;
let connection;
let client;
let serve;
let base = '';
let serveLog = '';
(0, node_test_1.before)(async () => {
    worker_1.Runtime.install({ logger: new worker_1.DefaultLogger('ERROR') });
    const tpl = await (0, upgrade_support_1.fixtureTemplate)('serve_tpl', { chunks: 3000, dim: 8, seed: 11 });
    dropTemplate = tpl.drop;
    db = await (0, upgrade_support_1.cloneDatabase)(tpl.template, 'serve_run');
    dbEnv.STP_DATABASE_URL_SERVE = db.url;
    const dir = (0, upgrade_support_1.tempDir)('serve');
    const real = (0, activities_1.createActivities)({ pools, resolveUrl: (n) => pools.url(n), stateRoot: dir, env: dbEnv });
    connection = await client_1.Connection.connect({ address: temporal_1.TEMPORAL_ADDRESS });
    client = new client_1.Client({ connection });
    // The first slice of a run pauses it (as an operator would), so the endpoints see a paused run mid-copy.
    const activities = { ...real, copySlice: async (input) => {
            const id = activity_1.Context.current().info.workflowExecution?.workflowId ?? '';
            const seen = slices.get(id) ?? [];
            slices.set(id, [...seen, input]);
            if (seen.length === 0)
                await client.workflow.getHandle(id).signal(names_1.SignalNames.pause);
            return real.copySlice(input);
        } };
    const native = await worker_1.NativeConnection.connect({ address: temporal_1.TEMPORAL_ADDRESS });
    worker = await worker_1.Worker.create({ connection: native, taskQueue, workflowsPath: require.resolve('../../workflows'), activities });
    running = worker.run().finally(() => native.close());
    const port = await (0, ports_1.freePort)();
    serve = (0, node_child_process_1.spawn)(process.execPath, [CLI, 'serve', '--port', String(port)], {
        env: { ...process.env, TEMPORAL_ADDRESS: temporal_1.TEMPORAL_ADDRESS, STP_TASK_QUEUE: taskQueue, STP_SERVE_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    serve.stdout?.on('data', (d) => (serveLog += d));
    serve.stderr?.on('data', (d) => (serveLog += d));
    await (0, upgrade_support_1.waitFor)('serve to listen', async () => serveLog.includes('/admin/migration/status'), 30_000);
    base = `http://127.0.0.1:${port}`;
});
(0, node_test_1.after)(async () => {
    if (serve && serve.exitCode === null) {
        const exited = new Promise((r) => serve.once('exit', r));
        serve.kill('SIGTERM');
        await exited;
    }
    worker?.shutdown();
    await running;
    await connection?.close();
    await pools.close();
    await db?.drop();
    await dropTemplate?.();
});
async function call(method, url, body, token = TOKEN) {
    const res = await fetch(`${base}${url}`, {
        method,
        headers: { ...(token !== null ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) };
}
(0, node_test_1.test)('status and resume over HTTP: a paused run mid-copy resumes with the batch size asked for and completes', async () => {
    const plan = { database: 'serve', steps: ['preflight', 'schema', 'copy', 'verify'], copy: { batchSize: 50 }, defects: { policy: 'quarantine' } };
    const workflowId = `h11-serve-${Date.now()}`;
    const handle = await client.workflow.start(names_1.WorkflowTypes.upgrade, { taskQueue, workflowId, args: [plan] });
    const q = `?run=${workflowId}`;
    let last;
    const paused = await (0, upgrade_support_1.waitFor)('the run to pause mid-copy', async () => {
        const r = await call('GET', `/admin/migration/status${q}`);
        last = r;
        if (r.body.workflow_status && r.body.workflow_status !== 'RUNNING')
            throw new Error('the run ended');
        return r.status === 200 && r.body.status === 'paused' ? r.body : undefined;
    }, 90_000, 200).catch((err) => strict_1.default.fail(`${err.message}; last answer: ${JSON.stringify(last)}`));
    strict_1.default.equal(paused.run_id, workflowId);
    strict_1.default.equal(paused.phase, 'paused');
    strict_1.default.equal(paused.step, 'copy');
    strict_1.default.equal(paused.workflow_status, 'RUNNING');
    const progress = paused.progress;
    strict_1.default.equal(progress.rules.chunks.done, 1000, 'one slice of 20 batches of 50');
    strict_1.default.equal(paused.incomplete_chunks, progress.rules.chunks.total - 1000);
    strict_1.default.ok(paused.incomplete_chunks > 0);
    const implicit = await call('GET', '/admin/migration/status');
    strict_1.default.equal(implicit.body.run_id, workflowId, 'without ?run: the one open upgrade on the task queue');
    // Bad input is refused with every problem named, before anything is sent to the run.
    const bad = await call('POST', `/admin/migration/resume${q}`, { checkpoint: 'nope', batch_size: 'abc', extra: 1 });
    strict_1.default.equal(bad.status, 400);
    const problems = bad.body.problems.join('\n');
    strict_1.default.match(problems, /body\.checkpoint: expected a copy rule: chunks_migration/);
    strict_1.default.match(problems, /body\.batch_size: expected a positive integer \(at most 1000000\), got "abc"/);
    strict_1.default.match(problems, /body\.extra: unknown field/);
    strict_1.default.equal((await call('POST', `/admin/migration/resume${q}`, '{not json')).status, 400);
    strict_1.default.equal((await call('GET', `/admin/migration/status${q}`)).body.status, 'paused');
    const resumed = await call('POST', `/admin/migration/resume${q}`, { checkpoint: 'chunks_migration', batch_size: 500 });
    strict_1.default.equal(resumed.status, 202, JSON.stringify(resumed.body));
    strict_1.default.equal(resumed.body.resumed, true);
    strict_1.default.equal(resumed.body.batch_size, 500);
    strict_1.default.deepEqual(resumed.body.checkpoint, { rule: 'chunks', done: 1000, total: progress.rules.chunks.total, finished: false });
    const result = await handle.result();
    strict_1.default.equal(result.phase, 'completed');
    const sizes = (slices.get(workflowId) ?? []).map((s) => `${s.rule}:${s.batchSize}`);
    strict_1.default.equal(sizes[0], 'chunks:50');
    strict_1.default.ok(sizes.length > 1 && sizes.slice(1).every((s) => s.endsWith(':500')), sizes.join(', '));
    const done = await call('GET', `/admin/migration/status${q}`);
    strict_1.default.equal(done.status, 200);
    strict_1.default.equal(done.body.status, 'completed');
    strict_1.default.equal(done.body.incomplete_chunks, 0);
    strict_1.default.equal(done.body.workflow_status, 'COMPLETED');
    strict_1.default.equal(done.body.progress.batch_size, 500);
    const ended = await call('POST', `/admin/migration/resume${q}`, { batch_size: 10 });
    strict_1.default.equal(ended.status, 409);
    strict_1.default.match(String(ended.body.error), /has ended \(completed\)/);
});
(0, node_test_1.test)('the token is required; unknown runs, paths and methods are plain errors', async () => {
    strict_1.default.equal((await call('GET', '/admin/migration/status?run=x', undefined, null)).status, 401);
    strict_1.default.equal((await call('GET', '/admin/migration/status?run=x', undefined, 'wrong')).status, 401);
    const none = await call('GET', '/admin/migration/status');
    strict_1.default.equal(none.status, 404);
    strict_1.default.match(String(none.body.error), /no upgrade run is open/);
    const missing = await call('GET', '/admin/migration/status?run=h11-no-such-run');
    strict_1.default.equal(missing.status, 404);
    strict_1.default.match(String(missing.body.error), /no upgrade run h11-no-such-run/);
    strict_1.default.equal((await call('GET', '/admin/nothing')).status, 404);
    strict_1.default.equal((await call('GET', '/admin/migration/resume')).status, 405);
    strict_1.default.match(serveLog, /GET \/admin\/migration\/status\?run=x 401/);
    strict_1.default.doesNotMatch(serveLog, new RegExp(TOKEN));
});
(0, node_test_1.test)('serve refuses a non-loopback address without STP_SERVE_TOKEN (exit 2), before connecting', async () => {
    const r = await (0, processes_1.runCliProcess)(['serve', '--host', '0.0.0.0', '--port', '0'], { STP_SERVE_TOKEN: '', TEMPORAL_ADDRESS: '127.0.0.1:1' });
    strict_1.default.equal(r.code, 2, r.stderr);
    strict_1.default.match(r.stderr, /not a loopback address: set STP_SERVE_TOKEN/);
    strict_1.default.equal((await (0, processes_1.runCliProcess)(['serve', '--port', 'x'], { TEMPORAL_ADDRESS: '127.0.0.1:1' })).code, 2);
});
//# sourceMappingURL=serve.test.js.map