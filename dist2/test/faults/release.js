"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.setupRelease = setupRelease;
exports.checkServing = checkServing;
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const release_1 = require("../../activities/release");
const switch_1 = require("../../activities/release/switch");
const plan_1 = require("../../common/plan");
const databases_1 = require("../../workers/databases");
const support_1 = require("../release/support");
/**
 * Production before the upgrade, as in test/release/release-e2e.test.ts and demo/release.ts:
 * blue (reference service v1, process deployer) behind a project-owned nginx on loopback. The
 * worker finds `nginx` first in a directory of the case, a wrapper that can hold a reload
 * (`hold-reload` file: the switch is in flight and can be killed) or fail a reload towards green
 * (`fail-reload-green` file), else runs the real binary.
 */
const WRAPPER = `#!/bin/bash
dir=$(dirname "$0"); prefix=; reload=
prev=; for a in "$@"; do [ "$prev" = -p ] && prefix=$a; [ "$a" = reload ] && reload=1; prev=$a; done
if [ -n "$reload" ] && [ -f "$dir/hold-reload" ]; then
  touch "$dir/holding"; for _ in $(seq 1 900); do [ -f "$dir/hold-reload" ] || break; sleep 0.1; done; rm -f "$dir/holding"
fi
if [ -n "$reload" ] && [ -f "$dir/fail-reload-green" ] && grep -q '"instance":"green"' "$prefix/upstream.conf" 2>/dev/null; then
  echo 'nginx: [emerg] reload failed (injected by the fault suite)' >&2; exit 1
fi
exec /usr/sbin/nginx "$@"
`;
async function setupRelease(r, dataPlan) {
    const ports = { blue: await (0, support_1.freePort)(), green: await (0, support_1.freePort)(), lb: await (0, support_1.freePort)() };
    const wrapperDir = node_path_1.default.join(r.dir, 'nginx-bin');
    node_fs_1.default.mkdirSync(wrapperDir, { recursive: true });
    node_fs_1.default.writeFileSync(node_path_1.default.join(wrapperDir, 'nginx'), WRAPPER, { mode: 0o755 });
    r.workerEnv = { PATH: `${wrapperDir}:${process.env.PATH}` };
    const stateDir = node_path_1.default.join(r.dir, 'deploy');
    const nginxDir = node_path_1.default.join(r.dir, 'nginx');
    const plan = (monitorSeconds) => ({
        ...dataPlan,
        steps: [...plan_1.ALL_STEPS],
        release: {
            deployer: { kind: 'process', stateDir, blue: { port: ports.blue }, green: { port: ports.green } },
            traffic: { kind: 'nginx', nginx: { stateDir: nginxDir, listenPort: ports.lb } },
            health: { consecutive: 3, deadlineSeconds: 30, intervalMs: 300 },
            approval: { required: false },
            drainSeconds: 1,
            blueAfterSwitch: 'stop',
            monitoring: { durationSeconds: monitorSeconds, intervalSeconds: 2, baselineSamples: 2, baselineIntervalSeconds: 0 },
        },
    });
    const parsed = (0, plan_1.parsePlan)(plan(10));
    if (!parsed.ok)
        throw new Error(parsed.errors.join('\n'));
    const env = { STP_DATABASE_URL: r.url };
    const pools = new databases_1.EnvPools(env);
    const acts = (0, release_1.createReleaseActivities)({ pools, resolveUrl: (d) => pools.url(d), stateRoot: node_path_1.default.join(r.dir, 'state'), env });
    r.onCleanup('release pools', () => pools.close());
    r.onCleanup('blue, green and nginx', async () => {
        for (const which of ['green', 'blue'])
            await acts.stopInstance({ runId: 'faults-cleanup', plan: parsed.plan, which }).catch(() => undefined);
        await new switch_1.NginxControl((0, switch_1.nginxLayout)(nginxDir), '/usr/sbin/nginx').stop(2000).catch(() => undefined);
    });
    await acts.startBlue({ runId: 'faults-setup', plan: parsed.plan });
    await (0, switch_1.startNginx)({ stateDir: nginxDir, listenPort: ports.lb, upstream: { instance: 'blue', port: ports.blue, version: '1' }, nginxBin: '/usr/sbin/nginx' });
    const lb = `http://127.0.0.1:${ports.lb}`;
    const servedBy = async () => {
        try {
            const a = await (0, support_1.call)(lb, 'GET', '/api/v1/health', undefined, 3000);
            return `${String(a.headers['x-stp-instance'])} v${String(a.headers['x-stp-version'])} (HTTP ${a.status})`;
        }
        catch (err) {
            return `nothing (${err.message})`;
        }
    };
    return { lb, ports, wrapperDir, plan, servedBy };
}
/** After a completed release: green v2 serves through nginx. After a rollback: blue v1. */
async function checkServing(r, world, expect) {
    const who = await world.servedBy();
    r.note(`nginx serves ${who}`);
    if (!who.startsWith(`${expect} `))
        r.problem(`nginx serves ${who}, expected ${expect}`);
}
//# sourceMappingURL=release.js.map