"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = require("node:crypto");
const node_fs_1 = __importDefault(require("node:fs"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const worker_1 = require("@temporalio/worker");
const export_1 = require("../../activities/export");
const deployers_1 = require("../../activities/release/deployers");
const export_2 = require("../../client/commands/export");
const generate_1 = require("../../fixtures/generate");
const schema_1 = require("../../service/schema");
const pg_1 = require("../helpers/pg");
const temporal_1 = require("../helpers/temporal");
const support_1 = require("../release/support");
const tmp = node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'stp-export-test-'));
let db;
let acts;
(0, node_test_1.before)(async () => {
    db = await (0, pg_1.createTestDatabase)('export', { extensions: ['vector'] });
    await (0, generate_1.generateFixtures)(db.pool, { chunks: 2600, dim: 8, graph: false, seed: 7 });
    acts = (0, export_1.createExportActivities)({ pools: { get: () => db.pool } });
});
(0, node_test_1.after)(async () => {
    await db?.drop();
    node_fs_1.default.rmSync(tmp, { recursive: true, force: true });
});
const count = async (sql) => Number((await db.pool.query(sql)).rows[0].n);
const lines = (file) => node_fs_1.default.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
/** Every file listed in SHA256SUMS has that hash, the manifest agrees with the files, and modes are 0600. */
function checkDir(dir) {
    const sums = node_fs_1.default.readFileSync(node_path_1.default.join(dir, 'SHA256SUMS'), 'utf8').trim().split('\n');
    strict_1.default.deepEqual(sums.map((l) => l.split('  ')[1]).sort(), ['chunks.jsonl', 'manifest.json', 'templates.jsonl', 'texts.jsonl']);
    for (const line of sums) {
        const [sum, file] = line.split('  ');
        strict_1.default.equal((0, node_crypto_1.createHash)('sha256').update(node_fs_1.default.readFileSync(node_path_1.default.join(dir, file))).digest('hex'), sum, file);
    }
    const manifest = JSON.parse(node_fs_1.default.readFileSync(node_path_1.default.join(dir, 'manifest.json'), 'utf8'));
    for (const f of manifest.files) {
        strict_1.default.equal(lines(node_path_1.default.join(dir, f.file)).length, f.rows, f.file);
        strict_1.default.equal(node_fs_1.default.statSync(node_path_1.default.join(dir, f.file)).size, f.bytes);
    }
    for (const name of node_fs_1.default.readdirSync(dir)) {
        strict_1.default.equal(node_fs_1.default.statSync(node_path_1.default.join(dir, name)).mode & 0o777, 0o600, name);
        strict_1.default.ok(!name.endsWith('.partial'), name);
    }
    return manifest;
}
(0, node_test_1.test)('database path, legacy tables: every row in several batches, checksums and counts right', async () => {
    const outDir = node_path_1.default.join(tmp, 'legacy');
    const { manifest } = await acts.exportData({ database: 'primary', outDir, batchSize: 700 });
    strict_1.default.equal(manifest.source, 'legacy');
    const expected = {
        texts: await count('select count(*) as n from texts'),
        chunks: await count('select count(*) as n from chunks_legacy'),
        templates: await count('select count(*) as n from templates_legacy'),
    };
    strict_1.default.ok(expected.chunks > 700 * 2, `more rows than one batch: ${expected.chunks}`);
    strict_1.default.deepEqual(manifest.counts, expected);
    strict_1.default.deepEqual(checkDir(outDir).counts, expected);
    const chunks = lines(node_path_1.default.join(outDir, 'chunks.jsonl'));
    strict_1.default.equal(new Set(chunks.map((c) => c.id)).size, expected.chunks, 'no chunk twice');
    const templates = lines(node_path_1.default.join(outDir, 'templates.jsonl'));
    const slots = await count('select count(*) as n from template_slots_legacy s join templates_legacy t on t.id = s.template_id');
    strict_1.default.equal(templates.reduce((n, t) => n + t.slots.length, 0), slots, 'slots nested in their templates');
    // a retry replaces the files with the same content
    const again = await acts.exportData({ database: 'primary', outDir, batchSize: 5000 });
    strict_1.default.deepEqual(again.manifest.files.map((f) => f.sha256), manifest.files.map((f) => f.sha256));
});
(0, node_test_1.test)('database path, unified tables: chosen once finalized, templates are the is_template chunks', async () => {
    await (0, schema_1.ensureUnifiedSchema)(db.pool, 8);
    await db.pool.query(`
    insert into chunks_unified (id, text_id, content, parent_chunk_id, indent_level, sequence_number)
      select id, text_id, content, null, indent_level, sequence_number from chunks_legacy
      where text_id in (select id from texts) limit 1500;
    insert into chunks_unified (id, text_id, content, is_template) select t.id, t.text_id, t.content, true
      from templates_legacy t where t.text_id in (select id from texts) limit 40;
    create schema if not exists stp_migration;
    create table stp_migration.schema_version (singleton boolean primary key default true, version int not null);
    insert into stp_migration.schema_version (version) values (2);`);
    const outDir = node_path_1.default.join(tmp, 'unified');
    const { manifest } = await acts.exportData({ database: 'primary', outDir, batchSize: 400 });
    strict_1.default.equal(manifest.source, 'unified');
    strict_1.default.deepEqual(manifest.counts, {
        texts: await count('select count(*) as n from texts'),
        chunks: await count('select count(*) as n from chunks_unified'),
        templates: await count('select count(*) as n from chunks_unified where is_template'),
    });
    checkDir(outDir);
    const legacy = await acts.exportData({ database: 'primary', outDir: node_path_1.default.join(tmp, 'forced'), source: 'legacy' });
    strict_1.default.equal(legacy.manifest.source, 'legacy');
    await db.pool.query('drop table stp_migration.schema_version');
});
(0, node_test_1.test)('API path: pages until the total, same counts as the tables', async () => {
    const deployer = (0, deployers_1.createProcessDeployer)({ stateDir: node_path_1.default.join(tmp, 'deploy') });
    let handle;
    try {
        handle = await deployer.deploy({ instance: 'blue', version: '1', port: await (0, support_1.freePort)(), env: { DATABASE_URL: db.url } });
        await deployer.waitHealthy(handle);
        const outDir = node_path_1.default.join(tmp, 'api');
        const { manifest } = await acts.exportData({ database: 'primary', outDir, baseUrl: `http://127.0.0.1:${handle.port}`, batchSize: 1000 });
        strict_1.default.equal(manifest.source, 'api');
        strict_1.default.equal(manifest.counts.texts, await count('select count(*) as n from texts'));
        strict_1.default.equal(manifest.counts.chunks, await count('select count(*) as n from chunks_legacy'));
        strict_1.default.equal(manifest.counts.templates, await count('select count(*) as n from templates_legacy'));
        checkDir(outDir);
    }
    finally {
        if (handle)
            await deployer.stop(handle, { graceMs: 2000 });
    }
});
(0, node_test_1.test)('CLI -> export workflow -> worker: files written, bad input refused', async () => {
    worker_1.Runtime.install({ logger: new worker_1.DefaultLogger('ERROR') });
    const taskQueue = `stp-test-export-${(0, node_crypto_1.randomUUID)().slice(0, 8)}`;
    const worker = await worker_1.Worker.create({
        taskQueue,
        workflowsPath: require.resolve('../../workflows'),
        activities: (0, export_1.createExportActivities)({ pools: { get: () => db.pool } }),
    });
    const running = worker.run();
    try {
        const out = [];
        const ctx = { out: (l) => out.push(l), err: (l) => out.push(l), env: { TEMPORAL_ADDRESS: temporal_1.TEMPORAL_ADDRESS, STP_TASK_QUEUE: taskQueue } };
        const outDir = node_path_1.default.join(tmp, 'cli');
        const code = await export_2.exportCommand.run({ values: { database: 'primary', out: outDir, json: true }, positionals: [] }, ctx);
        strict_1.default.equal(code, 0);
        const result = JSON.parse(out.join('\n'));
        strict_1.default.equal(result.dir, outDir);
        strict_1.default.equal(result.manifest.counts.chunks, await count('select count(*) as n from chunks_legacy'));
        checkDir(outDir);
        await strict_1.default.rejects(export_2.exportCommand.run({ values: { database: 'primary', out: outDir, source: 'both' }, positionals: [] }, ctx), (err) => err.exitCode === 2 && /input\.source/.test(err.message));
    }
    finally {
        worker.shutdown();
        await running;
    }
});
//# sourceMappingURL=export.test.js.map