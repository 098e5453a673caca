import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createExportActivities } from '../../activities/export';
import { createProcessDeployer, type DeployHandle } from '../../activities/release/deployers';
import { exportCommand } from '../../client/commands/export';
import type { ExportManifest, ExportResult } from '../../common/export';
import { generateFixtures } from '../../fixtures/generate';
import { ensureUnifiedSchema } from '../../service/schema';
import { createTestDatabase } from '../helpers/pg';
import { TEMPORAL_ADDRESS } from '../helpers/temporal';
import { freePort } from '../release/support';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stp-export-test-'));
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let acts: ReturnType<typeof createExportActivities>;

before(async () => {
  db = await createTestDatabase('export', { extensions: ['vector'] });
  await generateFixtures(db.pool, { chunks: 2600, dim: 8, graph: false, seed: 7 });
  acts = createExportActivities({ pools: { get: () => db.pool } });
});

after(async () => {
  await db?.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const count = async (sql: string) => Number((await db.pool.query<{ n: string }>(sql)).rows[0].n);
const lines = (file: string) => fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

/** Every file listed in SHA256SUMS has that hash, the manifest agrees with the files, and modes are 0600. */
function checkDir(dir: string): ExportManifest {
  const sums = fs.readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8').trim().split('\n');
  assert.deepEqual(sums.map((l) => l.split('  ')[1]).sort(), ['chunks.jsonl', 'manifest.json', 'templates.jsonl', 'texts.jsonl']);
  for (const line of sums) {
    const [sum, file] = line.split('  ');
    assert.equal(createHash('sha256').update(fs.readFileSync(path.join(dir, file))).digest('hex'), sum, file);
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as ExportManifest;
  for (const f of manifest.files) {
    assert.equal(lines(path.join(dir, f.file)).length, f.rows, f.file);
    assert.equal(fs.statSync(path.join(dir, f.file)).size, f.bytes);
  }
  for (const name of fs.readdirSync(dir)) {
    assert.equal(fs.statSync(path.join(dir, name)).mode & 0o777, 0o600, name);
    assert.ok(!name.endsWith('.partial'), name);
  }
  return manifest;
}

test('database path, legacy tables: every row in several batches, checksums and counts right', async () => {
  const outDir = path.join(tmp, 'legacy');
  const { manifest } = await acts.exportData({ database: 'primary', outDir, batchSize: 700 });
  assert.equal(manifest.source, 'legacy');
  const expected = {
    texts: await count('select count(*) as n from texts'),
    chunks: await count('select count(*) as n from chunks_legacy'),
    templates: await count('select count(*) as n from templates_legacy'),
  };
  assert.ok(expected.chunks > 700 * 2, `more rows than one batch: ${expected.chunks}`);
  assert.deepEqual(manifest.counts, expected);
  assert.deepEqual(checkDir(outDir).counts, expected);
  const chunks = lines(path.join(outDir, 'chunks.jsonl'));
  assert.equal(new Set(chunks.map((c) => c.id)).size, expected.chunks, 'no chunk twice');
  const templates = lines(path.join(outDir, 'templates.jsonl'));
  const slots = await count('select count(*) as n from template_slots_legacy s join templates_legacy t on t.id = s.template_id');
  assert.equal(templates.reduce((n, t) => n + (t.slots as unknown[]).length, 0), slots, 'slots nested in their templates');

  // a retry replaces the files with the same content
  const again = await acts.exportData({ database: 'primary', outDir, batchSize: 5000 });
  assert.deepEqual(again.manifest.files.map((f) => f.sha256), manifest.files.map((f) => f.sha256));
});

test('database path, unified tables: chosen once finalized, templates are the is_template chunks', async () => {
  await ensureUnifiedSchema(db.pool, 8);
  await db.pool.query(`
    insert into chunks_unified (id, text_id, content, parent_chunk_id, indent_level, sequence_number)
      select id, text_id, content, null, indent_level, sequence_number from chunks_legacy
      where text_id in (select id from texts) limit 1500;
    insert into chunks_unified (id, text_id, content, is_template) select t.id, t.text_id, t.content, true
      from templates_legacy t where t.text_id in (select id from texts) limit 40;
    create schema if not exists stp_migration;
    create table stp_migration.schema_version (singleton boolean primary key default true, version int not null);
    insert into stp_migration.schema_version (version) values (2);`);
  const outDir = path.join(tmp, 'unified');
  const { manifest } = await acts.exportData({ database: 'primary', outDir, batchSize: 400 });
  assert.equal(manifest.source, 'unified');
  assert.deepEqual(manifest.counts, {
    texts: await count('select count(*) as n from texts'),
    chunks: await count('select count(*) as n from chunks_unified'),
    templates: await count('select count(*) as n from chunks_unified where is_template'),
  });
  checkDir(outDir);
  const legacy = await acts.exportData({ database: 'primary', outDir: path.join(tmp, 'forced'), source: 'legacy' });
  assert.equal(legacy.manifest.source, 'legacy');
  await db.pool.query('drop table stp_migration.schema_version');
});

test('API path: pages until the total, same counts as the tables', async () => {
  const deployer = createProcessDeployer({ stateDir: path.join(tmp, 'deploy') });
  let handle: DeployHandle | undefined;
  try {
    handle = await deployer.deploy({ instance: 'blue', version: '1', port: await freePort(), env: { DATABASE_URL: db.url } });
    await deployer.waitHealthy(handle);
    const outDir = path.join(tmp, 'api');
    const { manifest } = await acts.exportData({ database: 'primary', outDir, baseUrl: `http://127.0.0.1:${handle.port}`, batchSize: 1000 });
    assert.equal(manifest.source, 'api');
    assert.equal(manifest.counts.texts, await count('select count(*) as n from texts'));
    assert.equal(manifest.counts.chunks, await count('select count(*) as n from chunks_legacy'));
    assert.equal(manifest.counts.templates, await count('select count(*) as n from templates_legacy'));
    checkDir(outDir);
  } finally {
    if (handle) await deployer.stop(handle, { graceMs: 2000 });
  }
});

test('CLI -> export workflow -> worker: files written, bad input refused', async () => {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const taskQueue = `stp-test-export-${randomUUID().slice(0, 8)}`;
  const worker = await Worker.create({
    taskQueue,
    workflowsPath: require.resolve('../../workflows'),
    activities: createExportActivities({ pools: { get: () => db.pool } }),
  });
  const running = worker.run();
  try {
    const out: string[] = [];
    const ctx = { out: (l: string) => out.push(l), err: (l: string) => out.push(l), env: { TEMPORAL_ADDRESS, STP_TASK_QUEUE: taskQueue } };
    const outDir = path.join(tmp, 'cli');
    const code = await exportCommand.run({ values: { database: 'primary', out: outDir, json: true }, positionals: [] }, ctx);
    assert.equal(code, 0);
    const result = JSON.parse(out.join('\n')) as ExportResult;
    assert.equal(result.dir, outDir);
    assert.equal(result.manifest.counts.chunks, await count('select count(*) as n from chunks_legacy'));
    checkDir(outDir);
    await assert.rejects(
      exportCommand.run({ values: { database: 'primary', out: outDir, source: 'both' }, positionals: [] }, ctx),
      (err: Error & { exitCode?: number }) => err.exitCode === 2 && /input\.source/.test(err.message),
    );
  } finally {
    worker.shutdown();
    await running;
  }
});
