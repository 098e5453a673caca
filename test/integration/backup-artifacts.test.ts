import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createBackupActivities } from '../../activities/backup';
import type { BackupManifest } from '../../activities/backup/manifest';
import { parsePlan, type Plan } from '../../common/plan';
import { generateFixtures } from '../../fixtures/generate';
import { EnvPools } from '../../workers/databases';
import { createTestDatabase } from '../helpers/pg';
import { pgTools, tempDir } from './upgrade-support';

// The runbook's Backup Procedures beyond the dump: the configuration directory and the binary, in
// the run's backup directory with sha256 and modes; performance_baseline.json; and the restore
// the emergency rollback does. Real files, a real pg_dump.
let db: Awaited<ReturnType<typeof createTestDatabase>>;
const env: NodeJS.ProcessEnv = {};
const pools = new EnvPools(env);
const dir = tempDir('backup-artifacts');
const etc = path.join(dir, 'etc', 'semantic-text-processor');
const bin = path.join(dir, 'bin', 'semantic-text-processor');
const acts = createBackupActivities({ pools, resolveUrl: (n) => pools.url(n) });

const sha = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
const mode = (f: string) => fs.statSync(f).mode & 0o7777;

function write(file: string, text: string, m: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  fs.chmodSync(file, m);
}

function plan(backup: Record<string, unknown>): Plan {
  const tools = pgTools();
  const p = parsePlan({ database: 'artifacts', backup: { dir: path.join(dir, 'backups'), pgDump: tools.pgDump, pgRestore: tools.pgRestore, testRestore: false, ...backup } });
  assert.ok(p.ok, p.ok ? '' : p.errors.join('\n'));
  return p.plan;
}

before(async () => {
  db = await createTestDatabase('backup_artifacts', { extensions: ['vector'] });
  await generateFixtures(db.pool, { chunks: 40, dim: 3, seed: 3, graph: false });
  env.STP_DATABASE_URL_ARTIFACTS = db.url;
  write(path.join(etc, 'config.yaml'), 'server:\n  port: "8080"\n', 0o640);
  write(path.join(etc, 'conf.d', 'secrets.yaml'), 'database:\n  max_open_connections: 10\n', 0o600);
  write(bin, '#!/bin/sh\necho stp v1\n', 0o755);
});
after(async () => {
  await pools.close();
  await db?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('backup: configuration directory and binary with sha256 and modes; SHA256SUMS checks; restore puts back what changed', async () => {
  const p = plan({ config: etc, binary: bin });
  const runId = 'h11-artifacts-1';
  const r = await acts.backup({ runId, plan: p });
  const runDir = r.dir;
  const manifest = JSON.parse(fs.readFileSync(path.join(runDir, 'manifest.json'), 'utf8')) as BackupManifest;
  assert.deepEqual(manifest.artifacts?.map((a) => [a.kind, a.file, a.mode, a.source]), [
    ['config', 'config/conf.d/secrets.yaml', '0600', path.join(etc, 'conf.d', 'secrets.yaml')],
    ['config', 'config/config.yaml', '0640', path.join(etc, 'config.yaml')],
    ['binary', 'binary/semantic-text-processor', '0755', bin],
  ]);
  for (const a of manifest.artifacts ?? []) {
    assert.equal(a.sha256, sha(a.source), a.file);
    assert.equal(sha(path.join(runDir, a.file)), a.sha256);
    assert.equal(mode(path.join(runDir, a.file)), parseInt(a.mode, 8), `${a.file} keeps its mode`);
    assert.equal(a.bytes, fs.statSync(a.source).size);
  }
  assert.deepEqual(r.artifacts, manifest.artifacts);
  // the runbook's own check works on the backup directory
  const checked = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: runDir, encoding: 'utf8' });
  assert.match(checked, /artifacts\.dump: OK/);
  assert.match(checked, /binary\/semantic-text-processor: OK/);
  assert.match(checked, /config\/config\.yaml: OK/);
  // a retry finds the finished backup and returns it as it is
  assert.deepEqual((await acts.backup({ runId, plan: p })).artifacts, manifest.artifacts);

  // the release replaced the configuration and the binary, and lost a file
  write(path.join(etc, 'config.yaml'), 'server:\n  port: "9090"\nfeatures:\n  use_unified_handlers: true\n', 0o644);
  write(bin, '#!/bin/sh\necho stp v2\n', 0o700);
  fs.rmSync(path.join(etc, 'conf.d', 'secrets.yaml'));
  write(path.join(etc, 'new.yaml'), 'x: 1\n', 0o644);
  const restored = await acts.restoreArtifacts({ runId, plan: p });
  assert.deepEqual(restored.restored.sort(), [bin, path.join(etc, 'conf.d', 'secrets.yaml'), path.join(etc, 'config.yaml')].sort());
  assert.equal(fs.readFileSync(path.join(etc, 'config.yaml'), 'utf8'), 'server:\n  port: "8080"\n');
  assert.equal(mode(path.join(etc, 'config.yaml')), 0o640);
  assert.equal(fs.readFileSync(bin, 'utf8'), '#!/bin/sh\necho stp v1\n');
  assert.equal(mode(bin), 0o755);
  assert.equal(mode(path.join(etc, 'conf.d', 'secrets.yaml')), 0o600);
  assert.ok(fs.existsSync(path.join(etc, 'new.yaml')), 'a file the backup does not know is left alone');
  // idempotent
  const again = await acts.restoreArtifacts({ runId, plan: p });
  assert.deepEqual(again.restored, []);
  assert.equal(again.unchanged.length, 3);

  // a damaged backup is refused, never half restored
  fs.appendFileSync(path.join(runDir, 'binary', 'semantic-text-processor'), 'tampered');
  write(path.join(etc, 'config.yaml'), 'changed again\n', 0o640);
  await assert.rejects(acts.restoreArtifacts({ runId, plan: p }), (e: Error) => e.name === 'PreconditionError' && /missing or damaged/.test(e.message));
  assert.equal(fs.readFileSync(path.join(etc, 'config.yaml'), 'utf8'), 'changed again\n');
});

