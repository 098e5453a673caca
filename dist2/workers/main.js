"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.WorkerStartError = exports.SHUTDOWN_FORCE_MS = exports.SHUTDOWN_GRACE_MS = void 0;
exports.runWorker = runWorker;
exports.stateRoot = stateRoot;
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const worker_1 = require("@temporalio/worker");
const activities_1 = require("../activities");
const connection_1 = require("../client/connection");
const codec_1 = require("../common/codec");
const activity_context_1 = require("./activity-context");
const logging_1 = require("./logging");
const runtime_1 = require("./runtime");
const databases_1 = require("./databases");
/**
 * Shutdown bounds, from the signal. On SIGINT/SIGTERM the worker stops polling and lets running
 * activities finish for SHUTDOWN_GRACE_MS; then it cancels them (a long statement is cancelled in
 * the server); at SHUTDOWN_FORCE_MS it gives up on what still runs. Whatever hangs after that (a
 * stuck system call, a pool waiting for a client that never comes back) does not keep the process:
 * it exits at HARD_EXIT_MS. Another worker retries the abandoned activities after their heartbeat
 * timeout, from their checkpoints.
 */
exports.SHUTDOWN_GRACE_MS = 20_000;
exports.SHUTDOWN_FORCE_MS = 30_000;
const CLEANUP_MS = 5_000;
const HARD_EXIT_MS = exports.SHUTDOWN_FORCE_MS + CLEANUP_MS + 5_000;
/**
 * The worker process: connects to Temporal, holds the database pools (resolving names from its own
 * environment), and runs workflows and activities until SIGINT/SIGTERM, then drains and exits.
 * A database restart or a dropped connection fails only the statements in flight (see EnvPools);
 * the activities are retried by Temporal.
 */
async function runWorker(env = process.env) {
    const { log, settings, dataConverter } = workerSettings(env);
    (0, runtime_1.installRuntime)(env, log);
    const pools = new databases_1.EnvPools(env);
    let connection;
    try {
        connection = await worker_1.NativeConnection.connect(settings.connection);
    }
    catch (err) {
        throw new WorkerStartError(await (0, connection_1.explainConnectFailure)(err, settings), false);
    }
    const shutdown = armHardExit(log);
    try {
        const worker = await worker_1.Worker.create({
            connection,
            namespace: settings.namespace,
            taskQueue: settings.taskQueue,
            workflowsPath: require.resolve('../workflows'),
            dataConverter,
            interceptors: { activity: [(0, activity_context_1.activityLogInterceptor)(log)] },
            // Every activity heartbeats while it runs, whatever it waits on: a killed worker costs the
            // heartbeat timeout (15-20 s), not the start-to-close timeout.
            activities: (0, activities_1.createActivities)({ pools, resolveUrl: (db) => pools.url(db), stateRoot: stateRoot(env), env }),
            shutdownGraceTime: exports.SHUTDOWN_GRACE_MS,
            shutdownForceTime: exports.SHUTDOWN_FORCE_MS,
            // Heartbeats reach the server every few seconds (the default throttle is 80 % of the
            // heartbeat timeout, too close to it on a loaded machine).
            maxHeartbeatThrottleInterval: '3s',
            // After a crash, the run's next workflow task leaves the dead worker's sticky queue sooner.
            stickyQueueScheduleToStartTimeout: '3s',
        });
        const payloads = dataConverter.failureConverterPath ? 'encrypted (AES-256-GCM)' : 'not encrypted (no STP_CODEC_KEYS)';
        log.info(`stp-upgrade worker: task queue "${settings.taskQueue}" on ${settings.address} (${settings.security}), namespace "${settings.namespace}", payloads ${payloads}`);
        await worker.run().catch((err) => {
            // After the force time the SDK fails the run (and then finds the stuck activity still holding
            // the worker): that is the bounded shutdown working, not an error to report with a stack.
            if (!shutdown.requested())
                throw err;
            log.error(`stp-upgrade worker: activities still running ${exports.SHUTDOWN_FORCE_MS / 1000} s after the signal were abandoned; ` +
                'another worker retries them after their heartbeat timeout');
        });
    }
    finally {
        // Bounded: pool.end() waits for checked-out clients, which an activity stuck in a call may never return.
        await withTimeout(Promise.allSettled([connection.close(), pools.close()]), CLEANUP_MS);
        shutdown.disarm();
    }
}
/** The worker could not start: a setting to fix (badInput) or a server it cannot reach. The message says which. */
class WorkerStartError extends Error {
    badInput;
    constructor(message, badInput) {
        super(message);
        this.badInput = badInput;
        this.name = 'WorkerStartError';
    }
}
exports.WorkerStartError = WorkerStartError;
/** Every setting of the worker's environment, checked before anything connects. */
function workerSettings(env) {
    try {
        (0, runtime_1.metricsAddress)(env);
        return { log: (0, logging_1.createLogger)(env), settings: (0, connection_1.temporalSettings)(env), dataConverter: (0, codec_1.dataConverterFromEnv)(env) };
    }
    catch (err) {
        if (err instanceof connection_1.TemporalSettingsError || err instanceof codec_1.CodecKeyError || err instanceof logging_1.LogSettingsError || err instanceof runtime_1.MetricsSettingsError) {
            throw new WorkerStartError(err.message, true);
        }
        throw err;
    }
}
/** Exits the process HARD_EXIT_MS after the first SIGINT/SIGTERM, whatever still runs. */
function armHardExit(log) {
    let timer;
    const onSignal = (signal) => {
        if (timer)
            return;
        timer = setTimeout(() => {
            log.error(`stp-upgrade worker: still not stopped ${HARD_EXIT_MS / 1000} s after ${signal}; exiting`);
            process.exit(1);
        }, HARD_EXIT_MS);
        timer.unref();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    return {
        requested: () => timer !== undefined,
        disarm: () => {
            process.off('SIGINT', onSignal);
            process.off('SIGTERM', onSignal);
            if (timer)
                clearTimeout(timer);
        },
    };
}
async function withTimeout(p, ms) {
    let timer;
    await Promise.race([p, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
}
if (require.main === module) {
    runWorker().then(() => process.exit(0), (err) => {
        console.error(`stp-upgrade worker: ${err.message}`);
        process.exit(1);
    });
}
/** Deployer and nginx state of plans that give no absolute directory. */
function stateRoot(env) {
    return env.STP_STATE_DIR ?? node_path_1.default.join(env.STP_CACHE ?? node_path_1.default.join(node_os_1.default.homedir(), '.cache', 'stp-upgrade'), 'state');
}
//# sourceMappingURL=main.js.map