"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const testing_1 = require("@temporalio/testing");
const pg_1 = __importDefault(require("pg"));
const db_1 = require("../../activities/db");
const embeddings_1 = require("../../activities/embeddings");
const quarantine_1 = require("../../activities/quarantine");
const schema_1 = require("../../activities/schema");
const ddl_1 = require("../../activities/schema/ddl");
const finish_1 = require("../../activities/schema/finish");
const plan_1 = require("../../common/plan");
const generate_1 = require("../../fixtures/generate");
const pg_2 = require("../helpers/pg");
const crash_support_1 = require("./crash-support");
const upgrade_support_1 = require("./upgrade-support");
// What a killed worker leaves in PostgreSQL: its backend goes on with the statement (an index
// build, a VALIDATE behind its lock, the quarantine transaction) until the statement ends. A retry
// finds it by its session tag (or, for an index build, by its query) and terminates it first.
let db;
const RUN = 'run-leftovers';
const pools = () => ({ get: () => db.pool });
const others = [];
function planOf(input) {
    const r = (0, plan_1.parsePlan)(input);
    if (!r.ok)
        throw new Error(r.errors.join('\n'));
    return r.plan;
}
const plan = planOf({
    database: 'primary',
    defects: { policy: 'quarantine' },
    graph: { optional: true },
    embeddings: { index: { kind: 'hnsw', m: 16, efConstruction: 128 } },
});
(0, node_test_1.before)(async () => {
    db = await (0, pg_2.createTestDatabase)('crash_leftovers', { extensions: ['vector'] });
    await (0, generate_1.generateFixtures)(db.pool, { chunks: 1000, dim: 64, defects: true, seed: 3, graph: false });
    await (0, schema_1.createSchemaActivities)({ pools: pools() }).createTargetSchema({ runId: RUN, plan });
    // enough distinct vectors that an HNSW build takes a few seconds (each needs its chunk: the FKs get validated)
    await db.pool.query(`with c as (insert into chunks_unified (content) select 'chunk ' || g from generate_series(1, 6000) g returning id)
    insert into embeddings_v2 (chunk_id, vector, model_name)
    select c.id, (select array_agg(random() + i * 0 + length(c.id::text) * 0)::vector(64) from generate_series(1, 64) i), 'm' from c`);
});
(0, node_test_1.after)(async () => {
    for (const c of others)
        await c.end().catch(() => undefined);
    await db?.drop();
});
/** Another session, standing for the backend of an attempt whose worker died. */
async function session(applicationName = 'someone') {
    const c = new pg_1.default.Client({ connectionString: db.url, application_name: applicationName });
    c.on('error', () => undefined);
    await c.connect();
    others.push(c);
    return c;
}
async function activeBackend(where, param) {
    const { rows } = await db.pool.query(`select pid from pg_stat_activity where state = 'active' and ${where}`, [param]);
    return rows[0]?.pid;
}
async function indexValid(name) {
    const { rows } = await db.pool.query(`select indisvalid as valid from pg_index where indexrelid = to_regclass($1)`, [name]);
    return rows[0]?.valid ?? null;
}
(0, node_test_1.test)('a vector index build left running by an earlier attempt is terminated, then the index is built', { timeout: 120_000 }, async () => {
    const embeddings = (0, embeddings_1.createEmbeddingsActivities)({ pools: pools() });
    const tag = (0, db_1.sessionTag)(RUN, 'vector-index');
    const first = embeddings.buildVectorIndex({ runId: RUN, plan }).then(() => 'finished', (err) => err.code ?? String(err));
    const pid = await (0, upgrade_support_1.waitFor)('the first build', () => activeBackend(`application_name = $1 and query like 'create index%'`, tag), 30_000, 20);
    await (0, crash_support_1.sleep)(500);
    const t0 = Date.now();
    const result = await embeddings.buildVectorIndex({ runId: RUN, plan });
    console.log(`# the retry terminated backend ${pid} and rebuilt the index in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    strict_1.default.equal(await first, '57P01', 'the leftover build was terminated (admin shutdown)');
    strict_1.default.deepEqual(result, { index: 'embeddings_v2_vector_idx', kind: 'hnsw' });
    strict_1.default.equal(await indexValid('embeddings_v2_vector_idx'), true);
});
(0, node_test_1.test)('an index build of the same index from a session without our tag (the optimize step) is found by its query', { timeout: 60_000 }, async () => {
    const idx = (0, ddl_1.chunkIndexes)(plan)[0];
    const holder = await session();
    await holder.query('begin; lock table chunks_unified in share update exclusive mode');
    const leftover = await session();
    const left = leftover.query(idx.sql).then(() => 'finished', (err) => err.code ?? String(err));
    await (0, upgrade_support_1.waitFor)('the leftover build waiting on its lock', () => activeBackend('query = $1', idx.sql), 10_000, 20);
    setTimeout(() => void holder.query('commit'), 1000);
    const built = await (0, db_1.withClient)(db.pool, (c) => (0, finish_1.ensureIndex)(c, RUN, plan.schema, idx, () => undefined));
    strict_1.default.equal(built, true);
    strict_1.default.equal(await left, '57P01');
    strict_1.default.equal(await indexValid(idx.name), true);
});
(0, node_test_1.test)('a VALIDATE or index build of finishTargetSchema left holding its lock does not hold up the retry', { timeout: 60_000 }, async () => {
    const leftover = await session((0, db_1.sessionTag)(RUN, 'finish-schema'));
    await leftover.query('begin; lock table chunks_unified in access exclusive mode');
    const left = leftover.query('select pg_sleep(120)').then(() => 'finished', (err) => err.code ?? String(err));
    const t0 = Date.now();
    const done = await (0, schema_1.createSchemaActivities)({ pools: pools() }).finishTargetSchema({ runId: RUN, plan });
    strict_1.default.equal(await left, '57P01');
    strict_1.default.equal(done.constraints.length, 4);
    strict_1.default.ok(Date.now() - t0 < 30_000);
});
(0, node_test_1.test)('the quarantine transaction of an earlier attempt is terminated, the retry writes the same rows', { timeout: 60_000 }, async () => {
    const quarantine = (0, quarantine_1.createQuarantineActivities)({ pools: pools() });
    const counts = await quarantine.quarantineDefects({ runId: RUN, plan });
    const leftover = await session((0, db_1.sessionTag)(RUN, 'quarantine'));
    await leftover.query('begin');
    await leftover.query(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [`stp-upgrade:quarantine:${RUN}`]);
    const left = leftover.query('select pg_sleep(120)').then(() => 'finished', (err) => err.code ?? String(err));
    const t0 = Date.now();
    strict_1.default.deepEqual(await quarantine.quarantineDefects({ runId: RUN, plan }), counts);
    strict_1.default.equal(await left, '57P01');
    strict_1.default.ok(Date.now() - t0 < 30_000);
});
(0, node_test_1.test)('cancelling the activity cancels the index build in the server; the next attempt builds it', { timeout: 120_000 }, async () => {
    await db.pool.query('drop index if exists embeddings_v2_vector_idx');
    const embeddings = (0, embeddings_1.createEmbeddingsActivities)({ pools: pools() });
    const env = new testing_1.MockActivityEnvironment({ heartbeatTimeoutMs: 15_000 });
    const running = env.run(embeddings.buildVectorIndex, { runId: RUN, plan });
    const outcome = running.then(() => 'finished', (err) => err.name);
    const pid = await (0, upgrade_support_1.waitFor)('the build', () => activeBackend(`application_name like $1 and query like 'create index%'`, 'stp-upgrade:%:vector-index'), 30_000, 20);
    await (0, crash_support_1.sleep)(300);
    const t0 = Date.now();
    env.cancel();
    strict_1.default.equal(await outcome, 'CancelledFailure');
    const ms = Date.now() - t0;
    console.log(`# cancelled build of backend ${pid} stopped ${ms} ms after the cancellation`);
    strict_1.default.ok(ms < 6000, `the activity returned ${ms} ms after cancellation`);
    await (0, upgrade_support_1.waitFor)('the backend to leave the build', async () => !(await activeBackend(`pid = $1::int and query like 'create index%'`, String(pid))), 5000, 50);
    strict_1.default.notEqual(await indexValid('embeddings_v2_vector_idx'), true, 'no valid index from a cancelled build');
    await embeddings.buildVectorIndex({ runId: RUN, plan });
    strict_1.default.equal(await indexValid('embeddings_v2_vector_idx'), true);
});
//# sourceMappingURL=crash-leftovers.test.js.map