import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import type { Assessment } from '../../common/steps';
import { ADMIN_URL, createTestDatabase, withPgClient } from '../helpers/pg';
import { runCliProcess, startWorkerProcess } from '../helpers/processes';
import { TEMPORAL_ADDRESS } from '../helpers/temporal';
import { randomQueue } from './upgrade-support';

// `assess` as a dedicated, non-superuser role: it lists what the role lacks for a data run, each
// with its GRANT; once those GRANTs are applied (as the README gives them) nothing is missing.

const role = `${process.env.STP_TEST_DB_PREFIX ?? 'stp_test'}_role_${process.pid}`.toLowerCase();
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let worker: Awaited<ReturnType<typeof startWorkerProcess>> | undefined;
let env: NodeJS.ProcessEnv;

const admin = (sql: string, url = ADMIN_URL) => withPgClient((c) => c.query(sql), url).then(() => undefined);

before(async () => {
  db = await createTestDatabase('privileges');
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
  env = { TEMPORAL_ADDRESS, STP_TASK_QUEUE: randomQueue('privileges'), STP_DATABASE_URL: url.toString() };
  worker = await startWorkerProcess(env);
});

after(async () => {
  await worker?.stop();
  await db?.pool.query(`drop owned by "${role}"`).catch(() => undefined);
  await db?.drop();
  await admin(`drop role if exists "${role}"`).catch(() => undefined);
});

test('assess names each privilege a dedicated role lacks, with its GRANT; applied, nothing is missing', { timeout: 120_000 }, async () => {
  const text = await runCliProcess(['assess', '--database', 'primary'], env);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`WARNING: role ${role} lacks CREATE, USAGE on schema public, needed for schema: .*grant create, usage on schema "public" to "${role}";`));

  const first = await runCliProcess(['assess', '--database', 'primary', '--json'], env);
  const a = JSON.parse(first.stdout) as Assessment;
  assert.equal(a.privileges?.role, role);
  assert.equal(a.privileges?.superuser, false);
  const missing = a.privileges!.missing.map((m) => m.privilege);
  assert.ok(missing.some((m) => /^CREATE on database /.test(m)), `bookkeeping schema and graph: ${missing.join(' | ')}`);
  assert.ok(missing.includes('CREATE, USAGE on schema public'));
  assert.ok(missing.includes('CREATEDB'), 'the restore test');
  assert.ok(missing.includes('TRIGGER on public.chunks_legacy'), 'capture');
  assert.ok(!missing.some((m) => m.includes('public.texts')), 'texts is read only');
  assert.ok(!missing.some((m) => m.startsWith('SELECT on public.')), 'SELECT was granted');
  // The age extension is installed (no legacy graph here: test/integration/privileges-age.test.ts).
  assert.ok(missing.includes('USAGE on schema ag_catalog'), 'graph: AGE');
  assert.ok(missing.includes('SELECT on ag_catalog.ag_graph, ag_catalog.ag_label'), 'graph: AGE');

  for (const m of a.privileges!.missing) await admin(m.grant, db.url);
  const second = await runCliProcess(['assess', '--database', 'primary', '--json'], env);
  const b = JSON.parse(second.stdout) as Assessment;
  assert.deepEqual(b.privileges?.missing, [], 'the GRANTs are enough');
  assert.ok(!b.warnings.some((w) => w.includes('lacks')));
});
