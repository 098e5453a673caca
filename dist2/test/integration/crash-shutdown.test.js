"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_net_1 = __importDefault(require("node:net"));
const client_1 = require("@temporalio/client");
const names_1 = require("../../common/names");
const temporal_1 = require("../helpers/temporal");
const crash_support_1 = require("./crash-support");
const upgrade_support_1 = require("./upgrade-support");
// SIGTERM while an activity is stuck where no cancellation reaches it (here: a "database" that
// lets the client log in and then never answers a query): the worker still exits within its
// shutdown bounds (grace 20 s, force at 30 s, then a hard exit), not after the activity's
// start-to-close timeout.
const sockets = [];
let blackhole;
let w;
let connection;
(0, node_test_1.after)(async () => {
    if (w && w.child.exitCode === null && w.child.signalCode === null)
        w.child.kill('SIGKILL');
    for (const s of sockets)
        s.destroy();
    blackhole?.close();
    await connection?.close();
});
const SHUTDOWN_LIMIT_MS = 45_000;
(0, node_test_1.test)('a worker with an activity stuck in a call exits within its shutdown bounds after SIGTERM', { timeout: 120_000 }, async () => {
    blackhole = node_net_1.default.createServer((s) => {
        sockets.push(s);
        // AuthenticationOk and ReadyForQuery after the startup message; every query after that hangs
        s.once('data', () => s.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 0, 0x5a, 0, 0, 0, 5, 0x49])));
    });
    await new Promise((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
    const port = blackhole.address().port;
    const queue = (0, upgrade_support_1.randomQueue)('crash-shutdown');
    w = await (0, crash_support_1.worker)(queue, `postgres://postgres@127.0.0.1:${port}/stp`);
    connection = await client_1.Connection.connect({ address: temporal_1.TEMPORAL_ADDRESS });
    const client = new client_1.Client({ connection });
    const plan = { database: 'primary', steps: ['preflight'] };
    const handle = await client.workflow.start(names_1.WorkflowTypes.upgrade, { taskQueue: queue, workflowId: `crash-shutdown-${Date.now()}`, args: [plan], workflowExecutionTimeout: '2 minutes' });
    try {
        await (0, upgrade_support_1.waitFor)('preflight stuck on its first query', async () => sockets.length > 0 && (await (0, crash_support_1.pendingActivity)(handle, 'preflight')), 30_000, 100);
        const t0 = Date.now();
        const exited = new Promise((resolve) => w.child.once('exit', (code) => resolve(code)));
        w.child.kill('SIGTERM');
        let timer;
        const code = await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(() => resolve('hung'), 90_000)))]);
        clearTimeout(timer);
        const ms = Date.now() - t0;
        console.log(`# the worker exited (code ${code}) ${(ms / 1000).toFixed(1)} s after SIGTERM with an activity stuck`);
        strict_1.default.notEqual(code, 'hung', `the worker did not exit within 90 s:\n${w.output().slice(-2000)}`);
        strict_1.default.ok(ms <= SHUTDOWN_LIMIT_MS, `the worker took ${ms} ms to exit (limit ${SHUTDOWN_LIMIT_MS} ms)`);
        strict_1.default.match(w.output(), /abandoned/, 'the worker says what it gave up on');
    }
    finally {
        await handle.terminate('test over').catch(() => undefined);
    }
});
//# sourceMappingURL=crash-shutdown.test.js.map