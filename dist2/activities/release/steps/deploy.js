"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.waitConsecutiveHealthy = waitConsecutiveHealthy;
exports.ensureRunning = ensureRunning;
exports.createDeploySteps = createDeploySteps;
const config_1 = require("../config");
const errors_1 = require("../errors");
const http_probe_1 = require("../http-probe");
const context_1 = require("./context");
/**
 * plan.release.health: `consecutive` healthy answers in a row within the deadline. A single
 * healthy answer from a process that then crashes while loading is not enough. An instance that
 * exits fails at once (DeployFailedError), a sick one after the deadline (HealthTimeoutError).
 */
async function waitConsecutiveHealthy(ctx, handle) {
    const { consecutive, deadlineSeconds, intervalMs } = ctx.release.health;
    const deadline = Date.now() + deadlineSeconds * 1000;
    let run = 0;
    let checks = 0;
    let last = 'no check yet';
    for (;;) {
        checks++;
        try {
            const health = await ctx.deployer.waitHealthy(handle, { timeoutMs: 0 });
            run++;
            if (run >= consecutive)
                return { health, checks };
        }
        catch (err) {
            if (!(err instanceof errors_1.HealthTimeoutError))
                throw err;
            run = 0;
            last = err.message;
        }
        (0, context_1.heartbeat)({ instance: handle.instance, checks, healthyInARow: run });
        if (Date.now() + intervalMs > deadline) {
            throw new errors_1.HealthTimeoutError(`${handle.instance} not healthy ${consecutive} times in a row within ${deadlineSeconds} s (${checks} checks; last: ${last})`);
        }
        await (0, http_probe_1.sleep)(intervalMs);
    }
}
/** Starts a side unless it already runs (then only its health is checked), and waits for health. */
async function ensureRunning(ctx, side) {
    const known = ctx.findHandle(side);
    const running = known !== null && (await ctx.deployer.isRunning(known));
    const handle = running ? known : await ctx.deployer.deploy(ctx.spec(side));
    const { health, checks } = await waitConsecutiveHealthy(ctx, handle);
    return { instance: handle.instance, version: handle.version, port: handle.port, pid: handle.pid, container: handle.container,
        started: !running, health, checks };
}
function createDeploySteps(deps) {
    return {
        /**
         * Green with the plan's version and DATABASE_URL resolved here, on the worker. Idempotent: the
         * same spec already running is adopted; another spec under green's name is DeployConflictError.
         * plan.release.config.new is checked first and handed to green (BadInputError when invalid).
         * Compensation: stopInstance({ which: 'green' }).
         */
        async deployGreen({ plan }) {
            const ctx = (0, context_1.releaseContext)(deps, plan);
            const config = (0, config_1.checkReleaseConfig)(ctx.release);
            const known = ctx.findHandle('green');
            if (known && (await ctx.deployer.isRunning(known))) {
                // the same spec is adopted, another one refused: deploy() decides
                await ctx.deployer.deploy(ctx.spec('green'));
            }
            const result = await ensureRunning(ctx, 'green');
            return config ? { ...result, config: { file: config.file, warnings: config.warnings } } : result;
        },
        /** Rollback of a stopped blue: starts it again (or only checks it when it still runs). */
        async startBlue({ plan }) {
            return ensureRunning((0, context_1.releaseContext)(deps, plan), 'blue');
        },
        /**
         * Blue stopped and started again through the deployer, so it runs what the emergency rollback
         * restored (configuration, binary), then healthy `consecutive` times (emergency_rollback.sh).
         */
        async restartBlue({ plan }) {
            const ctx = (0, context_1.releaseContext)(deps, plan);
            const handle = ctx.findHandle('blue');
            if (handle)
                await ctx.deployer.stop(handle, { graceMs: 15_000 });
            return ensureRunning(ctx, 'blue');
        },
        /** Stops a side; nothing to do when it does not run. The service drains in-flight requests on SIGTERM. */
        async stopInstance({ plan, which }) {
            const ctx = (0, context_1.releaseContext)(deps, plan);
            const handle = ctx.findHandle(which);
            if (!handle)
                return { stopped: false };
            const wasRunning = await ctx.deployer.isRunning(handle);
            await ctx.deployer.stop(handle, { graceMs: 15_000 });
            return { stopped: wasRunning };
        },
    };
}
//# sourceMappingURL=deploy.js.map