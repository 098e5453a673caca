"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.NO_DATA = exports.SLOW = exports.HEALTHY = exports.BASELINE = void 0;
exports.createReleaseStubs = createReleaseStubs;
exports.startReleaseEnv = startReleaseEnv;
const activity_1 = require("@temporalio/activity");
const common_1 = require("@temporalio/common");
const testing_1 = require("@temporalio/testing");
const worker_1 = require("@temporalio/worker");
const rollback_1 = require("../../activities/rollback");
const temporal_1 = require("../helpers/temporal");
const stubs_1 = require("./stubs");
exports.BASELINE = { p95Ms: 100, memoryBytes: 200_000_000, hitRate: 0.8, samples: 5 };
exports.HEALTHY = { ok: true, health: 'healthy', p95Ms: 110, memoryBytes: 210_000_000, hitRate: 0.82 };
exports.SLOW = { ...exports.HEALTHY, p95Ms: 4000 };
exports.NO_DATA = { ok: false, error: 'health: ECONNREFUSED' };
/**
 * Release, monitor and rollback activities typed from the real factories, returning at once (the
 * time-skipping server would expire a stub that waits while it skips time). Calls are logged in the
 * same StubLog as the data stubs, so one list shows data and release steps and their undo in order.
 */
function createReleaseStubs(scenarios, logs, samples) {
    const current = () => {
        const id = (activity_1.Context.current().info.workflowExecution?.workflowId ?? 'unknown').replace(/-monitor$/, '');
        if (!logs.has(id))
            logs.set(id, { calls: [], slices: [] });
        return { id, s: scenarios.get(id) ?? {}, log: logs.get(id) };
    };
    const step = (name) => {
        const { s, log } = current();
        log.calls.push(name);
        if (s.failAt === name || s.failCompensation === name)
            throw common_1.ApplicationFailure.nonRetryable(`injected failure in ${name}`, 'InjectedFailure');
        return s;
    };
    const health = { status: 'healthy', version: '2', instance: 'green', schemaVersion: 2, elapsedMs: 3 };
    const deployed = (instance, version, port) => ({ instance, version, port, pid: 1, started: true, health, checks: 3 });
    const target = (instance, port) => ({ instance, port });
    const switched = (to, from) => ({
        target: target(to, to === 'green' ? 8081 : 8080), previous: target(from, from === 'green' ? 8081 : 8080), attempts: 1,
        proof: { requests: 5, consecutive: 5, elapsedMs: 10, seen: { [`${to}/2`]: 5 } },
    });
    const real = (0, rollback_1.createRollbackActivities)({ pools: { get: () => { throw new Error('no database in workflow tests'); } } });
    return {
        deployGreen: async () => (step('deployGreen'), deployed('green', '2', 8081)),
        startBlue: async () => (step('startBlue'), deployed('blue', '1', 8080)),
        restartBlue: async () => (step('restartBlue'), deployed('blue', '1', 8080)),
        // the baseline's copy in the backup is not a step of the saga: not logged
        writeBaseline: async () => ({ file: '/tmp/performance_baseline.json' }),
        restoreArtifacts: async () => ({ restored: step('restoreArtifacts').restored ?? [], unchanged: [], backupDir: '/tmp/backup' }),
        stopInstance: async ({ which }) => (step(`stopInstance:${which}`), { stopped: true }),
        smokeTests: async () => (step('smokeTests'), { skipped: false, passed: ['create text'], warnings: [], cleanedUp: [] }),
        warmCache: async () => (step('warmCache'), { queries: 2, cacheSize: 3, failures: [] }),
        optimizeDatabase: async () => (step('optimizeDatabase'), { analyzed: ['chunks_unified'], indexes: [], built: [] }),
        switchTraffic: async () => (step('switchTraffic'), switched('green', 'blue')),
        // the cut-over is the switch under a write hold: logged as the switch it makes
        cutover: async () => (step('switchTraffic'), { switched: true, holdMs: 3, replayed: 0, backlogAtHold: 0, switch: switched('green', 'blue') }),
        switchBack: async () => (step('switchBack'), switched('blue', 'green')),
        drain: async () => (step('drain'), { waitedMs: 0 }),
        finalize: async () => (step('finalize'), { schemaVersion: 2, previous: 1, archived: [] }),
        unfinalize: async () => (step('unfinalize'), { restored: [], schemaVersion: 1 }),
        measureBaseline: async () => (step('measureBaseline'), exports.BASELINE),
        sampleService: async () => {
            const { id, s } = current();
            const n = (samples.get(id) ?? 0) + 1;
            samples.set(id, n);
            return s.sample?.(n) ?? exports.HEALTHY;
        },
        loadRun: async () => step('loadRun').record ?? null,
        writesSinceFinalize: async () => {
            const n = current().s.writesSinceFinalize;
            return n === undefined ? null : { at: '2026-11-24T01:00:00.000Z', writes: n };
        },
        describeUpgrade: real.describeUpgrade,
    };
}
/** A time-skipping server and one worker running every workflow with data and release stubs (plus `extra` activities). */
async function startReleaseEnv(taskQueue = 'release-saga-test', extra = {}) {
    worker_1.Runtime.install({ logger: new worker_1.DefaultLogger('ERROR') });
    const env = await testing_1.TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: (0, temporal_1.testServerPath)() } } });
    const workflowBundle = await (0, worker_1.bundleWorkflowCode)({ workflowsPath: require.resolve('../../workflows'), logger: new worker_1.DefaultLogger('ERROR') });
    const scenarios = new Map();
    const logs = new Map();
    const samples = new Map();
    const worker = await worker_1.Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle,
        activities: { ...(0, stubs_1.createStubActivities)(scenarios, logs), ...createReleaseStubs(scenarios, logs, samples), ...extra },
    });
    const running = worker.run();
    return {
        env, taskQueue, scenarios, logs, samples,
        async stop() {
            worker.shutdown();
            await running;
            await env.teardown();
        },
    };
}
//# sourceMappingURL=release-stubs.js.map