test('performance_baseline.json: blue\'s figures at the runbook\'s jq paths, in the run\'s backup directory (0600)', async () => {
  const p = plan({});
  const { file } = await acts.writeBaseline({
    runId: 'h11-baseline', plan: p, url: 'http://127.0.0.1:8080',
    baseline: { p95Ms: 120, memoryBytes: 300_000_000, hitRate: 0.7, samples: 5, window: { seconds: 60, requests: 900, errors: 0, p95Ms: 110, hitRate: 0.75, lookups: 400 } },
  });
  assert.equal(file, path.join(dir, 'backups', 'h11-baseline', 'performance_baseline.json'));
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(json.histograms.http_request_duration.p95, 110);
  assert.equal(json.gauges.memory_usage_bytes, 300_000_000);
  assert.equal(json.cache.hit_rate, 0.75);
  assert.equal(json.source.side, 'blue');
  assert.equal(mode(file), 0o600);
});

test('a configured path that does not exist is refused before anything is dumped', async () => {
  const relative = parsePlan({ backup: { config: 'relative/dir' } });
  assert.ok(!relative.ok && relative.errors.some((e) => /^plan\.backup\.config: expected an absolute path/.test(e)));
  const p2 = plan({ binary: path.join(dir, 'bin', 'missing') });
  await assert.rejects(acts.backup({ runId: 'h11-missing', plan: p2 }), (e: Error) => e.name === 'PreconditionError' && /plan\.backup\.binary: .*missing does not exist/.test(e.message));
  assert.equal(fs.existsSync(path.join(dir, 'backups', 'h11-missing')), false);
  // a plan without the files restores nothing and needs no backup
  assert.deepEqual(await acts.restoreArtifacts({ runId: 'h11-none', plan: plan({}) }), { restored: [], unchanged: [], backupDir: path.join(dir, 'backups', 'h11-none') });
});
