"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = __importDefault(require("node:crypto"));
const node_fs_1 = __importDefault(require("node:fs"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const release_1 = require("../../activities/release");
const switch_1 = require("../../activities/release/switch");
const cli_1 = require("../../client/cli");
const plan_1 = require("../../common/plan");
const schema_1 = require("../../service/schema");
const pg_1 = require("../helpers/pg");
const support_1 = require("./support");
// plan.release.config with real processes: the new config.yaml checked before green starts and
// handed to it, blue on the old one, and the switch-back serving the old one again.
const tmp = node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'stp-release-config-'));
const runId = 'run-release-config';
let db;
let acts;
let ports;
const plans = [];
const oldDir = node_path_1.default.join(tmp, 'etc', 'semantic-text-processor');
const newFile = node_path_1.default.join(tmp, 'etc', 'semantic-text-processor.v2', 'config.yaml');
const sha = (f) => node_crypto_1.default.createHash('sha256').update(node_fs_1.default.readFileSync(f)).digest('hex');
function makePlan(release = {}) {
    const parsed = (0, plan_1.parsePlan)({
        database: 'primary',
        release: {
            deployer: { stateDir: node_path_1.default.join(tmp, 'deploy'), blue: { port: ports.blue }, green: { port: ports.green } },
            traffic: { nginx: { stateDir: node_path_1.default.join(tmp, 'nginx'), listenPort: ports.lb } },
            health: { consecutive: 2, deadlineSeconds: 15, intervalMs: 100 },
            drainSeconds: 0,
            config: { old: oldDir, new: newFile },
            ...release,
        },
    });
    if (!parsed.ok)
        throw new Error(parsed.errors.join('\n'));
    plans.push(parsed.plan);
    return parsed.plan;
}
(0, node_test_1.before)(async () => {
    db = await (0, pg_1.createTestDatabase)('release_config', { extensions: ['vector'] });
    await (0, schema_1.ensureLegacySchema)(db.pool, 16);
    await (0, schema_1.ensureUnifiedSchema)(db.pool, 16);
    ports = { blue: await (0, support_1.freePort)(), green: await (0, support_1.freePort)(), lb: await (0, support_1.freePort)() };
    const deps = { pools: { get: () => db.pool }, resolveUrl: () => db.url, stateRoot: tmp };
    acts = (0, release_1.createReleaseActivities)(deps);
    node_fs_1.default.mkdirSync(oldDir, { recursive: true });
    node_fs_1.default.mkdirSync(node_path_1.default.dirname(newFile), { recursive: true });
    node_fs_1.default.writeFileSync(node_path_1.default.join(oldDir, 'config.yaml'), 'cache:\n  max_size: 7\nfeatures:\n  use_unified_handlers: false\n');
    const out = [];
    const code = await (0, cli_1.runCli)(['config', 'migrate', '--from', oldDir, '--out', newFile], { out: (l) => out.push(l), err: (l) => out.push(l), env: {} });
    strict_1.default.equal(code, 0, out.join('\n'));
});
(0, node_test_1.after)(async () => {
    for (const p of plans) {
        for (const which of ['green', 'blue'])
            await acts.stopInstance({ runId, plan: p, which }).catch(() => undefined);
    }
    await new switch_1.NginxControl((0, switch_1.nginxLayout)(node_path_1.default.join(tmp, 'nginx'))).stop(2000).catch(() => undefined);
    await db?.drop();
    node_fs_1.default.rmSync(tmp, { recursive: true, force: true });
});
const health = async (port) => (await (0, support_1.call)(`http://127.0.0.1:${port}`, 'GET', '/api/v1/health')).body;
(0, node_test_1.test)('an invalid new config.yaml stops the deploy before green starts, naming every problem', async () => {
    const bad = node_path_1.default.join(tmp, 'bad.yaml');
    node_fs_1.default.writeFileSync(bad, 'server:\n  read_timeout: soon\ncache:\n  max_size: -1\n');
    const plan = makePlan({ deployer: { stateDir: node_path_1.default.join(tmp, 'deploy-bad'), green: { port: ports.green } }, config: { new: bad } });
    await strict_1.default.rejects(acts.deployGreen({ runId, plan }), (e) => e.name === 'BadInputError' && /plan\.release\.config\.new: .*bad\.yaml is not a valid config\.yaml, green was not deployed/.test(e.message) &&
        /config\.server\.read_timeout: expected a duration/.test(e.message) && /config\.cache\.max_size: expected a non-negative integer/.test(e.message));
    await strict_1.default.rejects((0, support_1.call)(`http://127.0.0.1:${ports.green}`, 'GET', '/api/v1/health', undefined, 1000), 'green never started');
});
(0, node_test_1.test)('blue runs the old config, green the new one; switch and switch-back serve each; a stopped blue comes back on the old one', async () => {
    const plan = makePlan();
    const input = { runId, plan };
    await acts.startBlue(input);
    const blue = await health(ports.blue);
    strict_1.default.deepEqual(blue.config, { file: node_path_1.default.join(oldDir, 'config.yaml'), sha256: sha(node_path_1.default.join(oldDir, 'config.yaml')) });
    strict_1.default.equal((await (0, support_1.call)(`http://127.0.0.1:${ports.blue}`, 'GET', '/api/v1/cache/stats')).body.max_size, 7, 'blue applies the old file');
    const green = await acts.deployGreen(input);
    strict_1.default.deepEqual(green.config, { file: newFile, warnings: [] });
    strict_1.default.deepEqual((await health(ports.green)).config, { file: newFile, sha256: sha(newFile) });
    strict_1.default.equal((await (0, support_1.call)(`http://127.0.0.1:${ports.green}`, 'GET', '/api/v1/cache/stats')).body.max_size, 7, 'the migrated file kept the old cache size');
    await acts.switchTraffic(input);
    strict_1.default.equal((await health(ports.lb)).config.sha256, sha(newFile));
    await acts.stopInstance({ ...input, which: 'blue' });
    await acts.switchBack(input);
    const back = await health(ports.lb);
    strict_1.default.equal(back.instance, 'blue');
    strict_1.default.deepEqual(back.config, { file: node_path_1.default.join(oldDir, 'config.yaml'), sha256: sha(node_path_1.default.join(oldDir, 'config.yaml')) });
});
(0, node_test_1.test)('restartBlue (the emergency rollback after a restore): blue stopped and started again on the file as it is now, healthy', async () => {
    const plan = makePlan();
    const input = { runId, plan };
    const before = await acts.startBlue(input);
    const file = node_path_1.default.join(oldDir, 'config.yaml');
    node_fs_1.default.writeFileSync(file, 'cache:\n  max_size: 11\n');
    const after = await acts.restartBlue(input);
    strict_1.default.notEqual(after.pid, before.pid, 'a new process');
    strict_1.default.equal(after.started, true);
    strict_1.default.equal(after.health.status, 'healthy');
    strict_1.default.equal((await health(ports.blue)).config.sha256, sha(file));
    strict_1.default.equal((await (0, support_1.call)(`http://127.0.0.1:${ports.blue}`, 'GET', '/api/v1/cache/stats')).body.max_size, 11);
});
//# sourceMappingURL=release-config.test.js.map