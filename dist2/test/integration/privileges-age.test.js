"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const pg_1 = __importDefault(require("pg"));
const assess_privileges_1 = require("../../activities/assess-privileges");
const db_1 = require("../../activities/db");
const defects_1 = require("../../activities/defects");
const graph_1 = require("../../activities/graph");
const age_1 = require("../../activities/graph/age");
const graph_2 = require("../../activities/rules/graph");
const context_1 = require("../../activities/verify/context");
const graph_3 = require("../../activities/verify/graph");
const plan_1 = require("../../common/plan");
const pg_2 = require("../helpers/pg");
// The graph step as a dedicated, non-superuser role on the real PostgreSQL + AGE: assess lists what
// the role lacks for AGE, and with exactly those GRANTs applied the step's activities (prepareGraph,
// the copy rule, verify's graph checks, the rollback's dropTargetGraph) run as that role.
const role = `${process.env.STP_TEST_DB_PREFIX ?? 'stp_test'}_age_role_${process.pid}`.toLowerCase();
let db;
let roleUrl;
let asRole;
const parsed = (0, plan_1.parsePlan)({ graph: { source: { kind: 'age', graph: 'legacy_graph' }, target: 'graph_v2' } });
if (!parsed.ok)
    throw new Error(parsed.errors.join('\n'));
