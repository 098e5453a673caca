import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { parsePlan, type Plan, type PlanInput } from '../../common/plan';
import { createBackupActivities } from '../../activities/backup';
import { scratchDatabaseName, testRestore } from '../../activities/backup/restore';
import { generateFixtures } from '../../fixtures/generate';
import { childConnection } from '../../activities/backup/tools';
import type { BackupManifest } from '../../activities/backup/manifest';
import { MockActivityEnvironment } from '@temporalio/testing';
import { filesUnder, mountTmpfs, wrapTool } from '../helpers/full-disk';
import { ADMIN_URL, createTestDatabase } from '../helpers/pg';

const CACHE = process.env.STP_CACHE ?? path.join(os.homedir(), '.cache', 'stp-upgrade');
const PG_DUMP = path.join(CACHE, 'bin', 'pg_dump');
const PG_RESTORE = path.join(CACHE, 'bin', 'pg_restore');

const LEGACY_DDL = `
create table texts (id uuid primary key, title text, content text,
  created_at timestamptz default now(), updated_at timestamptz default now());
create table chunks_legacy (id uuid primary key, text_id uuid not null, content text not null, parent_chunk_id uuid,
  indent_level integer default 0, sequence_number integer,
  created_at timestamptz default now(), updated_at timestamptz default now());
create table templates_legacy (id uuid primary key, text_id uuid not null, content text not null,
  created_at timestamptz default now(), updated_at timestamptz default now());
create table template_slots_legacy (id uuid primary key, template_id uuid not null, slot_name text not null,
  slot_order integer, created_at timestamptz default now(), updated_at timestamptz default now());
create table template_slot_instances_legacy (id uuid primary key, slot_id uuid not null, slot_value text,
  created_at timestamptz default now(), updated_at timestamptz default now());
create table chunk_tags_legacy (chunk_id uuid not null, tag_content text not null, created_at timestamptz default now());
create table embeddings_legacy (id uuid primary key, chunk_id uuid not null, vector vector(3),
  model_name text, created_at timestamptz default now());
insert into texts (id, title, content) select md5('t' || i)::uuid, 'title ' || i, 'body ' || i from generate_series(1, 5) i;
insert into chunks_legacy (id, text_id, content, sequence_number)
  select md5('c' || i)::uuid, md5('t' || (i % 5 + 1))::uuid, 'chunk ' || i || ' é ✓', i from generate_series(1, 200) i;
insert into chunk_tags_legacy (chunk_id, tag_content) select md5('c' || i)::uuid, 'tag' || (i % 3) from generate_series(1, 50) i;
insert into embeddings_legacy (id, chunk_id, vector, model_name)
  select md5('e' || i)::uuid, md5('c' || i)::uuid, ('[' || i || ',0.5,' || -i || ']')::vector, null from generate_series(1, 100) i;
-- a target table made by an earlier step: dumped too, with its index and constraint
create table chunks_unified (id uuid primary key, text_id uuid references texts(id), content text not null,
  metadata jsonb not null default '{}');
create index chunks_unified_text_id on chunks_unified (text_id);
insert into chunks_unified (id, text_id, content) select id, text_id, content from chunks_legacy;`;

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const mode = (p: string) => fs.statSync(p).mode & 0o777;

