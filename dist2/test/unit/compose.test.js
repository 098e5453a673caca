"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const yaml_1 = __importDefault(require("yaml"));
const names_1 = require("../../common/names");
// docker-compose.yml cannot run here (no Docker engine): check that it parses and agrees with the code.
const root = process.env.STP_REPO_ROOT ?? node_path_1.default.resolve(__dirname, '..', '..', '..');
const compose = yaml_1.default.parse(node_fs_1.default.readFileSync(node_path_1.default.join(root, 'docker-compose.yml'), 'utf8'));
const source = (file) => node_fs_1.default.readFileSync(node_path_1.default.join(root, file), 'utf8');
(0, node_test_1.test)('compose has postgres (pgvector + AGE), temporal with its UI, and the worker', () => {
    strict_1.default.deepEqual(Object.keys(compose.services).sort(), ['postgres', 'temporal', 'worker']);
    strict_1.default.ok(compose.services.postgres.ports.includes('127.0.0.1:55432:5432'));
    strict_1.default.ok(compose.services.temporal.ports.includes('127.0.0.1:7233:7233'));
    strict_1.default.ok(compose.services.temporal.ports.includes('127.0.0.1:8233:8233'));
    const dockerfile = source(compose.services.postgres.build.dockerfile);
    strict_1.default.match(dockerfile, /postgresql-17-pgvector/);
    strict_1.default.match(dockerfile, /postgresql-17-age/);
    for (const file of [compose.services.worker.build.dockerfile])
        strict_1.default.ok(node_fs_1.default.existsSync(node_path_1.default.join(root, file)), file);
});
(0, node_test_1.test)('the worker gets exactly the variables the code reads, with the code defaults', () => {
    const env = compose.services.worker.environment;
    // TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE are read by @temporalio/envconfig, as by the temporal CLI.
    const read = [
        'client/temporal-settings.ts',
        'node_modules/@temporalio/envconfig/lib/envconfig-toml.js',
        'common/database-name.ts',
        'common/codec/keys.ts',
        'workers/logging.ts',
        'workers/runtime.ts',
    ].map(source).join('\n');
    for (const name of ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'STP_TASK_QUEUE', 'STP_DATABASE_URL', 'STP_CODEC_KEYS', 'STP_LOG_LEVEL', 'STP_METRICS_ADDRESS']) {
        strict_1.default.ok(name in env, `compose sets ${name}`);
        strict_1.default.ok(read.includes(name), `the code reads ${name}`);
    }
    strict_1.default.equal(env.STP_TASK_QUEUE, names_1.DEFAULT_TASK_QUEUE);
    strict_1.default.equal(env.TEMPORAL_NAMESPACE, names_1.DEFAULT_NAMESPACE);
    strict_1.default.equal(env.TEMPORAL_ADDRESS, 'temporal:7233');
    strict_1.default.match(env.STP_DATABASE_URL, /^postgres:\/\/[^:@]+@postgres:5432\//, 'no password in the URL');
    strict_1.default.equal(env.STP_CODEC_KEYS, '${STP_CODEC_KEYS:-}', 'the codec keys come from the host, never from the file');
});
(0, node_test_1.test)('the metrics port is published where the worker serves it', () => {
    const env = compose.services.worker.environment;
    const port = env.STP_METRICS_ADDRESS.split(':').pop();
    strict_1.default.equal(env.STP_METRICS_ADDRESS, `0.0.0.0:${port}`, 'bound on all interfaces inside the container');
    strict_1.default.ok(compose.services.worker.ports.includes(`127.0.0.1:${port}:${port}`), 'published on the host\'s loopback');
    strict_1.default.match(source(compose.services.worker.build.dockerfile), new RegExp(`EXPOSE ${port}`));
});
(0, node_test_1.test)('the worker image runs as a non-root user with production dependencies only', () => {
    const dockerfile = source(compose.services.worker.build.dockerfile);
    const stages = dockerfile.split(/^FROM /m).slice(1);
    strict_1.default.ok(stages.length >= 2, 'a build stage and a runtime stage');
    const runtime = stages[stages.length - 1];
    strict_1.default.match(runtime, /npm ci --omit=dev/, 'production dependencies only');
    strict_1.default.doesNotMatch(runtime, /COPY --from=\w+ \/app\/node_modules/, 'not the build stage\'s node_modules (with dev dependencies)');
    strict_1.default.match(runtime, /COPY --from=build \/app\/dist \.\/dist/);
    const user = /^USER (\S+)/m.exec(runtime);
    strict_1.default.ok(user && user[1] !== 'root' && user[1] !== '0', 'USER is not root');
    strict_1.default.ok(runtime.indexOf('USER ') < runtime.indexOf('CMD '), 'USER before CMD');
    strict_1.default.match(runtime, /CMD \["node", "bin\/stp-upgrade\.js", "worker"\]/);
    const pkg = JSON.parse(source('package.json'));
    for (const dep of ['@temporalio/envconfig', 'pino', '@temporalio/worker'])
        strict_1.default.ok(dep in pkg.dependencies, `${dep} is a production dependency`);
});
//# sourceMappingURL=compose.test.js.map