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
const release_1 = require("../../activities/release");
const errors_1 = require("../../activities/release/errors");
const switch_1 = require("../../activities/release/switch");
const errors_2 = require("../../common/errors");
const plan_1 = require("../../common/plan");
const schema_1 = require("../../service/schema");
const pg_1 = require("../helpers/pg");
const support_1 = require("./support");
const tmp = node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'stp-release-acts-'));
const runId = 'run-release-test';
let db;
let plan;
let deps;
let acts;
let ports;
const plans = [];
function makePlan(release = {}) {
    const parsed = (0, plan_1.parsePlan)({
        database: 'primary',
        release: {
            ...release,
            deployer: { stateDir: node_path_1.default.join(tmp, 'deploy'), blue: { port: ports.blue }, green: { port: ports.green }, ...release.deployer },
            traffic: { nginx: { stateDir: node_path_1.default.join(tmp, 'nginx'), listenPort: ports.lb } },
            health: { consecutive: 3, deadlineSeconds: 15, intervalMs: 100, ...release.health },
            drainSeconds: 0,
        },
    });
    if (!parsed.ok)
        throw new Error(parsed.errors.join('\n'));
    plans.push(parsed.plan);
    return parsed.plan;
}
const input = (p = plan) => ({ runId, plan: p });
const count = async (sql) => Number((await db.pool.query(sql)).rows[0].n);
const lb = () => `http://127.0.0.1:${ports.lb}`;
(0, node_test_1.before)(async () => {
    db = await (0, pg_1.createTestDatabase)('release_acts', { extensions: ['vector'] });
    await (0, schema_1.ensureLegacySchema)(db.pool, 16);
    await (0, schema_1.ensureUnifiedSchema)(db.pool, 16);
    ports = { blue: await (0, support_1.freePort)(), green: await (0, support_1.freePort)(), lb: await (0, support_1.freePort)() };
    deps = { pools: { get: () => db.pool }, resolveUrl: () => db.url, stateRoot: tmp };
    acts = (0, release_1.createReleaseActivities)(deps);
    plan = makePlan();
});
(0, node_test_1.after)(async () => {
    // everything this file started stops, whatever failed
    for (const p of plans) {
        for (const which of ['green', 'blue'])
            await acts.stopInstance({ ...input(p), which }).catch(() => undefined);
    }
    await new switch_1.NginxControl((0, switch_1.nginxLayout)(node_path_1.default.join(tmp, 'nginx'))).stop(2000).catch(() => undefined);
    await db?.drop();
    node_fs_1.default.rmSync(tmp, { recursive: true, force: true });
});
(0, node_test_1.test)('compensations of steps that did nothing are no-ops', async () => {
    strict_1.default.deepEqual(await acts.stopInstance({ ...input(), which: 'green' }), { stopped: false });
    strict_1.default.deepEqual(await acts.switchBack(input()), { switched: false });
    strict_1.default.deepEqual(await acts.unfinalize(input()), { restored: [], schemaVersion: null });
});
(0, node_test_1.test)('blue v1 and green v2 start healthy, idempotently', async () => {
    const blue = await acts.startBlue(input());
    strict_1.default.equal(blue.started, true);
    strict_1.default.equal(blue.health.version, '1');
    const green = await acts.deployGreen(input());
    strict_1.default.equal(green.started, true);
    strict_1.default.equal(green.health.version, '2');
    strict_1.default.equal(green.health.schemaVersion, 2);
    strict_1.default.ok(green.checks >= 3);
    const again = await acts.deployGreen(input());
    strict_1.default.equal(again.started, false);
    strict_1.default.equal(again.pid, green.pid);
    strict_1.default.equal((await acts.startBlue(input())).pid, blue.pid);
});
(0, node_test_1.test)('smoke tests pass on green v2 and leave nothing behind', async () => {
    const before = await count('select count(*) as n from texts');
    const r = await acts.smokeTests(input());
    strict_1.default.deepEqual(r.passed, ['create text', 'text has chunks', 'search', 'create template', 'list templates']);
    strict_1.default.equal(r.cleanedUp.length, 2, 'the text and the template text');
    strict_1.default.equal(await count('select count(*) as n from texts'), before);
    strict_1.default.equal(await count(`select count(*) as n from chunks_unified where content in ('Test Template', 'test_slot', 'Test migration content')`), 0);
    strict_1.default.deepEqual(await acts.smokeTests(input(makePlan({ smoke: { enabled: false } }))), { skipped: true, passed: [], warnings: [], cleanedUp: [] });
});
(0, node_test_1.test)('a failing green never becomes healthy; smoke tests fail clearly when green answers 500', async () => {
    const brokenPort = await (0, support_1.freePort)();
    // STP_ERROR_RATE reaches green through plan.release.deployer.env (a name; the value is the worker's)
    const failing = makePlan({ deployer: { green: { instance: 'green-failing', port: brokenPort }, env: ['STP_ERROR_RATE'] }, health: { deadlineSeconds: 2 } });
    const failingActs = (0, release_1.createReleaseActivities)({ ...deps, env: { STP_ERROR_RATE: '1' } });
    try {
        await strict_1.default.rejects(failingActs.deployGreen(input(failing)), (err) => err instanceof errors_1.HealthTimeoutError && /green-failing not healthy 3 times in a row.*injected failure/s.test(err.message));
    }
    finally {
        await failingActs.stopInstance({ ...input(failing), which: 'green' });
    }
    const broken = makePlan({ deployer: { green: { instance: 'green-broken', port: brokenPort } } });
    try {
        await acts.deployGreen(input(broken));
        await (0, support_1.call)(`http://127.0.0.1:${brokenPort}/api/v1`, 'POST', '/admin/degrade', { error_rate: 1 });
        await strict_1.default.rejects(acts.smokeTests(input(broken)), (err) => err instanceof release_1.SmokeTestError && err.check === 'create text' && /smoke test "create text" failed .*HTTP 500/.test(err.message));
    }
    finally {
        await acts.stopInstance({ ...input(broken), which: 'green' });
    }
});
(0, node_test_1.test)('a green whose database is unreachable never becomes healthy', async () => {
    // 8 s: the service must have started and answered 503 (naming the database) before the deadline, also on a loaded machine
    const noDb = makePlan({ deployer: { green: { instance: 'green-nodb', port: await (0, support_1.freePort)() } }, health: { deadlineSeconds: 8 } });
    const noDbActs = (0, release_1.createReleaseActivities)({ ...deps, resolveUrl: () => db.url.replace(/\/[^/]+$/, '/stp_no_such_database') });
    try {
        await strict_1.default.rejects(noDbActs.deployGreen(input(noDb)), (err) => err instanceof errors_1.HealthTimeoutError && /green-nodb not healthy.*stp_no_such_database/s.test(err.message));
    }
    finally {
        await noDbActs.stopInstance({ ...input(noDb), which: 'green' });
    }
});
(0, node_test_1.test)('optimizeDatabase builds the extra indexes once, rebuilds an INVALID one, records them', async () => {
    const first = await acts.optimizeDatabase(input());
    strict_1.default.deepEqual(first.indexes, ['idx_chunks_unified_content_search', 'idx_chunks_unified_metadata_tags']);
    strict_1.default.deepEqual(first.built, first.indexes);
    strict_1.default.deepEqual(first.analyzed, ['chunks_unified', 'embeddings_v2']);
    strict_1.default.deepEqual((await acts.optimizeDatabase(input())).built, []);
    await db.pool.query(`update pg_index set indisvalid = false where indexrelid = 'idx_chunks_unified_metadata_tags'::regclass`);
    strict_1.default.deepEqual((await acts.optimizeDatabase(input())).built, ['idx_chunks_unified_metadata_tags']);
    strict_1.default.equal(await count(`select count(*) as n from pg_index i join pg_class c on c.oid = i.indexrelid
    where c.relname like 'idx_chunks_unified_%' and (c.relname like '%content_search' or c.relname like '%metadata_tags') and i.indisvalid`), 2);
    const { rows } = await db.pool.query(`select created_objects from stp_migration.runs where run_id = $1`, [runId]);
    strict_1.default.deepEqual(rows[0].created_objects, [
        { kind: 'index', name: 'public.idx_chunks_unified_content_search' },
        { kind: 'index', name: 'public.idx_chunks_unified_metadata_tags' },
    ]);
});
(0, node_test_1.test)('warmCache fills green\'s cache before the switch', async () => {
    const r = await acts.warmCache(input());
    strict_1.default.equal(r.queries, 2);
    strict_1.default.deepEqual(r.failures, []);
    strict_1.default.ok((r.cacheSize ?? 0) >= 3, `cache size ${r.cacheSize}`);
});
(0, node_test_1.test)('switchTraffic starts nginx and proves green under load; switchBack proves blue', async () => {
    const first = await acts.switchTraffic(input());
    strict_1.default.equal(first.target.instance, 'green');
    strict_1.default.equal(first.previous?.instance, 'blue');
    const running = (0, support_1.startLoad)(lb(), { concurrency: 4, maxMs: 10_000, maxRequests: 2000 });
    const back = await acts.switchBack(input());
    strict_1.default.ok('target' in back && back.target.instance === 'blue');
    await (0, switch_1.proveServing)(lb(), { instance: 'blue', port: ports.blue, version: '1' });
    await acts.switchTraffic({ ...input(), to: 'green' });
    const report = await running.stop();
    strict_1.default.equal(report.failed, 0, report.failures.join('\n'));
    strict_1.default.ok(report.byInstance.blue > 0 && report.byInstance.green > 0, JSON.stringify(report.byInstance));
    await (0, switch_1.proveServing)(lb(), { instance: 'green', port: ports.green, version: '2' });
});
(0, node_test_1.test)('finalize: refuses while blue serves or runs, keeps or archives legacy tables, unfinalize undoes it', async () => {
    // traffic on blue: nothing to finalize
    await acts.switchBack(input());
    await strict_1.default.rejects(acts.finalize(input()), release_1.FinalizeError);
    await acts.switchTraffic(input());
    const kept = await acts.finalize(input());
    strict_1.default.deepEqual(kept, { schemaVersion: 2, previous: null, archived: [] });
    strict_1.default.equal(await count(`select version as n from stp_migration.schema_version`), 2);
    const archivePlan = makePlan({ finalize: { legacyTables: 'archive' } });
    await strict_1.default.rejects(acts.finalize(input(archivePlan)), errors_2.PreconditionError, 'blue still runs on the legacy tables');
    await acts.drain({ ...input(), seconds: 0 });
    strict_1.default.deepEqual(await acts.stopInstance({ ...input(), which: 'blue' }), { stopped: true });
    const archived = await acts.finalize(input(archivePlan));
    strict_1.default.equal(archived.archived.length, 6);
    strict_1.default.ok(archived.archived.includes('chunks_legacy_archived'));
    strict_1.default.deepEqual((await acts.finalize(input(archivePlan))).archived, archived.archived, 'idempotent');
    strict_1.default.equal(await count(`select count(*) as n from pg_tables where tablename = 'chunks_legacy'`), 0);
    strict_1.default.equal(await count(`select count(*) as n from pg_tables where tablename = 'texts'`), 1, 'texts is shared, never archived');
    const undone = await acts.unfinalize(input(archivePlan));
    strict_1.default.equal(undone.restored.length, 6);
    strict_1.default.equal(undone.schemaVersion, null);
    strict_1.default.equal(await count(`select count(*) as n from pg_tables where tablename = 'chunks_legacy'`), 1);
    strict_1.default.equal(await count(`select count(*) as n from stp_migration.schema_version`), 0);
    strict_1.default.deepEqual((await acts.unfinalize(input(archivePlan))).restored, []);
});
(0, node_test_1.test)('rollback after blue was stopped: switchBack starts blue again and proves it, then green stops', async () => {
    const back = await acts.switchBack(input());
    strict_1.default.ok('target' in back && back.target.instance === 'blue');
    await (0, switch_1.proveServing)(lb(), { instance: 'blue', port: ports.blue, version: '1' });
    strict_1.default.deepEqual(await acts.stopInstance({ ...input(), which: 'green' }), { stopped: true });
    strict_1.default.deepEqual(await acts.stopInstance({ ...input(), which: 'green' }), { stopped: false });
    await (0, switch_1.proveServing)(lb(), { instance: 'blue', port: ports.blue, version: '1' });
});
//# sourceMappingURL=release-activities.test.js.map