import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '../helpers/pg';
import { runCliProcess, startWorkerProcess } from '../helpers/processes';
import { TEMPORAL_ADDRESS } from '../helpers/temporal';
import type { Assessment } from '../../common/steps';

// The whole chain: CLI -> Temporal dev server -> worker process -> PostgreSQL -> back.
const taskQueue = `stp-test-assess-${randomUUID().slice(0, 8)}`;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let worker: Awaited<ReturnType<typeof startWorkerProcess>>;
const env = () => ({ TEMPORAL_ADDRESS, STP_TASK_QUEUE: taskQueue });

before(async () => {
  db = await createTestDatabase('assess_e2e');
  await db.pool.query(`
    create table texts (id uuid primary key, title text, content text, created_at timestamptz default now(), updated_at timestamptz default now());
    create table chunks_legacy (id uuid primary key, text_id uuid not null, content text not null, parent_chunk_id uuid,
      indent_level integer default 0, sequence_number integer, created_at timestamptz default now(), updated_at timestamptz default now());
    insert into texts (id, title) select md5(g::text)::uuid, 't' || g from generate_series(1, 7) g;
    insert into chunks_legacy (id, text_id, content) select md5('c' || g)::uuid, md5((g % 7 + 1)::text)::uuid, 'c' from generate_series(1, 40) g;`);
  worker = await startWorkerProcess({
    ...env(),
    STP_DATABASE_URL: db.url,
    STP_DATABASE_URL_DOWN: 'postgres://postgres@127.0.0.1:1/nothing',
  });
});

after(async () => {
  await worker?.stop();
  await db?.drop();
});

test('assess --json reports version, extensions, row counts and sizes', async () => {
  const run = await runCliProcess(['assess', '--database', 'primary', '--json'], env());
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout) as Assessment;
  assert.equal(report.database, 'primary');
  assert.match(report.serverVersion, /^17\./);
  assert.ok(report.extensions.vector, 'vector installed');
  assert.ok(report.extensions.age, 'age installed');
  assert.equal(report.tables.texts, 7);
  assert.equal(report.tables.chunks_legacy, 40);
  assert.equal(report.tables.embeddings_legacy, null);
  assert.ok(report.legacySizeBytes > 0);
  assert.equal(report.requiredFreeBytes, report.legacySizeBytes * 3);
  assert.ok(report.warnings.some((w) => w.includes('embeddings_legacy')));
});

test('assess prints a readable report', async () => {
  const run = await runCliProcess(['assess', '--database', 'primary'], env());
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /PostgreSQL 17\./);
  assert.match(run.stdout, /chunks_legacy\s+40/);
  assert.match(run.stdout, /Free space needed \(3x legacy\)/);
});

test('an unknown database name is bad input (exit 2) and names the variable to set', async () => {
  const run = await runCliProcess(['assess', '--database', 'reporting'], env());
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(run.stderr, /STP_DATABASE_URL_REPORTING/);
});

test('a database that is down is a failure (exit 1) that says what to check', async () => {
  const run = await runCliProcess(['assess', '--database', 'down'], env());
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.match(run.stderr, /database "down" is not reachable/);
});

test('a wrong Temporal address is exit 4 (Temporal unreachable) and says how to fix it', async () => {
  const run = await runCliProcess(['assess', '--database', 'primary'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
  assert.equal(run.code, 4);
  assert.match(run.stderr, /cannot reach the Temporal server at 127\.0\.0\.1:1.*TEMPORAL_ADDRESS/s);
});

test('a URL instead of a name is refused before anything starts (exit 2)', async () => {
  const run = await runCliProcess(['assess', '--database', 'postgres://u:p@h/db'], env());
  assert.equal(run.code, 2);
  assert.match(run.stderr, /not a URL/);
});
