"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_http_1 = __importDefault(require("node:http"));
const deployers_1 = require("../../activities/release/deployers");
const errors_1 = require("../../activities/release/errors");
/** A recording docker: answers `docker inspect` from a table of containers, everything else with 0. */
function fakeDocker(containers = {}) {
    const calls = [];
    const runner = async (argv, opts = {}) => {
        calls.push({ argv, env: opts.env });
        if (argv[1] === 'inspect') {
            const c = containers[argv[argv.length - 1]];
            return c ? { code: 0, stdout: `${c.running} ${c.hash ?? ''}\n`, stderr: '' } : { code: 1, stdout: '', stderr: 'Error: No such object' };
        }
        return { code: 0, stdout: 'ok\n', stderr: '' };
    };
    return { runner, calls, argv: () => calls.filter((c) => c.argv[1] !== 'inspect').map((c) => c.argv) };
}
const spec = { instance: 'green', version: '2', port: 8081, env: { DATABASE_URL: 'postgres://stp@db/stp' } };
(0, node_test_1.test)('deploy issues the runbook docker run, with env values kept out of argv', async () => {
    const d = fakeDocker();
    const handle = await (0, deployers_1.createDockerDeployer)({ runner: d.runner }).deploy(spec);
    const run = d.calls.find((c) => c.argv[1] === 'run');
    strict_1.default.deepEqual(run.argv, [
        'docker', 'run', '-d', '--name', 'semantic-text-processor-green', '-p', '8081:8080',
        '--label', `stp.spec=${handle.specHash}`, '--label', 'stp.instance=green',
        '-e', 'DATABASE_URL', '-e', 'PORT', '-e', 'STP_INSTANCE', '-e', 'STP_LISTEN_HOST', '-e', 'STP_SERVICE_VERSION',
        'semantic-text-processor:latest',
    ]);
    strict_1.default.equal(run.env?.DATABASE_URL, 'postgres://stp@db/stp');
    strict_1.default.equal(run.env?.STP_SERVICE_VERSION, '2');
    strict_1.default.ok(!run.argv.some((a) => a.includes('postgres://')));
    strict_1.default.equal(handle.container, 'semantic-text-processor-green');
});
(0, node_test_1.test)('plan.release.config: the config.yaml is mounted read-only where the service reads it; its content is part of the spec', async () => {
    const d = fakeDocker();
    const withConfig = { ...spec, config: { file: '/etc/semantic-text-processor.v2/config.yaml', sha256: 'a'.repeat(64) } };
    const handle = await (0, deployers_1.createDockerDeployer)({ runner: d.runner }).deploy(withConfig);
    const run = d.calls.find((c) => c.argv[1] === 'run');
    const v = run.argv.indexOf('-v');
    strict_1.default.equal(run.argv[v + 1], '/etc/semantic-text-processor.v2/config.yaml:/etc/semantic-text-processor/config.yaml:ro');
    strict_1.default.ok(run.argv.includes('STP_CONFIG_FILE'));
    strict_1.default.equal(run.env?.STP_CONFIG_FILE, '/etc/semantic-text-processor/config.yaml');
    const edited = await (0, deployers_1.createDockerDeployer)({ runner: fakeDocker().runner }).deploy({ ...withConfig, config: { ...withConfig.config, sha256: 'b'.repeat(64) } });
    strict_1.default.notEqual(edited.specHash, handle.specHash, 'the same path with other contents is another spec');
});
(0, node_test_1.test)('deploy is idempotent: same spec running returns it, a stopped one is removed first, another spec conflicts', async () => {
    const probe = await (0, deployers_1.createDockerDeployer)({ runner: fakeDocker().runner }).deploy(spec);
    const same = fakeDocker({ 'semantic-text-processor-green': { running: true, hash: probe.specHash } });
    await (0, deployers_1.createDockerDeployer)({ runner: same.runner }).deploy(spec);
    strict_1.default.deepEqual(same.argv(), []);
    const stale = fakeDocker({ 'semantic-text-processor-green': { running: false, hash: 'old' } });
    await (0, deployers_1.createDockerDeployer)({ runner: stale.runner, publishHost: '127.0.0.1', image: 'stp:2' }).deploy(spec);
    strict_1.default.deepEqual(stale.argv()[0], ['docker', 'rm', 'semantic-text-processor-green']);
    strict_1.default.deepEqual(stale.argv()[1].slice(0, 7), ['docker', 'run', '-d', '--name', 'semantic-text-processor-green', '-p', '127.0.0.1:8081:8080']);
    strict_1.default.equal(stale.argv()[1].at(-1), 'stp:2');
    const other = fakeDocker({ 'semantic-text-processor-green': { running: true, hash: 'other' } });
    await strict_1.default.rejects((0, deployers_1.createDockerDeployer)({ runner: other.runner }).deploy(spec), errors_1.DeployConflictError);
});
(0, node_test_1.test)('stop is docker stop + docker rm, and nothing when the container is gone; rename is docker rename', async () => {
    const d = fakeDocker({ 'semantic-text-processor-blue': { running: true } });
    const deployer = (0, deployers_1.createDockerDeployer)({ runner: d.runner });
    const blue = { kind: 'docker', instance: 'blue', identity: 'blue', version: '1', port: 8080, specHash: 'x', container: 'semantic-text-processor-blue' };
    await deployer.stop(blue, { graceMs: 60_000 });
    strict_1.default.deepEqual(d.argv(), [
        ['docker', 'stop', '-t', '60', 'semantic-text-processor-blue'],
        ['docker', 'rm', 'semantic-text-processor-blue'],
    ]);
    const gone = fakeDocker();
    await (0, deployers_1.createDockerDeployer)({ runner: gone.runner }).stop(blue);
    strict_1.default.deepEqual(gone.argv(), []);
    const green = { ...blue, instance: 'green', identity: 'green', container: 'semantic-text-processor-green' };
    const renamed = await deployer.rename(green, 'blue');
    strict_1.default.deepEqual(d.argv().at(-1), ['docker', 'rename', 'semantic-text-processor-green', 'semantic-text-processor-blue']);
    strict_1.default.equal(renamed.instance, 'blue');
    strict_1.default.equal(renamed.identity, 'green');
});
(0, node_test_1.test)('a failing docker command is reported with its stderr', async () => {
    const runner = async (argv) => argv[1] === 'inspect' ? { code: 1, stdout: '', stderr: '' } : { code: 125, stdout: '', stderr: 'port is already allocated' };
    await strict_1.default.rejects((0, deployers_1.createDockerDeployer)({ runner }).deploy(spec), (e) => e instanceof errors_1.DeployFailedError && /docker run .* exited 125: port is already allocated/.test(e.message));
});
(0, node_test_1.test)('waitHealthy polls the published port while the container runs', async () => {
    const server = node_http_1.default.createServer((_req, res) => {
        res.setHeader('X-STP-Instance', 'green');
        res.end(JSON.stringify({ status: 'healthy', version: '2', components: { database: { schema_version: 2 } } }));
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    try {
        const port = server.address().port;
        const d = fakeDocker({ 'semantic-text-processor-green': { running: true } });
        const deployer = (0, deployers_1.createDockerDeployer)({ runner: d.runner });
        const handle = { kind: 'docker', instance: 'green', identity: 'green', version: '2', port, specHash: 'x', container: 'semantic-text-processor-green' };
        const report = await deployer.waitHealthy(handle, { timeoutMs: 3000 });
        strict_1.default.equal(report.schemaVersion, 2);
        const dead = (0, deployers_1.createDockerDeployer)({ runner: fakeDocker({ 'semantic-text-processor-green': { running: false } }).runner });
        await strict_1.default.rejects(dead.waitHealthy(handle, { timeoutMs: 3000 }), errors_1.DeployFailedError);
    }
    finally {
        server.close();
    }
});
//# sourceMappingURL=docker-deployer.test.js.map