const plan = parsed.plan;
const input = { runId: 'run-age-role', plan };
const admin = (sql, url = pg_2.ADMIN_URL) => (0, pg_2.withPgClient)((c) => c.query(sql), url).then(() => undefined);
const missingOf = async () => (await (0, db_1.withClient)(asRole, (c) => (0, assess_privileges_1.readPrivileges)(c, (0, assess_privileges_1.needsOf)(plan)))).missing;
(0, node_test_1.before)(async () => {
    db = await (0, pg_2.createTestDatabase)('privileges_age');
    await admin(`drop role if exists "${role}"; create role "${role}" login`);
    await (0, db_1.withClient)(db.pool, async (c) => {
        await c.query(`set client_min_messages = warning; load 'age'; set search_path = ag_catalog, "$user", public`);
        await c.query(`select create_graph('legacy_graph')`);
        await c.query(`select * from cypher('legacy_graph', $$
      create (a:Entity {id: 'c1', name: 'Alpha'}), (b:Entity {id: 'c2', name: 'Beta'}), (o:Other {z: 1}),
             (a)-[:RELATES {type: 'KNOWS'}]->(b), (b)-[:RELATES {type: 'NEAR'}]->(a), (a)-[:MENTIONS {n: 2}]->(o) $$) as (r agtype)`);
    });
    const url = new URL(db.url);
    url.username = role;
    roleUrl = url.toString();
    asRole = new pg_1.default.Pool({ connectionString: roleUrl, max: 2 });
    asRole.on('error', () => undefined);
});
(0, node_test_1.after)(async () => {
    await asRole?.end();
    await db?.pool.query(`drop owned by "${role}" cascade`).catch(() => undefined);
    await db?.drop();
    await admin(`drop role if exists "${role}"`).catch(() => undefined);
});
(0, node_test_1.test)('without GRANTs: assess lists what AGE needs, each with its GRANT; useAge names the fix', async () => {
    const missing = await missingOf();
    const byPrivilege = new Map(missing.map((m) => [m.privilege, m]));
    const r = `"${role}"`;
    strict_1.default.equal(byPrivilege.get('USAGE on schema ag_catalog')?.grant, `grant usage on schema ag_catalog to ${r};`);
    strict_1.default.equal(byPrivilege.get('SELECT on ag_catalog.ag_graph, ag_catalog.ag_label')?.grant, `grant select on ag_catalog.ag_graph, ag_catalog.ag_label to ${r};`);
    strict_1.default.equal(byPrivilege.get('USAGE on schema legacy_graph')?.grant, `grant usage on schema "legacy_graph" to ${r};`);
    strict_1.default.equal(byPrivilege.get('SELECT on all tables in schema legacy_graph')?.grant, `grant select on all tables in schema "legacy_graph" to ${r};`);
    strict_1.default.match(missing.find((m) => m.privilege.startsWith('CREATE on database'))?.neededFor ?? '', /graph: AGE creates the target graph/);
    // The old `load 'age'` is refused to this role; useAge says what to grant instead.
    await strict_1.default.rejects(asRole.query(`load 'age'`), /access to library "age" is not allowed/);
    const acts = (0, graph_1.createGraphActivities)({ pools: { get: () => asRole } });
    await strict_1.default.rejects(acts.prepareGraph(input), { name: 'PreconditionError', message: new RegExp(`cannot use Apache AGE .*grant usage on schema ag_catalog to ${r};`) });
});
(0, node_test_1.test)('with the GRANTs assess printed: nothing missing, and the graph step runs as that role', async () => {
    for (const m of await missingOf())
        await admin(m.grant, db.url);
    strict_1.default.deepEqual(await missingOf(), [], 'the GRANTs are enough');
    strict_1.default.equal((await asRole.query(`select rolsuper as s from pg_roles where rolname = current_user`)).rows[0].s, false);
    // Preflight's graph checks, in a new session that has not loaded AGE (graphid's = loads it).
    await (0, pg_2.withPgClient)(async (c) => {
        strict_1.default.equal(await (0, defects_1.ageGraphExists)(c, 'legacy_graph'), true);
        strict_1.default.deepEqual((await c.query((0, defects_1.ageOrphanEdgesSql)('legacy_graph', true))).rows, []);
    }, roleUrl);
    const acts = (0, graph_1.createGraphActivities)({ pools: { get: () => asRole } });
    strict_1.default.deepEqual(await acts.prepareGraph(input), { skipped: false });
    strict_1.default.deepEqual(await acts.prepareGraph(input), { skipped: false }, 'a retry of the same run');
    const copied = await (0, db_1.withClient)(asRole, async (c) => {
        let key = null;
        let rows = 0;
        do {
            const r = await (0, db_1.inTransaction)(c, (tx) => graph_2.graphRule.batch(tx, input, key, 2));
            rows += r.rows;
            key = r.lastKey;
        } while (key !== null);
        return rows;
    });
    strict_1.default.equal(copied, 6, '3 vertices and 3 edges');
    const v = await (0, db_1.withClient)(asRole, (c) => (0, db_1.inTransaction)(c, () => (0, graph_3.verifyGraph)({ client: c, plan, quarantineRun: input.runId, t: (0, context_1.tablesOf)(plan) })));
    strict_1.default.deepEqual(v.problems, []);
    strict_1.default.equal(v.checksum?.match, true, 'same vertices and edges, connected the same way');
    strict_1.default.deepEqual(v.graph, { skipped: false, vertices: { source: 3, target: 3 }, edges: { source: 3, target: 3 } });
    // Cypher works after useAge in a new session: the library (and its parser hook) came with the function call.
    const n = await (0, pg_2.withPgClient)((c) => (0, db_1.inTransaction)(c, async () => {
        await (0, age_1.useAge)(c);
        return (await c.query(`select n::text from cypher('graph_v2', $$ match ()-[r]->() return count(r) $$) as (n agtype)`)).rows[0].n;
    }), roleUrl);
    strict_1.default.equal(n, '3');
    await acts.dropTargetGraph(input);
    strict_1.default.equal((await db.pool.query(`select count(*)::int as n from ag_catalog.ag_graph where name = 'graph_v2'`)).rows[0].n, 0, 'the rollback dropped it');
});
(0, node_test_1.test)('AGE preloaded for the database (session_preload_libraries), GRANTs applied: useAge does not LOAD it again', async () => {
    await admin(`alter database "${new URL(db.url).pathname.slice(1)}" set session_preload_libraries = 'age'`);
    await (0, pg_2.withPgClient)(async (c) => {
        const { rows: [p] } = await c.query(`select count(*)::int as n from pg_settings where name = 'age.enable_containment'`);
        strict_1.default.equal(p.n, 1, 'loaded when the session started');
        await strict_1.default.rejects(c.query(`load 'age'`), /access to library "age" is not allowed/, 'LOAD is refused even when preloaded');
        await (0, db_1.inTransaction)(c, async () => {
            await (0, age_1.useAge)(c);
            const { rows } = await c.query(`select n::text from cypher('legacy_graph', $$ match (v) return count(v) $$) as (n agtype)`);
            strict_1.default.equal(rows[0].n, '3');
        });
    }, roleUrl);
});
//# sourceMappingURL=privileges-age.test.js.map