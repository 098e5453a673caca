"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.bundleWorkflows = bundleWorkflows;
exports.fileLogger = fileLogger;
exports.startWorker = startWorker;
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const worker_1 = require("@temporalio/worker");
const activities_1 = require("../activities");
const databases_1 = require("../workers/databases");
/** Webpack-bundles the workflows; started early because it takes seconds and needs no server. */
function bundleWorkflows(logDir) {
    return (0, worker_1.bundleWorkflowCode)({ workflowsPath: require.resolve('../workflows'), logger: fileLogger(logDir, 'WARN') });
}
/** A DefaultLogger that appends to LOGDIR/worker.log instead of the demo's screen. */
function fileLogger(logDir, level) {
    const file = node_path_1.default.join(logDir, 'worker.log');
    return new worker_1.DefaultLogger(level, (entry) => {
        const meta = entry.meta && Object.keys(entry.meta).length ? ` ${JSON.stringify(entry.meta)}` : '';
        node_fs_1.default.appendFileSync(file, `${new Date(Number(entry.timestampNanos / 1000000n)).toISOString()} ${entry.level} ${entry.message}${meta}\n`);
    });
}
/**
 * The same worker as `stp-upgrade worker` (all activity families of activities/index.ts, the
 * database named `primary` resolved from the worker's own environment), run in this process.
 */
async function startWorker(cleanup, opts) {
    const pools = new databases_1.EnvPools({ STP_DATABASE_URL: opts.databaseUrl });
    const connection = await worker_1.NativeConnection.connect({ address: opts.address });
    const worker = await worker_1.Worker.create({
        connection,
        namespace: 'default',
        taskQueue: opts.taskQueue,
        workflowBundle: opts.workflowBundle,
        activities: (0, activities_1.createActivities)({ pools, resolveUrl: (db) => pools.url(db), stateRoot: opts.stateRoot, env: process.env }),
        shutdownGraceTime: '5s',
    });
    const running = worker.run();
    cleanup.add('worker', async () => {
        if (worker.getState() === 'RUNNING')
            worker.shutdown();
        await running.catch(() => undefined);
        await connection.close().catch(() => undefined);
        await pools.close();
    });
    running.catch(() => undefined); // a failed worker shows up as a stuck run; cleanup still awaits it
}
//# sourceMappingURL=worker.js.map