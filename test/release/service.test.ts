import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createProcessDeployer, DeployHandle } from '../../activities/release/deployers';
import { ensureLegacySchema, ensureUnifiedSchema } from '../../service/schema';
import { createTestDatabase } from '../helpers/pg';
import { call, freePort, postMigrationTests } from './support';

const DIM = 384;
const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stp-service-test-'));
const deployer = createProcessDeployer({ stateDir });
const handles: DeployHandle[] = [];
let db: Awaited<ReturnType<typeof createTestDatabase>>;

async function start(instance: string, version: string, databaseUrl: string, wait = true): Promise<{ handle: DeployHandle; api: string }> {
  const port = await freePort();
  const handle = await deployer.deploy({ instance, version, port, env: { DATABASE_URL: databaseUrl } });
  handles.push(handle);
  if (wait) await deployer.waitHealthy(handle, { timeoutMs: 15_000 });
  return { handle, api: `http://127.0.0.1:${port}/api/v1` };
}

before(async () => {
  db = await createTestDatabase('release_service', { extensions: ['vector'] });
  await ensureLegacySchema(db.pool, DIM);
  await ensureUnifiedSchema(db.pool, DIM);
});

after(async () => {
  await Promise.all(handles.map((h) => deployer.stop(h, { graceMs: 2000 })));
  await db?.drop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

for (const version of ['1', '2'] as const) {
  describe(`service v${version}`, () => {
    let api = '';
    const chunks = version === '1' ? 'chunks_legacy' : 'chunks_unified';
    const embeddings = version === '1' ? 'embeddings_legacy' : 'embeddings_v2';
    before(async () => {
      ({ api } = await start(`svc-v${version}`, version, db.url));
    });

    test('health names version, schema version and instance', async () => {
      const r = await call(api, 'GET', '/health');
      assert.equal(r.status, 200);
      assert.equal(r.body.status, 'healthy');
      assert.equal(r.body.components.database.schema_version, Number(version));
      assert.equal(r.headers['x-stp-version'], version);
      assert.equal(r.headers['x-stp-instance'], `svc-v${version}`);
    });

    test("the runbook's post_migration_tests pass", async () => {
      assert.deepEqual(await postMigrationTests(api), { failures: [], warnings: [] });
    });

    test('indentation becomes hierarchy; embeddings are written; delete removes everything', async () => {
      const content = 'Root\n  child a\n    grandchild\n\tchild b\n\n      too deep\nsecond root';
      const created = await call(api, 'POST', '/texts', { title: 'tree', content });
      assert.equal(created.status, 201);
      const text = (await call(api, 'GET', `/texts/${created.body.id}`)).body;
      const rows = text.chunks.map((c: any) => [c.content, c.indent_level, c.sequence_number]);
      assert.deepEqual(rows, [['Root', 0, 0], ['child a', 1, 1], ['grandchild', 2, 2], ['child b', 1, 3], ['too deep', 2, 4], ['second root', 0, 5]]);
      const byContent = Object.fromEntries(text.chunks.map((c: any) => [c.content, c]));
      assert.equal(byContent['child a'].parent_chunk_id, byContent.Root.id);
      assert.equal(byContent.grandchild.parent_chunk_id, byContent['child a'].id);
      assert.equal(byContent['too deep'].parent_chunk_id, byContent['child b'].id);
      assert.equal(byContent['second root'].parent_chunk_id, null);
      const { rows: [e] } = await db.pool.query(
        `select count(*)::int as n, min(vector_dims(vector)) as d from ${embeddings} where chunk_id = any($1::uuid[])`,
        [text.chunks.map((c: any) => c.id)]);
      assert.deepEqual(e, { n: 6, d: DIM });
      assert.equal((await call(api, 'DELETE', `/texts/${created.body.id}`)).status, 200);
      assert.equal((await call(api, 'GET', `/texts/${created.body.id}`)).status, 404);
      const { rows: [left] } = await db.pool.query(`select count(*)::int as n from ${chunks} where text_id = $1`, [created.body.id]);
      assert.equal(left.n, 0);
    });

    test('semantic search ranks the chunk sharing the query words first; the cache counts hits', async () => {
      const created = await call(api, 'POST', '/texts', { title: 's', content: `pelican harbour v${version}\nunrelated words here\nquiet meadow` });
      const q = { query: `pelican harbour v${version}`, limit: 3 };
      const first = await call(api, 'POST', '/search/semantic', q);
      assert.equal(first.body.results[0].content, `pelican harbour v${version}`);
      assert.ok(first.body.results[0].score > 0.99);
      const scores = first.body.results.map((r: any) => r.score);
      assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
      await call(api, 'POST', '/search/semantic', q);
      const stats = (await call(api, 'GET', '/cache/stats')).body;
      assert.ok(stats.hit_rate > 0 && stats.size >= 1, JSON.stringify(stats));
      await call(api, 'DELETE', `/texts/${created.body.id}`);
    });

    test('templates and pagination', async () => {
      const t = await call(api, 'POST', '/templates', { template_name: `tpl v${version}`, slot_names: ['who', 'when'] });
      assert.equal(t.status, 201);
      const list = (await call(api, 'GET', '/templates')).body.templates;
      const mine = list.find((x: any) => x.template_id === t.body.template_id);
      assert.deepEqual(mine.slots.map((s: any) => [s.slot_name, s.slot_order]), [['who', 0], ['when', 1]]);
      const page = (await call(api, 'GET', '/texts?page_size=1&page=1')).body;
      assert.equal(page.texts.length, 1);
      assert.deepEqual(Object.keys(page.pagination).sort(), ['page', 'page_size', 'total']);
      const chunkPage = (await call(api, 'GET', '/chunks?page_size=2')).body;
      assert.ok(chunkPage.pagination.total >= 0 && chunkPage.chunks.length <= 2);
      assert.equal((await call(api, 'GET', '/chunks?page_size=0')).status, 400);
    });

    test('consistency checks count what the guide asks for', async () => {
      const check = async (name: string) => (await call(api, 'GET', `/admin/consistency/${name}`)).body.count;
      assert.equal(await check('orphaned-chunks'), 0);
      assert.equal(await check('invalid-templates'), 0);
      assert.equal(await check('missing-embeddings'), 0);
      const textId = (await call(api, 'POST', '/texts', { title: 'c', content: 'x' })).body.id;
      if (version === '1') {
        await db.pool.query(`insert into chunks_legacy (id, text_id, content, parent_chunk_id) values
          (gen_random_uuid(), $1, 'orphan', gen_random_uuid())`, [textId]);
        await db.pool.query(`insert into template_slots_legacy (id, template_id, slot_name) values (gen_random_uuid(), gen_random_uuid(), 's')`);
      } else {
        await db.pool.query(`insert into chunks_unified (text_id, content, template_chunk_id)
          select $1, 'bad slot', id from chunks_unified where text_id = $1 limit 1`, [textId]);
      }
      assert.equal(await check('missing-embeddings'), 1);
      assert.equal(await check('invalid-templates'), 1);
      if (version === '1') assert.equal(await check('orphaned-chunks'), 1);
      await db.pool.query(version === '1' ? `delete from template_slots_legacy where template_id not in (select id from templates_legacy)` : 'select 1');
      await call(api, 'DELETE', `/texts/${textId}`);
      assert.equal(await check('missing-embeddings'), 0);
    });

    test('metrics, and the degradation flag slows every request', async () => {
      const m = (await call(api, 'GET', '/metrics')).body;
      const h = m.histograms.http_request_duration;
      assert.ok(h.count > 0 && h.p95 >= h.p50 && h.p99 >= h.p95, JSON.stringify(h));
      assert.ok(m.gauges.memory_usage_bytes > 0);
      assert.equal((await call(api, 'POST', '/admin/degrade', { slow_ms: 300 })).status, 200);
      assert.ok((await call(api, 'GET', '/health')).ms >= 300);
      assert.ok((await call(api, 'GET', '/metrics')).body.histograms.http_request_duration.p99 >= 300);
      await call(api, 'POST', '/admin/degrade', { slow_ms: 0 });
      assert.ok((await call(api, 'GET', '/health')).ms < 300);
    });
  });
}

test('health is 503 when the database is unreachable or the version has no tables', async () => {
  const down = await start('svc-db-down', '2', 'postgres://postgres@127.0.0.1:1/nowhere', false);
  const empty = await createTestDatabase('release_service_empty', { extensions: ['vector'] });
  try {
    const missing = await start('svc-no-tables', '2', empty.url, false);
    for (const { api, why } of [{ ...down, why: /ECONNREFUSED|connect/ }, { ...missing, why: /missing tables: .*chunks_unified/ }]) {
      let r = await call(api, 'GET', '/health').catch(() => null);
      for (let i = 0; i < 50 && !r; i++) r = await new Promise((res) => setTimeout(res, 100)).then(() => call(api, 'GET', '/health').catch(() => null));
      assert.equal(r?.status, 503);
      assert.equal(r?.body.status, 'unhealthy');
      assert.match(r?.body.components.database.error, why);
    }
  } finally {
    await empty.drop();
  }
});

test('SIGTERM lets an in-flight request finish, then the process exits', async () => {
  const { handle, api } = await start('svc-drain', '1', db.url);
  await call(api, 'POST', '/admin/degrade', { slow_ms: 1000 });
  const inflight = call(api, 'GET', '/health');
  await new Promise((r) => setTimeout(r, 200));
  const stopped = deployer.stop(handle, { graceMs: 5000 });
  const r = await inflight;
  await stopped;
  assert.equal(r.status, 200);
  assert.equal(await deployer.isRunning(handle), false);
  await assert.rejects(call(api, 'GET', '/health'), /ECONNREFUSED/);
  assert.match(fs.readFileSync(handle.logFile!, 'utf8'), /"event":"stopped"/);
});