/** Whether chattr +a works here (ext2/3/4, xfs, btrfs as root), which makes a directory's entries undeletable. */
function appendOnlySupported(dir: string): boolean {
  const probe = fs.mkdtempSync(path.join(dir, 'chattr-'));
  try {
    execFileSync('chattr', ['+a', probe], { stdio: 'ignore' });
    execFileSync('chattr', ['-a', probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(probe, { recursive: true, force: true });
  }
}

async function databaseExists(name: string): Promise<boolean> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    return (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  } finally {
    await admin.end();
  }
}

describe('backup activity (real PostgreSQL 17, pg_dump through the trixie root)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let tmp: string;
  let activities: ReturnType<typeof createBackupActivities>;
  let urlWithPassword: string;
  const plan = (backup: Partial<PlanInput['backup']> = {}): Plan => {
    const r = parsePlan({ backup: { dir: path.join(tmp, 'backups'), pgDump: PG_DUMP, pgRestore: PG_RESTORE, ...backup } });
    if (!r.ok) throw new Error(r.errors.join('\n'));
    return r.plan;
  };

  before(async () => {
    db = await createTestDatabase('backup', { extensions: ['vector'] });
    await db.pool.query(LEGACY_DDL);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stp-backup-'));
    // trust auth ignores the password; it must still reach pg_dump through PGPASSWORD only
    const u = new URL(db.url);
    u.password = 's3cret-pw';
    urlWithPassword = u.toString();
    activities = createBackupActivities({ pools: { get: () => db.pool }, resolveUrl: () => urlWithPassword });
  });

  after(async () => {
    await db?.drop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('childConnection keeps the password out of argv', () => {
    const c = childConnection('postgres://u:p%40ss@h:5432/db?sslmode=require', 'other');
    assert.equal(c.env.PGPASSWORD, 'p@ss');
    assert.equal(c.dbname, 'postgres://u@h:5432/other?sslmode=require');
  });

  test('dumps the touched tables, writes a private manifest and SHA256SUMS, proves the restore', async () => {
    const p = plan();
    const result = await activities.backup({ runId: 'run-backup-1', plan: p });
    const dir = path.join(tmp, 'backups', 'run-backup-1');
    assert.equal(result.dir, dir);
    assert.equal(result.restoreTested, true);
    assert.equal(result.files.length, 1);
    const [f] = result.files;
    const dump = path.join(dir, f.file);
    assert.equal(f.sha256, sha256(dump));
    assert.equal(f.bytes, fs.statSync(dump).size);
    assert.equal(mode(dir), 0o700);
    for (const name of [f.file, 'manifest.json', 'SHA256SUMS']) assert.equal(mode(path.join(dir, name)), 0o600, name);
    execFileSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: dir });

    const raw = fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8');
    assert.ok(!raw.includes('s3cret') && !raw.includes('127.0.0.1'), 'no URL or password in the manifest');
    const m = JSON.parse(raw) as BackupManifest;
    assert.equal(m.run_id, 'run-backup-1');
    assert.equal(m.database, 'primary');
    assert.equal(Math.floor(m.server_version_num / 10000), 17);
    assert.match(m.pg_dump_version, /pg_dump \(PostgreSQL\) 17/);
    assert.deepEqual(m.files, result.files);
    assert.ok(m.tables.includes('public.chunks_legacy') && m.tables.includes('public.chunks_unified'));
    assert.ok(!m.tables.includes('public.embeddings_v2'), 'absent target tables are skipped');
    assert.equal(m.table_stats?.chunks_legacy.rows, 200);
    assert.equal(m.table_stats?.embeddings_legacy.rows, 100);
    assert.equal(m.restore_tested, true);
    assert.equal(m.restore_warnings, undefined);
    assert.equal(await databaseExists(scratchDatabaseName('run-backup-1')), false, 'scratch database dropped');

    // the archive lists exactly the touched tables (read back with the 17 pg_restore)
    const list = execFileSync(PG_RESTORE, ['--list'], { input: fs.readFileSync(dump) }).toString();
    assert.match(list, /TABLE DATA public chunks_legacy/);
    assert.match(list, /TABLE DATA public chunks_unified/);
  });

  test('a rerun returns the verified backup without dumping again', async () => {
    const p = plan();
    const dump = path.join(tmp, 'backups', 'run-backup-1', 'primary.dump');
    const before = fs.statSync(dump).mtimeMs;
    const first = JSON.parse(fs.readFileSync(path.join(tmp, 'backups', 'run-backup-1', 'manifest.json'), 'utf8'));
    await new Promise((r) => setTimeout(r, 20));
    const result = await activities.backup({ runId: 'run-backup-1', plan: p });
    assert.equal(result.restoreTested, true);
    assert.equal(fs.statSync(dump).mtimeMs, before);
    const again = JSON.parse(fs.readFileSync(path.join(tmp, 'backups', 'run-backup-1', 'manifest.json'), 'utf8'));
    assert.equal(again.created_at, first.created_at);
  });

  test('a corrupted or partial backup is detected and redone', async () => {
    const p = plan();
    const dir = path.join(tmp, 'backups', 'run-backup-1');
    const dump = path.join(dir, 'primary.dump');
    const fd = fs.openSync(dump, 'r+');
    fs.writeSync(fd, Buffer.from('XXXX'), 0, 4, 100);
    fs.closeSync(fd);
    const redone = await activities.backup({ runId: 'run-backup-1', plan: p });
    assert.equal(redone.files[0].sha256, sha256(dump));
    execFileSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: dir });

    // crash mid-dump: a truncated file and no manifest
    fs.truncateSync(dump, 10);
    fs.rmSync(path.join(dir, 'manifest.json'));
    const again = await activities.backup({ runId: 'run-backup-1', plan: p });
    assert.equal(again.files[0].bytes, fs.statSync(dump).size);
    assert.equal(again.files[0].sha256, sha256(dump));
    assert.ok(fs.existsSync(path.join(dir, 'manifest.json')));
  });

  test('without testRestore: no scratch database, restoreTested false', async () => {
    const result = await activities.backup({ runId: 'run-backup-2', plan: plan({ testRestore: false }) });
    assert.equal(result.restoreTested, false);
    const m = JSON.parse(fs.readFileSync(path.join(result.dir, 'manifest.json'), 'utf8')) as BackupManifest;
    assert.equal(m.restore_tested, false);
    assert.equal(m.pg_restore_version, undefined);
  });

  test("refuses a pg_dump whose major version is not the server's", async () => {
    await assert.rejects(
      activities.backup({ runId: 'run-backup-3', plan: plan({ pgDump: '/usr/bin/pg_dump' }) }),
      (err: Error) => {
        assert.equal(err.name, 'PreconditionError');
        assert.match(err.message, /plan\.backup\.pgDump "\/usr\/bin\/pg_dump" is pg_dump 15/);
        assert.match(err.message, /of major version 17/);
        return true;
      },
    );
    assert.equal(fs.existsSync(path.join(tmp, 'backups', 'run-backup-3')), false);
    await assert.rejects(
      activities.backup({ runId: 'run-backup-3', plan: plan({ pgDump: '/nonexistent/pg_dump' }) }),
      /PreconditionError|does not run/,
    );
  });

  test('a restore that does not match the snapshot fails, and the scratch database is still dropped', async () => {
    const dir = path.join(tmp, 'backups', 'run-backup-1');
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
    const expected = structuredClone(m.table_stats!);
    expected.chunks_legacy.rows += 1;
    await assert.rejects(
      testRestore({
        source: db.pool, url: db.url, runId: 'run-mismatch', schema: 'public', tables: m.tables.map((t) => t.split('.')[1]),
        file: path.join(dir, 'primary.dump'), pgRestore: PG_RESTORE, expected,
      }),
      (err: Error) => err.name === 'VerificationError' && /chunks_legacy: dumped 201 rows, restored 200/.test(err.message),
    );
    assert.equal(await databaseExists(scratchDatabaseName('run-mismatch')), false);
  });

  test('refuses a run id that is not a single path component', async () => {
    await assert.rejects(activities.backup({ runId: '../escape', plan: plan() }), { name: 'BadInputError' });
  });

  /** The error of a backup that did not fit, with what it must say. */
  const outOfSpace = (dir: string, what: RegExp) => (err: Error) => {
    assert.equal(err.name, 'InsufficientSpaceError', err.stack);
    assert.match(err.message, new RegExp(`^plan\\.backup\\.dir "${dir}" `));
    assert.match(err.message, what);
    assert.match(err.message, /about \d+(\.\d)? (bytes|KiB|MiB) needed \(the dumped tables' size\), \d+(\.\d)? (bytes|KiB|MiB) free/);
    return true;
  };

  test('a full disk is refused before dumping: space needed and free named, nothing written', async () => {
    const disk = mountTmpfs('32k');
    try {
      await assert.rejects(activities.backup({ runId: 'run-full', plan: plan({ dir: disk.dir }) }), outOfSpace(disk.dir, /has too little free space/));
      assert.deepEqual(filesUnder(disk.dir), []);
    } finally {
      disk.unmount();
    }
  });

  test('the disk filling up during the dump: InsufficientSpaceError, no partial or final dump left', async () => {
    const disk = mountTmpfs('1m');
    try {
      // another process takes every free block just as pg_dump starts
      const pgDump = wrapTool(tmp, PG_DUMP, `dd if=/dev/zero of="${disk.dir}/filler" bs=4k 2>/dev/null || true`);
      await assert.rejects(
        activities.backup({ runId: 'run-enospc', plan: plan({ dir: disk.dir, pgDump }) }),
        outOfSpace(disk.dir, /ran out of space during the dump/),
      );
      assert.deepEqual(filesUnder(disk.dir), ['filler'], 'the run directory and its partial dump are gone');
      // once there is room again, the same run backs up completely
      fs.rmSync(path.join(disk.dir, 'filler'));
      const ok = await activities.backup({ runId: 'run-enospc', plan: plan({ dir: disk.dir, testRestore: false }) });
      assert.deepEqual(filesUnder(ok.dir), ['SHA256SUMS', 'manifest.json', 'primary.dump']);
    } finally {
      disk.unmount();
    }
  });

  test('when the unfinished dump cannot be removed, an INCOMPLETE file says so', { timeout: 120_000 }, async (t) => {
    const runDir = path.join(tmp, 'backups', 'run-undeletable');
    if (!appendOnlySupported(tmp)) return t.skip(`the filesystem of ${tmp} has no append-only directories (chattr +a)`);
    // pg_dump fails once its partial file exists, in a directory where nothing can be deleted (append-only)
    const pgDump = wrapTool(tmp, PG_DUMP, `for _ in $(seq 1500); do [ -e "${runDir}/primary.dump.partial" ] && break; sleep 0.02; done; chattr +a "${runDir}"; echo "pg_dump: simulated failure" >&2; exit 1`);
    try {
      await assert.rejects(activities.backup({ runId: 'run-undeletable', plan: plan({ pgDump, testRestore: false }) }), /simulated failure/);
      assert.deepEqual(filesUnder(runDir), ['INCOMPLETE', 'primary.dump.partial']);
      assert.match(fs.readFileSync(path.join(runDir, 'INCOMPLETE'), 'utf8'), /did not finish and is not usable: .*simulated failure[\s\S]*Removing it failed too/);
    } finally {
      execFileSync('chattr', ['-a', runDir]);
    }
  });

  test('a backup.dir under /proc, /sys or on a file fails at once with a clear error', async () => {
    const file = path.join(tmp, 'a-file');
    fs.writeFileSync(file, 'x');
    const cases: [string, RegExp][] = [
      ['/proc/stp-backups', /is on the kernel's proc filesystem/],
      ['/proc', /is on the kernel's proc filesystem/],
      ['/sys/stp-backups', /is on the kernel's sysfs filesystem/],
      [path.join(file, 'sub'), /is not a directory/],
    ];
    for (const [dir, what] of cases) {
      const t0 = Date.now();
      await assert.rejects(activities.backup({ runId: 'run-bad-dir', plan: plan({ dir }) }), (err: Error) => {
        assert.equal(err.name, 'PreconditionError', err.stack);
        assert.match(err.message, new RegExp(`^plan\\.backup\\.dir "${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
        assert.match(err.message, what);
        return true;
      });
      assert.ok(Date.now() - t0 < 5000, `${dir}: failed within 5 s`);
    }
  });

  test('heartbeats while pg_dump waits, and cancellation kills pg_dump and removes the partial dump', async () => {
    const pidFile = path.join(tmp, 'dump.pid');
    // pg_dump that hangs (as one waiting for a lock would) after saying who it is
    const pgDump = wrapTool(tmp, PG_DUMP, `echo $$ > "${pidFile}"; exec sleep 600`);
    const env = new MockActivityEnvironment();
    let beats = 0;
    env.on('heartbeat', () => (beats += 1));
    const p = plan({ pgDump, testRestore: false });
    const running = env.run(activities.backup, { runId: 'run-cancel', plan: p });
    const outcome = running.then(() => 'completed', (err: Error) => err);
    for (let i = 0; i < 100 && !fs.existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 100));
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 5500));
    assert.ok(beats >= 2, `heartbeats while pg_dump ran: ${beats}`);
    env.cancel();
    const err = await outcome;
    assert.ok(err instanceof Error, 'the activity failed on cancellation');
    assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, 'pg_dump was killed');
    assert.equal(fs.existsSync(path.join(tmp, 'backups', 'run-cancel')), false, 'nothing left of the attempt');
  });
});

describe('backup of generated fixtures (1536-d vectors, every defect kind)', () => {
  test('dumps and restores equal rows', async () => {
    const db = await createTestDatabase('backup_fixtures', { extensions: ['vector'] });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stp-backup-fx-'));
    try {
      await generateFixtures(db.pool, { chunks: 1500, defects: true, graph: false });
      const r = parsePlan({ backup: { dir: tmp, pgDump: PG_DUMP, pgRestore: PG_RESTORE } });
      assert.ok(r.ok);
      const activities = createBackupActivities({ pools: { get: () => db.pool }, resolveUrl: () => db.url });
      const result = await activities.backup({ runId: 'fixtures-run', plan: r.plan });
      assert.equal(result.restoreTested, true);
      const m = JSON.parse(fs.readFileSync(path.join(result.dir, 'manifest.json'), 'utf8')) as BackupManifest;
      assert.equal(m.tables.length, 7);
      assert.ok(m.table_stats!.embeddings_legacy.rows > 0);
    } finally {
      await db.drop();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
