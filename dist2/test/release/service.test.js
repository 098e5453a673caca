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
const schema_1 = require("../../service/schema");
const pg_1 = require("../helpers/pg");
const support_1 = require("./support");
const DIM = 384;
const stateDir = node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'stp-service-test-'));
const deployer = (0, deployers_1.createProcessDeployer)({ stateDir });
const handles = [];
let db;
async function start(instance, version, databaseUrl, wait = true) {
    const port = await (0, support_1.freePort)();
    const handle = await deployer.deploy({ instance, version, port, env: { DATABASE_URL: databaseUrl } });
    handles.push(handle);
    if (wait)
        await deployer.waitHealthy(handle, { timeoutMs: 15_000 });
    return { handle, api: `http://127.0.0.1:${port}/api/v1` };
}
(0, node_test_1.before)(async () => {
    db = await (0, pg_1.createTestDatabase)('release_service', { extensions: ['vector'] });
    await (0, schema_1.ensureLegacySchema)(db.pool, DIM);
    await (0, schema_1.ensureUnifiedSchema)(db.pool, DIM);
});
(0, node_test_1.after)(async () => {
    await Promise.all(handles.map((h) => deployer.stop(h, { graceMs: 2000 })));
    await db?.drop();
    node_fs_1.default.rmSync(stateDir, { recursive: true, force: true });
});
for (const version of ['1', '2']) {
    (0, node_test_1.describe)(`service v${version}`, () => {
        let api = '';
        const chunks = version === '1' ? 'chunks_legacy' : 'chunks_unified';
        const embeddings = version === '1' ? 'embeddings_legacy' : 'embeddings_v2';
        (0, node_test_1.before)(async () => {
            ({ api } = await start(`svc-v${version}`, version, db.url));
        });
        (0, node_test_1.test)('health names version, schema version and instance', async () => {
            const r = await (0, support_1.call)(api, 'GET', '/health');
            strict_1.default.equal(r.status, 200);
            strict_1.default.equal(r.body.status, 'healthy');
            strict_1.default.equal(r.body.components.database.schema_version, Number(version));
            strict_1.default.equal(r.headers['x-stp-version'], version);
            strict_1.default.equal(r.headers['x-stp-instance'], `svc-v${version}`);
        });
        (0, node_test_1.test)("the runbook's post_migration_tests pass", async () => {
            strict_1.default.deepEqual(await (0, support_1.postMigrationTests)(api), { failures: [], warnings: [] });
        });
        (0, node_test_1.test)('indentation becomes hierarchy; embeddings are written; delete removes everything', async () => {
            const content = 'Root\n  child a\n    grandchild\n\tchild b\n\n      too deep\nsecond root';
            const created = await (0, support_1.call)(api, 'POST', '/texts', { title: 'tree', content });
            strict_1.default.equal(created.status, 201);
            const text = (await (0, support_1.call)(api, 'GET', `/texts/${created.body.id}`)).body;
            const rows = text.chunks.map((c) => [c.content, c.indent_level, c.sequence_number]);
            strict_1.default.deepEqual(rows, [['Root', 0, 0], ['child a', 1, 1], ['grandchild', 2, 2], ['child b', 1, 3], ['too deep', 2, 4], ['second root', 0, 5]]);
            const byContent = Object.fromEntries(text.chunks.map((c) => [c.content, c]));
            strict_1.default.equal(byContent['child a'].parent_chunk_id, byContent.Root.id);
            strict_1.default.equal(byContent.grandchild.parent_chunk_id, byContent['child a'].id);
            strict_1.default.equal(byContent['too deep'].parent_chunk_id, byContent['child b'].id);
            strict_1.default.equal(byContent['second root'].parent_chunk_id, null);
            const { rows: [e] } = await db.pool.query(`select count(*)::int as n, min(vector_dims(vector)) as d from ${embeddings} where chunk_id = any($1::uuid[])`, [text.chunks.map((c) => c.id)]);
            strict_1.default.deepEqual(e, { n: 6, d: DIM });
            strict_1.default.equal((await (0, support_1.call)(api, 'DELETE', `/texts/${created.body.id}`)).status, 200);
            strict_1.default.equal((await (0, support_1.call)(api, 'GET', `/texts/${created.body.id}`)).status, 404);
            const { rows: [left] } = await db.pool.query(`select count(*)::int as n from ${chunks} where text_id = $1`, [created.body.id]);
            strict_1.default.equal(left.n, 0);
        });
        (0, node_test_1.test)('semantic search ranks the chunk sharing the query words first; the cache counts hits', async () => {
            const created = await (0, support_1.call)(api, 'POST', '/texts', { title: 's', content: `pelican harbour v${version}\nunrelated words here\nquiet meadow` });
            const q = { query: `pelican harbour v${version}`, limit: 3 };
            const first = await (0, support_1.call)(api, 'POST', '/search/semantic', q);
            strict_1.default.equal(first.body.results[0].content, `pelican harbour v${version}`);
            strict_1.default.ok(first.body.results[0].score > 0.99);
            const scores = first.body.results.map((r) => r.score);
            strict_1.default.deepEqual(scores, [...scores].sort((a, b) => b - a));
            await (0, support_1.call)(api, 'POST', '/search/semantic', q);
            const stats = (await (0, support_1.call)(api, 'GET', '/cache/stats')).body;
            strict_1.default.ok(stats.hit_rate > 0 && stats.size >= 1, JSON.stringify(stats));
            await (0, support_1.call)(api, 'DELETE', `/texts/${created.body.id}`);
        });
        (0, node_test_1.test)('templates and pagination', async () => {
            const t = await (0, support_1.call)(api, 'POST', '/templates', { template_name: `tpl v${version}`, slot_names: ['who', 'when'] });
            strict_1.default.equal(t.status, 201);
            const list = (await (0, support_1.call)(api, 'GET', '/templates')).body.templates;
            const mine = list.find((x) => x.template_id === t.body.template_id);
            strict_1.default.deepEqual(mine.slots.map((s) => [s.slot_name, s.slot_order]), [['who', 0], ['when', 1]]);
            const page = (await (0, support_1.call)(api, 'GET', '/texts?page_size=1&page=1')).body;
            strict_1.default.equal(page.texts.length, 1);
            strict_1.default.deepEqual(Object.keys(page.pagination).sort(), ['page', 'page_size', 'total']);
            const chunkPage = (await (0, support_1.call)(api, 'GET', '/chunks?page_size=2')).body;
            strict_1.default.ok(chunkPage.pagination.total >= 0 && chunkPage.chunks.length <= 2);
            strict_1.default.equal((await (0, support_1.call)(api, 'GET', '/chunks?page_size=0')).status, 400);
        });
        (0, node_test_1.test)('consistency checks count what the guide asks for', async () => {
            const check = async (name) => (await (0, support_1.call)(api, 'GET', `/admin/consistency/${name}`)).body.count;
            strict_1.default.equal(await check('orphaned-chunks'), 0);
            strict_1.default.equal(await check('invalid-templates'), 0);
            strict_1.default.equal(await check('missing-embeddings'), 0);
            const textId = (await (0, support_1.call)(api, 'POST', '/texts', { title: 'c', content: 'x' })).body.id;
            if (version === '1') {
                await db.pool.query(`insert into chunks_legacy (id, text_id, content, parent_chunk_id) values
          (gen_random_uuid(), $1, 'orphan', gen_random_uuid())`, [textId]);
                await db.pool.query(`insert into template_slots_legacy (id, template_id, slot_name) values (gen_random_uuid(), gen_random_uuid(), 's')`);
            }
            else {
                await db.pool.query(`insert into chunks_unified (text_id, content, template_chunk_id)
          select $1, 'bad slot', id from chunks_unified where text_id = $1 limit 1`, [textId]);
            }
            strict_1.default.equal(await check('missing-embeddings'), 1);
            strict_1.default.equal(await check('invalid-templates'), 1);
            if (version === '1')
                strict_1.default.equal(await check('orphaned-chunks'), 1);
            await db.pool.query(version === '1' ? `delete from template_slots_legacy where template_id not in (select id from templates_legacy)` : 'select 1');
            await (0, support_1.call)(api, 'DELETE', `/texts/${textId}`);
            strict_1.default.equal(await check('missing-embeddings'), 0);
        });
        (0, node_test_1.test)('metrics, and the degradation flag slows every request', async () => {
            const m = (await (0, support_1.call)(api, 'GET', '/metrics')).body;
            const h = m.histograms.http_request_duration;
            strict_1.default.ok(h.count > 0 && h.p95 >= h.p50 && h.p99 >= h.p95, JSON.stringify(h));
            strict_1.default.ok(m.gauges.memory_usage_bytes > 0);
            strict_1.default.equal((await (0, support_1.call)(api, 'POST', '/admin/degrade', { slow_ms: 300 })).status, 200);
            strict_1.default.ok((await (0, support_1.call)(api, 'GET', '/health')).ms >= 300);
            strict_1.default.ok((await (0, support_1.call)(api, 'GET', '/metrics')).body.histograms.http_request_duration.p99 >= 300);
            await (0, support_1.call)(api, 'POST', '/admin/degrade', { slow_ms: 0 });
            strict_1.default.ok((await (0, support_1.call)(api, 'GET', '/health')).ms < 300);
        });
    });
}
(0, node_test_1.test)('health is 503 when the database is unreachable or the version has no tables', async () => {
    const down = await start('svc-db-down', '2', 'postgres://postgres@127.0.0.1:1/nowhere', false);
    const empty = await (0, pg_1.createTestDatabase)('release_service_empty', { extensions: ['vector'] });
    try {
        const missing = await start('svc-no-tables', '2', empty.url, false);
        for (const { api, why } of [{ ...down, why: /ECONNREFUSED|connect/ }, { ...missing, why: /missing tables: .*chunks_unified/ }]) {
            let r = await (0, support_1.call)(api, 'GET', '/health').catch(() => null);
            for (let i = 0; i < 50 && !r; i++)
                r = await new Promise((res) => setTimeout(res, 100)).then(() => (0, support_1.call)(api, 'GET', '/health').catch(() => null));
            strict_1.default.equal(r?.status, 503);
            strict_1.default.equal(r?.body.status, 'unhealthy');
            strict_1.default.match(r?.body.components.database.error, why);
        }
    }
    finally {
        await empty.drop();
    }
});
(0, node_test_1.test)('SIGTERM lets an in-flight request finish, then the process exits', async () => {
    const { handle, api } = await start('svc-drain', '1', db.url);
    await (0, support_1.call)(api, 'POST', '/admin/degrade', { slow_ms: 1000 });
    const inflight = (0, support_1.call)(api, 'GET', '/health');
    await new Promise((r) => setTimeout(r, 200));
    const stopped = deployer.stop(handle, { graceMs: 5000 });
    const r = await inflight;
    await stopped;
    strict_1.default.equal(r.status, 200);
    strict_1.default.equal(await deployer.isRunning(handle), false);
    await strict_1.default.rejects((0, support_1.call)(api, 'GET', '/health'), /ECONNREFUSED/);
    strict_1.default.match(node_fs_1.default.readFileSync(handle.logFile, 'utf8'), /"event":"stopped"/);
});
//# sourceMappingURL=service.test.js.map