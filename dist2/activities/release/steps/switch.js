"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.createSwitchSteps = createSwitchSteps;
const node_fs_1 = __importDefault(require("node:fs"));
const common_1 = require("@temporalio/common");
const http_probe_1 = require("../http-probe");
const switch_1 = require("../switch");
const context_1 = require("./context");
const deploy_1 = require("./deploy");
const other = (side) => (side === 'green' ? 'blue' : 'green');
/** The project-owned nginx, started (serving blue) when it does not run yet; adopted untouched when it does. */
async function ensureNginx(deps, ctx) {
    if (ctx.release.traffic.kind !== 'nginx')
        return;
    await (0, switch_1.startNginx)({ stateDir: ctx.nginxDir, listenPort: ctx.release.traffic.nginx.listenPort, upstream: ctx.target('blue'),
        nginxBin: deps.nginxBin, runner: deps.runner });
}
/** Moves traffic to a side and proves it by the X-STP-Instance/Version of answers through the load balancer. */
async function switchTo(deps, ctx, to) {
    await ensureNginx(deps, ctx);
    (0, context_1.heartbeat)({ switching: to });
    // previous is passed explicitly: the command kind cannot read it, and undo must go to the other side
    return ctx.trafficSwitch().switchTo(ctx.target(to), { previous: ctx.target(other(to)) });
}
function createSwitchSteps(deps) {
    return {
        /**
         * Switches the load balancer to green (the default) and proves it. Running it again re-proves
         * the same state. Compensation: switchBack (registered before this runs).
         */
        async switchTraffic({ plan, to = 'green' }) {
            return switchTo(deps, (0, context_1.releaseContext)(deps, plan), to);
        },
        /**
         * Compensation of switchTraffic: blue is made sure to run (it may have been stopped after the
         * drain), then traffic goes back to it, proven the same way. Nothing to do when the project's
         * nginx never ran.
         */
        async switchBack({ plan }) {
            const ctx = (0, context_1.releaseContext)(deps, plan);
            if (ctx.release.traffic.kind === 'nginx') {
                const layout = (0, switch_1.nginxLayout)(ctx.nginxDir);
                if (new switch_1.NginxControl(layout, deps.nginxBin, deps.runner).pid() === null && !node_fs_1.default.existsSync(layout.upstreamFile)) {
                    return { switched: false };
                }
            }
            await (0, deploy_1.ensureRunning)(ctx, 'blue');
            return switchTo(deps, ctx, 'blue');
        },
        /**
         * Waits while blue finishes the requests it still holds (the runbook's `sleep 60`), heartbeating.
         * The saga may as well use a workflow timer (`sleep`): it holds no worker slot and survives a
         * worker restart. Cancellation ends the wait early.
         */
        async drain({ plan, seconds }) {
            const total = (seconds ?? (0, context_1.releaseContext)(deps, plan).release.drainSeconds) * 1000;
            const started = Date.now();
            const signal = (0, context_1.cancelled)();
            while (Date.now() - started < total) {
                if (signal?.aborted)
                    throw new common_1.CancelledFailure('drain cancelled');
                (0, context_1.heartbeat)({ waitedMs: Date.now() - started });
                await (0, http_probe_1.sleep)(Math.min(1000, total - (Date.now() - started)));
            }
            return { waitedMs: Date.now() - started };
        },
    };
}
//# sourceMappingURL=switch.js.map