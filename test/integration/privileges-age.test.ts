import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { needsOf, readPrivileges } from '../../activities/assess-privileges';
import { inTransaction, withClient } from '../../activities/db';
import { ageGraphExists, ageOrphanEdgesSql } from '../../activities/defects';
import { createGraphActivities } from '../../activities/graph';
import { useAge } from '../../activities/graph/age';
import { graphRule } from '../../activities/rules/graph';
import { tablesOf } from '../../activities/verify/context';
import { verifyGraph } from '../../activities/verify/graph';
import { parsePlan, type Plan } from '../../common/plan';
import type { StepInput } from '../../common/steps';
import { ADMIN_URL, createTestDatabase, withPgClient } from '../helpers/pg';

// The graph step as a dedicated, non-superuser role on the real PostgreSQL + AGE: assess lists what
// the role lacks for AGE, and with exactly those GRANTs applied the step's activities (prepareGraph,
// the copy rule, verify's graph checks, the rollback's dropTargetGraph) run as that role.

const role = `${process.env.STP_TEST_DB_PREFIX ?? 'stp_test'}_age_role_${process.pid}`.toLowerCase();
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let roleUrl: string;
let asRole: pg.Pool;

const parsed = parsePlan({ graph: { source: { kind: 'age', graph: 'legacy_graph' }, target: 'graph_v2' } });
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
const plan: Plan = parsed.plan;
const input: StepInput = { runId: 'run-age-role', plan };

const admin = (sql: string, url = ADMIN_URL) => withPgClient((c) => c.query(sql), url).then(() => undefined);

const missingOf = async () => (await withClient(asRole, (c) => readPrivileges(c, needsOf(plan)))).missing;

before(async () => {
  db = await createTestDatabase('privileges_age');
  await admin(`drop role if exists "${role}"; create role "${role}" login`);
  await withClient(db.pool, async (c) => {
    await c.query(`set client_min_messages = warning; load 'age'; set search_path = ag_catalog, "$user", public`);
    await c.query(`select create_graph('legacy_graph')`);
    await c.query(`select * from cypher('legacy_graph', $$
      create (a:Entity {id: 'c1', name: 'Alpha'}), (b:Entity {id: 'c2', name: 'Beta'}), (o:Other {z: 1}),
             (a)-[:RELATES {type: 'KNOWS'}]->(b), (b)-[:RELATES {type: 'NEAR'}]->(a), (a)-[:MENTIONS {n: 2}]->(o) $$) as (r agtype)`);
  });
  const url = new URL(db.url);
  url.username = role;
  roleUrl = url.toString();
  asRole = new pg.Pool({ connectionString: roleUrl, max: 2 });
  asRole.on('error', () => undefined);
});

after(async () => {
  await asRole?.end();
  await db?.pool.query(`drop owned by "${role}" cascade`).catch(() => undefined);
  await db?.drop();
  await admin(`drop role if exists "${role}"`).catch(() => undefined);
});

test('without GRANTs: assess lists what AGE needs, each with its GRANT; useAge names the fix', async () => {
  const missing = await missingOf();
  const byPrivilege = new Map(missing.map((m) => [m.privilege, m]));
  const r = `"${role}"`;
  assert.equal(byPrivilege.get('USAGE on schema ag_catalog')?.grant, `grant usage on schema ag_catalog to ${r};`);
  assert.equal(byPrivilege.get('SELECT on ag_catalog.ag_graph, ag_catalog.ag_label')?.grant, `grant select on ag_catalog.ag_graph, ag_catalog.ag_label to ${r};`);
  assert.equal(byPrivilege.get('USAGE on schema legacy_graph')?.grant, `grant usage on schema "legacy_graph" to ${r};`);
  assert.equal(byPrivilege.get('SELECT on all tables in schema legacy_graph')?.grant, `grant select on all tables in schema "legacy_graph" to ${r};`);
  assert.match(missing.find((m) => m.privilege.startsWith('CREATE on database'))?.neededFor ?? '', /graph: AGE creates the target graph/);

  // The old `load 'age'` is refused to this role; useAge says what to grant instead.
  await assert.rejects(asRole.query(`load 'age'`), /access to library "age" is not allowed/);
  const acts = createGraphActivities({ pools: { get: () => asRole } });
  await assert.rejects(acts.prepareGraph(input), { name: 'PreconditionError', message: new RegExp(`cannot use Apache AGE .*grant usage on schema ag_catalog to ${r};`) });
});

