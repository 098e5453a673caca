"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.startSagaEnv = startSagaEnv;
const worker_1 = require("@temporalio/worker");
const client_1 = require("@temporalio/client");
const testing_1 = require("@temporalio/testing");
const temporal_1 = require("../helpers/temporal");
const stubs_1 = require("./stubs");
let runtimeInstalled = false;
/** opts.dataConverter: the worker's and the client's (the payload codec of common/codec). */
async function startSagaEnv(taskQueue = 'saga-test', opts = {}) {
    if (!runtimeInstalled) {
        worker_1.Runtime.install({ logger: new worker_1.DefaultLogger(process.env.TEST_LOG_LEVEL === 'debug' ? 'INFO' : 'ERROR') });
        runtimeInstalled = true;
    }
    // realServer: the dev server (no time skipping) for a test whose cancellations race completions,
    // which the time-skipping test server cannot take ("invalid history builder state": it hangs).
    const env = opts.realServer
        ? await testing_1.TestWorkflowEnvironment.createFromExistingServer({ address: opts.realServer })
        : await testing_1.TestWorkflowEnvironment.createTimeSkipping({
            server: { executable: { type: 'existing-path', path: (0, temporal_1.testServerPath)() } },
        });
    const workflowBundle = await (0, worker_1.bundleWorkflowCode)({ workflowsPath: require.resolve('../../workflows'), logger: new worker_1.DefaultLogger('ERROR') });
    const scenarios = new Map();
    const logs = new Map();
    const worker = await worker_1.Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle,
        activities: (0, stubs_1.createStubActivities)(scenarios, logs),
        dataConverter: opts.dataConverter,
        // Heartbeat often so a cancelled slice learns of it within milliseconds.
        maxHeartbeatThrottleInterval: '20ms',
    });
    const running = worker.run();
    return {
        env,
        client: new client_1.Client({ connection: env.connection, dataConverter: opts.dataConverter }),
        taskQueue,
        scenarios,
        logs,
        workflowBundle,
        async stop() {
            worker.shutdown();
            await running;
            await env.teardown();
        },
    };
}
//# sourceMappingURL=env.js.map