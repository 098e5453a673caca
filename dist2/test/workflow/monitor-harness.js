"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.status = exports.noData = exports.slow = exports.healthy = exports.baseline = exports.env = void 0;
exports.useMonitorEnvironment = useMonitorEnvironment;
exports.monitor = monitor;
const node_test_1 = require("node:test");
const node_crypto_1 = require("node:crypto");
const testing_1 = require("@temporalio/testing");
const worker_1 = require("@temporalio/worker");
const temporal_1 = require("../helpers/temporal");
const names_1 = require("../../common/names");
// 24 h of one-minute checks, in seconds of real time: the time-skipping server jumps over every timer.
worker_1.Runtime.install({ logger: new worker_1.DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
let workflowBundle;
/** One time-skipping server and one workflow bundle per test file. */
function useMonitorEnvironment() {
    (0, node_test_1.before)(async () => {
        exports.env = await testing_1.TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: (0, temporal_1.testServerPath)() } } });
        workflowBundle = await (0, worker_1.bundleWorkflowCode)({ workflowsPath: require.resolve('../../workflows/monitor'), logger: new worker_1.DefaultLogger('WARN') });
    });
    (0, node_test_1.after)(async () => {
        await exports.env?.teardown();
    });
}
exports.baseline = { p95Ms: 100, memoryBytes: 200_000_000, hitRate: 0.8, samples: 5 };
exports.healthy = { ok: true, health: 'healthy', p95Ms: 110, memoryBytes: 210_000_000, hitRate: 0.82 };
exports.slow = { ...exports.healthy, p95Ms: 5000 };
exports.noData = { ok: false, error: 'health: ECONNREFUSED; metrics: ECONNREFUSED; cache/stats: ECONNREFUSED' };
const status = (h) => h.query(names_1.QueryNames.status);
exports.status = status;
/** Runs the monitor with a stub whose n-th sample (1-based) is `sample(n)`; `drive` steers it meanwhile. */
async function monitor(input, sample, drive) {
    const taskQueue = `monitor-${(0, node_crypto_1.randomUUID)().slice(0, 8)}`;
    const calls = { samples: 0, log: [] };
    const activities = {
        sampleService: async (i) => {
            if (i.log)
                calls.log.push(i.log);
            return sample(++calls.samples);
        },
        measureBaseline: async () => exports.baseline,
    };
    const worker = await worker_1.Worker.create({ connection: exports.env.nativeConnection, taskQueue, workflowBundle, activities });
    return worker.runUntil(async () => {
        const handle = await exports.env.client.workflow.start(names_1.WorkflowTypes.monitor, {
            taskQueue,
            workflowId: `monitor-${(0, node_crypto_1.randomUUID)()}`,
            args: [{ baseUrl: 'http://green.invalid:8080', baseline: exports.baseline, ...input }],
        });
        await drive?.(handle);
        const result = await handle.result();
        // A query of a closed workflow replays it on a worker, so ask while this one still runs.
        const final = await (0, exports.status)(handle);
        return { result, handle, calls, final };
    });
}
//# sourceMappingURL=monitor-harness.js.map