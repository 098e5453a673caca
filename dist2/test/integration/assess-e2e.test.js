"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = require("node:crypto");
const pg_1 = require("../helpers/pg");
const processes_1 = require("../helpers/processes");
const temporal_1 = require("../helpers/temporal");
// The whole chain: CLI -> Temporal dev server -> worker process -> PostgreSQL -> back.
const taskQueue = `stp-test-assess-${(0, node_crypto_1.randomUUID)().slice(0, 8)}`;
let db;
let worker;
const env = () => ({ TEMPORAL_ADDRESS: temporal_1.TEMPORAL_ADDRESS, STP_TASK_QUEUE: taskQueue });
(0, node_test_1.before)(async () => {
    db = await (0, pg_1.createTestDatabase)('assess_e2e');
    await db.pool.query(`
    create table texts (id uuid primary key, title text, content text, created_at timestamptz default now(), updated_at timestamptz default now());
    create table chunks_legacy (id uuid primary key, text_id uuid not null, content text not null, parent_chunk_id uuid,
      indent_level integer default 0, sequence_number integer, created_at timestamptz default now(), updated_at timestamptz default now());
    insert into texts (id, title) select md5(g::text)::uuid, 't' || g from generate_series(1, 7) g;
    insert into chunks_legacy (id, text_id, content) select md5('c' || g)::uuid, md5((g % 7 + 1)::text)::uuid, 'c' from generate_series(1, 40) g;`);
    worker = await (0, processes_1.startWorkerProcess)({
        ...env(),
        STP_DATABASE_URL: db.url,
        STP_DATABASE_URL_DOWN: 'postgres://postgres@127.0.0.1:1/nothing',
    });
});
(0, node_test_1.after)(async () => {
    await worker?.stop();
    await db?.drop();
});
(0, node_test_1.test)('assess --json reports version, extensions, row counts and sizes', async () => {
    const run = await (0, processes_1.runCliProcess)(['assess', '--database', 'primary', '--json'], env());
    strict_1.default.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    strict_1.default.equal(report.database, 'primary');
    strict_1.default.match(report.serverVersion, /^17\./);
    strict_1.default.ok(report.extensions.vector, 'vector installed');
    strict_1.default.ok(report.extensions.age, 'age installed');
    strict_1.default.equal(report.tables.texts, 7);
    strict_1.default.equal(report.tables.chunks_legacy, 40);
    strict_1.default.equal(report.tables.embeddings_legacy, null);
    strict_1.default.ok(report.legacySizeBytes > 0);
    strict_1.default.equal(report.requiredFreeBytes, report.legacySizeBytes * 3);
    strict_1.default.ok(report.warnings.some((w) => w.includes('embeddings_legacy')));
});
(0, node_test_1.test)('assess prints a readable report', async () => {
    const run = await (0, processes_1.runCliProcess)(['assess', '--database', 'primary'], env());
    strict_1.default.equal(run.code, 0, run.stderr);
    strict_1.default.match(run.stdout, /PostgreSQL 17\./);
    strict_1.default.match(run.stdout, /chunks_legacy\s+40/);
    strict_1.default.match(run.stdout, /Free space needed \(3x legacy\)/);
});
(0, node_test_1.test)('an unknown database name is bad input (exit 2) and names the variable to set', async () => {
    const run = await (0, processes_1.runCliProcess)(['assess', '--database', 'reporting'], env());
    strict_1.default.equal(run.code, 2, run.stdout + run.stderr);
    strict_1.default.match(run.stderr, /STP_DATABASE_URL_REPORTING/);
});
(0, node_test_1.test)('a database that is down is a failure (exit 1) that says what to check', async () => {
    const run = await (0, processes_1.runCliProcess)(['assess', '--database', 'down'], env());
    strict_1.default.equal(run.code, 1, run.stdout + run.stderr);
    strict_1.default.match(run.stderr, /database "down" is not reachable/);
});
(0, node_test_1.test)('a wrong Temporal address is exit 4 (Temporal unreachable) and says how to fix it', async () => {
    const run = await (0, processes_1.runCliProcess)(['assess', '--database', 'primary'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    strict_1.default.equal(run.code, 4);
    strict_1.default.match(run.stderr, /cannot reach the Temporal server at 127\.0\.0\.1:1.*TEMPORAL_ADDRESS/s);
});
(0, node_test_1.test)('a URL instead of a name is refused before anything starts (exit 2)', async () => {
    const run = await (0, processes_1.runCliProcess)(['assess', '--database', 'postgres://u:p@h/db'], env());
    strict_1.default.equal(run.code, 2);
    strict_1.default.match(run.stderr, /not a URL/);
});
//# sourceMappingURL=assess-e2e.test.js.map