"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_crypto_1 = require("node:crypto");
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const ports_1 = require("../../demo/ports");
const schema_1 = require("../../service/schema");
const pg_1 = require("../helpers/pg");
const processes_1 = require("../helpers/processes");
const temporal_1 = require("../helpers/temporal");
const upgrade_support_1 = require("./upgrade-support");
// assess's resource planning and checklist end to end: CLI -> Temporal -> worker -> the running
// reference service's /metrics and PostgreSQL.
const taskQueue = `stp-test-assess-res-${(0, node_crypto_1.randomUUID)().slice(0, 8)}`;
const env = () => ({ TEMPORAL_ADDRESS: temporal_1.TEMPORAL_ADDRESS, STP_TASK_QUEUE: taskQueue });
const dir = (0, upgrade_support_1.tempDir)('assess-resources');
let db;
let worker;
let service;
let blueUrl = '';
(0, node_test_1.before)(async () => {
    db = await (0, pg_1.createTestDatabase)('assess_resources', { extensions: ['vector'] });
    await (0, schema_1.ensureLegacySchema)(db.pool, 8);
    const port = await (0, ports_1.freePort)();
    service = (0, node_child_process_1.spawn)(process.execPath, [node_path_1.default.resolve(__dirname, '..', '..', 'service', 'main.js')], {
        env: { PATH: process.env.PATH, DATABASE_URL: db.url, PORT: String(port), STP_SERVICE_VERSION: '1', STP_INSTANCE: 'blue' }, stdio: 'ignore',
    });
    blueUrl = `http://127.0.0.1:${port}`;
    await (0, upgrade_support_1.waitFor)('the service to answer', async () => (await fetch(`${blueUrl}/api/v1/health`).catch(() => null))?.ok, 30_000, 100);
    worker = await (0, processes_1.startWorkerProcess)({ ...env(), STP_DATABASE_URL: db.url });
});
(0, node_test_1.after)(async () => {
    await worker?.stop();
    if (service && service.exitCode === null) {
        const exited = new Promise((r) => service.once('exit', r));
        service.kill('SIGTERM');
        await exited;
    }
    await db?.drop();
    node_fs_1.default.rmSync(dir, { recursive: true, force: true });
});
(0, node_test_1.test)('assess --blue-url --plan: the service memory, 2x recommended, and the checklist', async () => {
    const planFile = node_path_1.default.join(dir, 'plan.yaml');
    node_fs_1.default.writeFileSync(planFile, 'backup:\n  config: /etc/semantic-text-processor\nalerts:\n  webhooks:\n    - urlEnv: SLACK_URL\n      format: slack\n');
    const run = await (0, processes_1.runCliProcess)(['assess', '--database', 'primary', '--blue-url', blueUrl, '--plan', planFile, '--json'], env());
    strict_1.default.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    const metrics = (await (await fetch(`${blueUrl}/api/v1/metrics`)).json());
    const mem = report.resources?.memoryBytes;
    strict_1.default.ok(mem > 10 * 1024 * 1024, `rss ${mem}`);
    strict_1.default.ok(Math.abs(mem - metrics.gauges.memory_usage_bytes) < 64 * 1024 * 1024, 'the service\'s own figure');
    strict_1.default.equal(report.resources?.recommendedMemoryBytes, mem * 2);
    strict_1.default.equal(report.resources?.url, blueUrl);
    const items = Object.fromEntries(report.checklist.map((i) => [i.item, i.status]));
    strict_1.default.equal(items['Monitoring alerts configured'], 'done');
    strict_1.default.equal(items['Migration scripts tested in staging'], 'manual');
    const text = await (0, processes_1.runCliProcess)(['assess', '--database', 'primary', '--blue-url', blueUrl, '--plan', planFile], env());
    strict_1.default.equal(text.code, 0, text.stderr);
    strict_1.default.match(text.stdout, /Service memory \(http:\/\/127\.0\.0\.1:\d+\): [\d.]+ MiB now; recommended during the migration: [\d.]+ MiB \(2x\)/);
    strict_1.default.match(text.stdout, /Migration checklist:\n {2}\[i\] Full system backup completed: configured: pg_dump of the touched tables \+ configuration/);
    strict_1.default.match(text.stdout, /\[x\] Monitoring alerts configured/);
});
(0, node_test_1.test)('a service that does not answer is a warning, not a failure; a bad --blue-url is bad input', async () => {
    const down = await (0, ports_1.freePort)();
    const run = await (0, processes_1.runCliProcess)(['assess', '--database', 'primary', '--blue-url', `http://127.0.0.1:${down}`, '--json'], env());
    strict_1.default.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    strict_1.default.equal(report.resources?.memoryBytes, null);
    strict_1.default.ok(report.warnings.some((w) => /^service memory unknown: GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/metrics/.test(w)), report.warnings.join('\n'));
    const bad = await (0, processes_1.runCliProcess)(['assess', '--database', 'primary', '--blue-url', 'ftp://x'], env());
    strict_1.default.equal(bad.code, 2);
    strict_1.default.match(bad.stderr, /--blue-url: expected an http\(s\) URL/);
});
//# sourceMappingURL=assess-resources.test.js.map