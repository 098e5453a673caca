"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const pg_1 = require("../helpers/pg");
const processes_1 = require("../helpers/processes");
const temporal_1 = require("../helpers/temporal");
const upgrade_support_1 = require("./upgrade-support");
// `assess` as a dedicated, non-superuser role: it lists what the role lacks for a data run, each
// with its GRANT; once those GRANTs are applied (as the README gives them) nothing is missing.
const role = `${process.env.STP_TEST_DB_PREFIX ?? 'stp_test'}_role_${process.pid}`.toLowerCase();
let db;
let worker;
let env;
const admin = (sql, url = pg_1.ADMIN_URL) => (0, pg_1.withPgClient)((c) => c.query(sql), url).then(() => undefined);
(0, node_test_1.before)(async () => {
    db = await (0, pg_1.createTestDatabase)('privileges');
    await admin(`drop role if exists "${role}"; create role "${role}" login`);
    await db.pool.query(`
    create table texts (id uuid primary key, title text);
    create table chunks_legacy (id uuid primary key, text_id uuid, content text);
    create table templates_legacy (id uuid primary key);
    create table template_slots_legacy (id uuid primary key);
    create table template_slot_instances_legacy (id uuid primary key);
    create table chunk_tags_legacy (chunk_id uuid, tag_content text);
    create table embeddings_legacy (id uuid primary key);
    grant select on all tables in schema public to "${role}";`);
    const url = new URL(db.url);
    url.username = role;
    env = { TEMPORAL_ADDRESS: temporal_1.TEMPORAL_ADDRESS, STP_TASK_QUEUE: (0, upgrade_support_1.randomQueue)('privileges'), STP_DATABASE_URL: url.toString() };
    worker = await (0, processes_1.startWorkerProcess)(env);
});
(0, node_test_1.after)(async () => {
    await worker?.stop();
    await db?.pool.query(`drop owned by "${role}"`).catch(() => undefined);
    await db?.drop();
    await admin(`drop role if exists "${role}"`).catch(() => undefined);
});
(0, node_test_1.test)('assess names each privilege a dedicated role lacks, with its GRANT; applied, nothing is missing', { timeout: 120_000 }, async () => {
    const text = await (0, processes_1.runCliProcess)(['assess', '--database', 'primary'], env);
    strict_1.default.equal(text.code, 0, text.stderr);
    strict_1.default.match(text.stdout, new RegExp(`WARNING: role ${role} lacks CREATE, USAGE on schema public, needed for schema: .*grant create, usage on schema "public" to "${role}";`));
    const first = await (0, processes_1.runCliProcess)(['assess', '--database', 'primary', '--json'], env);
    const a = JSON.parse(first.stdout);
    strict_1.default.equal(a.privileges?.role, role);
    strict_1.default.equal(a.privileges?.superuser, false);
    const missing = a.privileges.missing.map((m) => m.privilege);
    strict_1.default.ok(missing.some((m) => /^CREATE on database /.test(m)), `bookkeeping schema and graph: ${missing.join(' | ')}`);
    strict_1.default.ok(missing.includes('CREATE, USAGE on schema public'));
    strict_1.default.ok(missing.includes('CREATEDB'), 'the restore test');
    strict_1.default.ok(missing.includes('TRIGGER on public.chunks_legacy'), 'capture');
    strict_1.default.ok(!missing.some((m) => m.includes('public.texts')), 'texts is read only');
    strict_1.default.ok(!missing.some((m) => m.startsWith('SELECT on public.')), 'SELECT was granted');
    // The age extension is installed (no legacy graph here: test/integration/privileges-age.test.ts).
    strict_1.default.ok(missing.includes('USAGE on schema ag_catalog'), 'graph: AGE');
    strict_1.default.ok(missing.includes('SELECT on ag_catalog.ag_graph, ag_catalog.ag_label'), 'graph: AGE');
    for (const m of a.privileges.missing)
        await admin(m.grant, db.url);
    const second = await (0, processes_1.runCliProcess)(['assess', '--database', 'primary', '--json'], env);
    const b = JSON.parse(second.stdout);
    strict_1.default.deepEqual(b.privileges?.missing, [], 'the GRANTs are enough');
    strict_1.default.ok(!b.warnings.some((w) => w.includes('lacks')));
});
//# sourceMappingURL=privileges.test.js.map