test('with the GRANTs assess printed: nothing missing, and the graph step runs as that role', async () => {
  for (const m of await missingOf()) await admin(m.grant, db.url);
  assert.deepEqual(await missingOf(), [], 'the GRANTs are enough');
  assert.equal((await asRole.query<{ s: boolean }>(`select rolsuper as s from pg_roles where rolname = current_user`)).rows[0].s, false);

  // Preflight's graph checks, in a new session that has not loaded AGE (graphid's = loads it).
  await withPgClient(async (c) => {
    assert.equal(await ageGraphExists(c, 'legacy_graph'), true);
    assert.deepEqual((await c.query(ageOrphanEdgesSql('legacy_graph', true))).rows, []);
  }, roleUrl);

  const acts = createGraphActivities({ pools: { get: () => asRole } });
  assert.deepEqual(await acts.prepareGraph(input), { skipped: false });
  assert.deepEqual(await acts.prepareGraph(input), { skipped: false }, 'a retry of the same run');
  const copied = await withClient(asRole, async (c) => {
    let key: string | null = null;
    let rows = 0;
    do {
      const r = await inTransaction(c, (tx) => graphRule.batch(tx, input, key, 2));
      rows += r.rows;
      key = r.lastKey;
    } while (key !== null);
    return rows;
  });
  assert.equal(copied, 6, '3 vertices and 3 edges');

  const v = await withClient(asRole, (c) => inTransaction(c, () => verifyGraph({ client: c, plan, quarantineRun: input.runId, t: tablesOf(plan) })));
  assert.deepEqual(v.problems, []);
  assert.equal(v.checksum?.match, true, 'same vertices and edges, connected the same way');
  assert.deepEqual(v.graph, { skipped: false, vertices: { source: 3, target: 3 }, edges: { source: 3, target: 3 } });

  // Cypher works after useAge in a new session: the library (and its parser hook) came with the function call.
  const n = await withPgClient((c) =>
    inTransaction(c, async () => {
      await useAge(c);
      return (await c.query<{ n: string }>(`select n::text from cypher('graph_v2', $$ match ()-[r]->() return count(r) $$) as (n agtype)`)).rows[0].n;
    }), roleUrl,
  );
  assert.equal(n, '3');

  await acts.dropTargetGraph(input);
  assert.equal((await db.pool.query(`select count(*)::int as n from ag_catalog.ag_graph where name = 'graph_v2'`)).rows[0].n, 0, 'the rollback dropped it');
});

test('AGE preloaded for the database (session_preload_libraries), GRANTs applied: useAge does not LOAD it again', async () => {
  await admin(`alter database "${new URL(db.url).pathname.slice(1)}" set session_preload_libraries = 'age'`);
  await withPgClient(async (c) => {
    const { rows: [p] } = await c.query<{ n: number }>(`select count(*)::int as n from pg_settings where name = 'age.enable_containment'`);
    assert.equal(p.n, 1, 'loaded when the session started');
    await assert.rejects(c.query(`load 'age'`), /access to library "age" is not allowed/, 'LOAD is refused even when preloaded');
    await inTransaction(c, async () => {
      await useAge(c);
      const { rows } = await c.query<{ n: string }>(`select n::text from cypher('legacy_graph', $$ match (v) return count(v) $$) as (n agtype)`);
      assert.equal(rows[0].n, '3');
    });
  }, roleUrl);
});
