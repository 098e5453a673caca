"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = __importDefault(require("node:fs"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const deployers_1 = require("../../activities/release/deployers");
const errors_1 = require("../../activities/release/errors");
const switch_1 = require("../../activities/release/switch");
const schema_1 = require("../../service/schema");
const pg_1 = require("../helpers/pg");
const support_1 = require("./support");
const stateDir = node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'stp-switch-test-'));
const deployer = (0, deployers_1.createProcessDeployer)({ stateDir: node_path_1.default.join(stateDir, 'deploy') });
let db;
let nginx;
let blue;
let green;
let blueTarget;
let greenTarget;
(0, node_test_1.before)(async () => {
    db = await (0, pg_1.createTestDatabase)('release_switch', { extensions: ['vector'] });
    await (0, schema_1.ensureLegacySchema)(db.pool, 384);
    await (0, schema_1.ensureUnifiedSchema)(db.pool, 384);
    const env = { DATABASE_URL: db.url };
    [blue, green] = await Promise.all([
        (0, support_1.freePort)().then((port) => deployer.deploy({ instance: 'blue', version: '1', port, env })),
        (0, support_1.freePort)().then((port) => deployer.deploy({ instance: 'green', version: '2', port, env })),
    ]);
    await Promise.all([deployer.waitHealthy(blue), deployer.waitHealthy(green)]);
    blueTarget = { instance: 'blue', version: '1', port: blue.port };
    greenTarget = { instance: 'green', version: '2', port: green.port };
    nginx = await (0, switch_1.startNginx)({ stateDir: node_path_1.default.join(stateDir, 'nginx'), listenPort: await (0, support_1.freePort)(), upstream: blueTarget });
});
(0, node_test_1.after)(async () => {
    await nginx?.stop();
    for (const h of [blue, green])
        if (h)
            await deployer.stop(h, { graceMs: 2000 });
    await db?.drop();
    node_fs_1.default.rmSync(stateDir, { recursive: true, force: true });
});
const nginxSwitch = () => (0, switch_1.createNginxSwitch)({ layout: nginx.layout, lbUrl: nginx.url });
/** Runs fn under bounded load through nginx and returns the load report. */
async function underLoad(fn) {
    const load = (0, support_1.startLoad)(nginx.url, { concurrency: 4, maxMs: 10_000, maxRequests: 3000 });
    await new Promise((r) => setTimeout(r, 300));
    await fn();
    await new Promise((r) => setTimeout(r, 300));
    return load.stop();
}
(0, node_test_1.test)('deployers and nginx are idempotent', async () => {
    const again = await deployer.deploy({ instance: 'blue', version: '1', port: blue.port, env: { DATABASE_URL: db.url } });
    strict_1.default.equal(again.pid, blue.pid);
    await strict_1.default.rejects(deployer.deploy({ instance: 'blue', version: '2', port: blue.port, env: { DATABASE_URL: db.url } }), errors_1.DeployConflictError);
    const pid = nginx.control.pid();
    const adopted = await (0, switch_1.startNginx)({ stateDir: nginx.layout.prefix, listenPort: Number(new URL(nginx.url).port), upstream: greenTarget });
    strict_1.default.equal(adopted.control.pid(), pid);
    await (0, switch_1.proveServing)(nginx.url, blueTarget);
});
(0, node_test_1.test)('nginx switch to green under load: proven by header, no failed request', async () => {
    let result;
    const report = await underLoad(async () => (result = await nginxSwitch().switchTo(greenTarget)));
    strict_1.default.equal(report.failed, 0, report.failures.join('\n'));
    strict_1.default.ok(report.byInstance.blue > 0 && report.byInstance.green > 0, JSON.stringify(report.byInstance));
    strict_1.default.equal(result.previous?.instance, 'blue');
    strict_1.default.ok(result.proof.consecutive >= 5);
    strict_1.default.deepEqual((0, switch_1.readUpstreamTarget)(nginx.layout.upstreamFile), greenTarget);
    strict_1.default.match(node_fs_1.default.readFileSync(nginx.layout.upstreamFile, 'utf8'), new RegExp(`upstream stp_backend \\{ server 127\\.0\\.0\\.1:${green.port}; \\}`));
    const back = await underLoad(async () => strict_1.default.equal((await nginxSwitch().undo(result))?.target.instance, 'blue'));
    strict_1.default.equal(back.failed, 0, back.failures.join('\n'));
    await (0, switch_1.proveServing)(nginx.url, blueTarget);
});
(0, node_test_1.test)('a reload that does not move traffic is retried, then reported', async () => {
    const layout = { ...nginx.layout, upstreamFile: node_path_1.default.join(stateDir, 'not-included.conf') };
    const sw = (0, switch_1.createNginxSwitch)({ layout, lbUrl: nginx.url, attempts: 2, proof: { deadlineMs: 800 } });
    await strict_1.default.rejects(sw.switchTo(greenTarget), (err) => err instanceof errors_1.SwitchNotProvenError && /reloaded 2 times/.test(err.message));
    await (0, switch_1.proveServing)(nginx.url, blueTarget);
});
(0, node_test_1.test)('a config nginx rejects restores the previous upstream file', async () => {
    const before = node_fs_1.default.readFileSync(nginx.layout.upstreamFile, 'utf8');
    await strict_1.default.rejects(nginxSwitch().switchTo({ ...greenTarget, host: 'bad host' }), errors_1.NginxConfigError);
    strict_1.default.equal(node_fs_1.default.readFileSync(nginx.layout.upstreamFile, 'utf8'), before);
    await (0, switch_1.proveServing)(nginx.url, blueTarget);
});
(0, node_test_1.test)("command switch runs the operator's script and proves it; a no-op script is caught", async () => {
    const l = nginx.layout;
    const script = node_path_1.default.join(stateDir, 'switch.sh');
    node_fs_1.default.writeFileSync(script, `#!/bin/sh
set -e
printf 'upstream stp_backend { server %s:%s; }\\n' "$STP_TARGET_HOST" "$STP_TARGET_PORT" > '${l.upstreamFile}'
exec '${(0, switch_1.nginxBinary)()}' -s reload -c '${l.conf}' -p '${l.prefix}' -e '${l.errorLog}'
`);
    const sw = (0, switch_1.createCommandSwitch)({ command: ['sh', script], lbUrl: nginx.url });
    const result = await sw.switchTo(greenTarget, { previous: blueTarget });
    strict_1.default.equal(result.attempts, 1);
    strict_1.default.equal((await sw.undo(result))?.target.instance, 'blue');
    const noop = (0, switch_1.createCommandSwitch)({ command: ['true'], lbUrl: nginx.url, attempts: 2, proof: { deadlineMs: 500 } });
    await strict_1.default.rejects(noop.switchTo(greenTarget), errors_1.SwitchNotProvenError);
    await strict_1.default.rejects((0, switch_1.createCommandSwitch)({ command: ['false'], lbUrl: nginx.url }).switchTo(greenTarget), errors_1.SwitchCommandError);
    await (0, switch_1.proveServing)(nginx.url, blueTarget);
});
(0, node_test_1.test)('switch to green, then drain and stop blue under load: no failed request', async () => {
    const report = await underLoad(async () => {
        await nginxSwitch().switchTo(greenTarget);
        await deployer.stop(blue, { graceMs: 5000 });
    });
    strict_1.default.equal(report.failed, 0, report.failures.join('\n'));
    strict_1.default.equal(await deployer.isRunning(blue), false);
    await deployer.stop(blue);
    await (0, switch_1.proveServing)(nginx.url, greenTarget);
});
//# sourceMappingURL=switch.test.js.map