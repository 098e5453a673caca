"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_crypto_1 = __importDefault(require("node:crypto"));
const node_fs_1 = __importDefault(require("node:fs"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const pg_1 = __importDefault(require("pg"));
const plan_1 = require("../../common/plan");
const backup_1 = require("../../activities/backup");
const restore_1 = require("../../activities/backup/restore");
const generate_1 = require("../../fixtures/generate");
const tools_1 = require("../../activities/backup/tools");
const testing_1 = require("@temporalio/testing");
const full_disk_1 = require("../helpers/full-disk");
const pg_2 = require("../helpers/pg");
const CACHE = process.env.STP_CACHE ?? node_path_1.default.join(node_os_1.default.homedir(), '.cache', 'stp-upgrade');
const PG_DUMP = node_path_1.default.join(CACHE, 'bin', 'pg_dump');
const PG_RESTORE = node_path_1.default.join(CACHE, 'bin', 'pg_restore');
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
const sha256 = (file) => node_crypto_1.default.createHash('sha256').update(node_fs_1.default.readFileSync(file)).digest('hex');
const mode = (p) => node_fs_1.default.statSync(p).mode & 0o777;
/** Whether chattr +a works here (ext2/3/4, xfs, btrfs as root), which makes a directory's entries undeletable. */
function appendOnlySupported(dir) {
    const probe = node_fs_1.default.mkdtempSync(node_path_1.default.join(dir, 'chattr-'));
    try {
        (0, node_child_process_1.execFileSync)('chattr', ['+a', probe], { stdio: 'ignore' });
        (0, node_child_process_1.execFileSync)('chattr', ['-a', probe], { stdio: 'ignore' });
        return true;
    }
    catch {
        return false;
    }
    finally {
        node_fs_1.default.rmSync(probe, { recursive: true, force: true });
    }
}
async function databaseExists(name) {
    const admin = new pg_1.default.Client({ connectionString: pg_2.ADMIN_URL });
    await admin.connect();
    try {
        return (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
    }
    finally {
        await admin.end();
    }
}
(0, node_test_1.describe)('backup activity (real PostgreSQL 17, pg_dump through the trixie root)', () => {
    let db;
    let tmp;
    let activities;
    let urlWithPassword;
    const plan = (backup = {}) => {
        const r = (0, plan_1.parsePlan)({ backup: { dir: node_path_1.default.join(tmp, 'backups'), pgDump: PG_DUMP, pgRestore: PG_RESTORE, ...backup } });
        if (!r.ok)
            throw new Error(r.errors.join('\n'));
        return r.plan;
    };
    (0, node_test_1.before)(async () => {
        db = await (0, pg_2.createTestDatabase)('backup', { extensions: ['vector'] });
        await db.pool.query(LEGACY_DDL);
        tmp = node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'stp-backup-'));
        // trust auth ignores the password; it must still reach pg_dump through PGPASSWORD only
        const u = new URL(db.url);
        u.password = 's3cret-pw';
        urlWithPassword = u.toString();
        activities = (0, backup_1.createBackupActivities)({ pools: { get: () => db.pool }, resolveUrl: () => urlWithPassword });
    });
    (0, node_test_1.after)(async () => {
        await db?.drop();
        if (tmp)
            node_fs_1.default.rmSync(tmp, { recursive: true, force: true });
    });
    (0, node_test_1.test)('childConnection keeps the password out of argv', () => {
        const c = (0, tools_1.childConnection)('postgres://u:p%40ss@h:5432/db?sslmode=require', 'other');
        strict_1.default.equal(c.env.PGPASSWORD, 'p@ss');
        strict_1.default.equal(c.dbname, 'postgres://u@h:5432/other?sslmode=require');
    });
    (0, node_test_1.test)('dumps the touched tables, writes a private manifest and SHA256SUMS, proves the restore', async () => {
        const p = plan();
        const result = await activities.backup({ runId: 'run-backup-1', plan: p });
        const dir = node_path_1.default.join(tmp, 'backups', 'run-backup-1');
        strict_1.default.equal(result.dir, dir);
        strict_1.default.equal(result.restoreTested, true);
        strict_1.default.equal(result.files.length, 1);
        const [f] = result.files;
        const dump = node_path_1.default.join(dir, f.file);
        strict_1.default.equal(f.sha256, sha256(dump));
        strict_1.default.equal(f.bytes, node_fs_1.default.statSync(dump).size);
        strict_1.default.equal(mode(dir), 0o700);
        for (const name of [f.file, 'manifest.json', 'SHA256SUMS'])
            strict_1.default.equal(mode(node_path_1.default.join(dir, name)), 0o600, name);
        (0, node_child_process_1.execFileSync)('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: dir });
        const raw = node_fs_1.default.readFileSync(node_path_1.default.join(dir, 'manifest.json'), 'utf8');
        strict_1.default.ok(!raw.includes('s3cret') && !raw.includes('127.0.0.1'), 'no URL or password in the manifest');
        const m = JSON.parse(raw);
        strict_1.default.equal(m.run_id, 'run-backup-1');
        strict_1.default.equal(m.database, 'primary');
        strict_1.default.equal(Math.floor(m.server_version_num / 10000), 17);
        strict_1.default.match(m.pg_dump_version, /pg_dump \(PostgreSQL\) 17/);
        strict_1.default.deepEqual(m.files, result.files);
        strict_1.default.ok(m.tables.includes('public.chunks_legacy') && m.tables.includes('public.chunks_unified'));
        strict_1.default.ok(!m.tables.includes('public.embeddings_v2'), 'absent target tables are skipped');
        strict_1.default.equal(m.table_stats?.chunks_legacy.rows, 200);
        strict_1.default.equal(m.table_stats?.embeddings_legacy.rows, 100);
        strict_1.default.equal(m.restore_tested, true);
        strict_1.default.equal(m.restore_warnings, undefined);
        strict_1.default.equal(await databaseExists((0, restore_1.scratchDatabaseName)('run-backup-1')), false, 'scratch database dropped');
        // the archive lists exactly the touched tables (read back with the 17 pg_restore)
        const list = (0, node_child_process_1.execFileSync)(PG_RESTORE, ['--list'], { input: node_fs_1.default.readFileSync(dump) }).toString();
        strict_1.default.match(list, /TABLE DATA public chunks_legacy/);
        strict_1.default.match(list, /TABLE DATA public chunks_unified/);
    });
    (0, node_test_1.test)('a rerun returns the verified backup without dumping again', async () => {
        const p = plan();
        const dump = node_path_1.default.join(tmp, 'backups', 'run-backup-1', 'primary.dump');
        const before = node_fs_1.default.statSync(dump).mtimeMs;
        const first = JSON.parse(node_fs_1.default.readFileSync(node_path_1.default.join(tmp, 'backups', 'run-backup-1', 'manifest.json'), 'utf8'));
        await new Promise((r) => setTimeout(r, 20));
        const result = await activities.backup({ runId: 'run-backup-1', plan: p });
        strict_1.default.equal(result.restoreTested, true);
        strict_1.default.equal(node_fs_1.default.statSync(dump).mtimeMs, before);
        const again = JSON.parse(node_fs_1.default.readFileSync(node_path_1.default.join(tmp, 'backups', 'run-backup-1', 'manifest.json'), 'utf8'));
        strict_1.default.equal(again.created_at, first.created_at);
    });
    (0, node_test_1.test)('a corrupted or partial backup is detected and redone', async () => {
        const p = plan();
        const dir = node_path_1.default.join(tmp, 'backups', 'run-backup-1');
        const dump = node_path_1.default.join(dir, 'primary.dump');
        const fd = node_fs_1.default.openSync(dump, 'r+');
        node_fs_1.default.writeSync(fd, Buffer.from('XXXX'), 0, 4, 100);
        node_fs_1.default.closeSync(fd);
        const redone = await activities.backup({ runId: 'run-backup-1', plan: p });
        strict_1.default.equal(redone.files[0].sha256, sha256(dump));
        (0, node_child_process_1.execFileSync)('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: dir });
        // crash mid-dump: a truncated file and no manifest
        node_fs_1.default.truncateSync(dump, 10);
        node_fs_1.default.rmSync(node_path_1.default.join(dir, 'manifest.json'));
        const again = await activities.backup({ runId: 'run-backup-1', plan: p });
        strict_1.default.equal(again.files[0].bytes, node_fs_1.default.statSync(dump).size);
        strict_1.default.equal(again.files[0].sha256, sha256(dump));
        strict_1.default.ok(node_fs_1.default.existsSync(node_path_1.default.join(dir, 'manifest.json')));
    });
    (0, node_test_1.test)('without testRestore: no scratch database, restoreTested false', async () => {
        const result = await activities.backup({ runId: 'run-backup-2', plan: plan({ testRestore: false }) });
        strict_1.default.equal(result.restoreTested, false);
        const m = JSON.parse(node_fs_1.default.readFileSync(node_path_1.default.join(result.dir, 'manifest.json'), 'utf8'));
        strict_1.default.equal(m.restore_tested, false);
        strict_1.default.equal(m.pg_restore_version, undefined);
    });
    (0, node_test_1.test)("refuses a pg_dump whose major version is not the server's", async () => {
        await strict_1.default.rejects(activities.backup({ runId: 'run-backup-3', plan: plan({ pgDump: '/usr/bin/pg_dump' }) }), (err) => {
            strict_1.default.equal(err.name, 'PreconditionError');
            strict_1.default.match(err.message, /plan\.backup\.pgDump "\/usr\/bin\/pg_dump" is pg_dump 15/);
            strict_1.default.match(err.message, /of major version 17/);
            return true;
        });
        strict_1.default.equal(node_fs_1.default.existsSync(node_path_1.default.join(tmp, 'backups', 'run-backup-3')), false);
        await strict_1.default.rejects(activities.backup({ runId: 'run-backup-3', plan: plan({ pgDump: '/nonexistent/pg_dump' }) }), /PreconditionError|does not run/);
    });
    (0, node_test_1.test)('a restore that does not match the snapshot fails, and the scratch database is still dropped', async () => {
        const dir = node_path_1.default.join(tmp, 'backups', 'run-backup-1');
        const m = JSON.parse(node_fs_1.default.readFileSync(node_path_1.default.join(dir, 'manifest.json'), 'utf8'));
        const expected = structuredClone(m.table_stats);
        expected.chunks_legacy.rows += 1;
        await strict_1.default.rejects((0, restore_1.testRestore)({
            source: db.pool, url: db.url, runId: 'run-mismatch', schema: 'public', tables: m.tables.map((t) => t.split('.')[1]),
            file: node_path_1.default.join(dir, 'primary.dump'), pgRestore: PG_RESTORE, expected,
        }), (err) => err.name === 'VerificationError' && /chunks_legacy: dumped 201 rows, restored 200/.test(err.message));
        strict_1.default.equal(await databaseExists((0, restore_1.scratchDatabaseName)('run-mismatch')), false);
    });
    (0, node_test_1.test)('refuses a run id that is not a single path component', async () => {
        await strict_1.default.rejects(activities.backup({ runId: '../escape', plan: plan() }), { name: 'BadInputError' });
    });
    /** The error of a backup that did not fit, with what it must say. */
    const outOfSpace = (dir, what) => (err) => {
        strict_1.default.equal(err.name, 'InsufficientSpaceError', err.stack);
        strict_1.default.match(err.message, new RegExp(`^plan\\.backup\\.dir "${dir}" `));
        strict_1.default.match(err.message, what);
        strict_1.default.match(err.message, /about \d+(\.\d)? (bytes|KiB|MiB) needed \(the dumped tables' size\), \d+(\.\d)? (bytes|KiB|MiB) free/);
        return true;
    };
    (0, node_test_1.test)('a full disk is refused before dumping: space needed and free named, nothing written', async () => {
        const disk = (0, full_disk_1.mountTmpfs)('32k');
        try {
            await strict_1.default.rejects(activities.backup({ runId: 'run-full', plan: plan({ dir: disk.dir }) }), outOfSpace(disk.dir, /has too little free space/));
            strict_1.default.deepEqual((0, full_disk_1.filesUnder)(disk.dir), []);
        }
        finally {
            disk.unmount();
        }
    });
    (0, node_test_1.test)('the disk filling up during the dump: InsufficientSpaceError, no partial or final dump left', async () => {
        const disk = (0, full_disk_1.mountTmpfs)('1m');
        try {
            // another process takes every free block just as pg_dump starts
            const pgDump = (0, full_disk_1.wrapTool)(tmp, PG_DUMP, `dd if=/dev/zero of="${disk.dir}/filler" bs=4k 2>/dev/null || true`);
            await strict_1.default.rejects(activities.backup({ runId: 'run-enospc', plan: plan({ dir: disk.dir, pgDump }) }), outOfSpace(disk.dir, /ran out of space during the dump/));
            strict_1.default.deepEqual((0, full_disk_1.filesUnder)(disk.dir), ['filler'], 'the run directory and its partial dump are gone');
            // once there is room again, the same run backs up completely
            node_fs_1.default.rmSync(node_path_1.default.join(disk.dir, 'filler'));
            const ok = await activities.backup({ runId: 'run-enospc', plan: plan({ dir: disk.dir, testRestore: false }) });
            strict_1.default.deepEqual((0, full_disk_1.filesUnder)(ok.dir), ['SHA256SUMS', 'manifest.json', 'primary.dump']);
        }
        finally {
            disk.unmount();
        }
    });
    (0, node_test_1.test)('when the unfinished dump cannot be removed, an INCOMPLETE file says so', { timeout: 120_000 }, async (t) => {
        const runDir = node_path_1.default.join(tmp, 'backups', 'run-undeletable');
        if (!appendOnlySupported(tmp))
            return t.skip(`the filesystem of ${tmp} has no append-only directories (chattr +a)`);
        // pg_dump fails once its partial file exists, in a directory where nothing can be deleted (append-only)
        const pgDump = (0, full_disk_1.wrapTool)(tmp, PG_DUMP, `for _ in $(seq 1500); do [ -e "${runDir}/primary.dump.partial" ] && break; sleep 0.02; done; chattr +a "${runDir}"; echo "pg_dump: simulated failure" >&2; exit 1`);
        try {
            await strict_1.default.rejects(activities.backup({ runId: 'run-undeletable', plan: plan({ pgDump, testRestore: false }) }), /simulated failure/);
            strict_1.default.deepEqual((0, full_disk_1.filesUnder)(runDir), ['INCOMPLETE', 'primary.dump.partial']);
            strict_1.default.match(node_fs_1.default.readFileSync(node_path_1.default.join(runDir, 'INCOMPLETE'), 'utf8'), /did not finish and is not usable: .*simulated failure[\s\S]*Removing it failed too/);
        }
        finally {
            (0, node_child_process_1.execFileSync)('chattr', ['-a', runDir]);
        }
    });
    (0, node_test_1.test)('a backup.dir under /proc, /sys or on a file fails at once with a clear error', async () => {
        const file = node_path_1.default.join(tmp, 'a-file');
        node_fs_1.default.writeFileSync(file, 'x');
        const cases = [
            ['/proc/stp-backups', /is on the kernel's proc filesystem/],
            ['/proc', /is on the kernel's proc filesystem/],
            ['/sys/stp-backups', /is on the kernel's sysfs filesystem/],
            [node_path_1.default.join(file, 'sub'), /is not a directory/],
        ];
        for (const [dir, what] of cases) {
            const t0 = Date.now();
            await strict_1.default.rejects(activities.backup({ runId: 'run-bad-dir', plan: plan({ dir }) }), (err) => {
                strict_1.default.equal(err.name, 'PreconditionError', err.stack);
                strict_1.default.match(err.message, new RegExp(`^plan\\.backup\\.dir "${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
                strict_1.default.match(err.message, what);
                return true;
            });
            strict_1.default.ok(Date.now() - t0 < 5000, `${dir}: failed within 5 s`);
        }
    });
    (0, node_test_1.test)('heartbeats while pg_dump waits, and cancellation kills pg_dump and removes the partial dump', async () => {
        const pidFile = node_path_1.default.join(tmp, 'dump.pid');
        // pg_dump that hangs (as one waiting for a lock would) after saying who it is
        const pgDump = (0, full_disk_1.wrapTool)(tmp, PG_DUMP, `echo $$ > "${pidFile}"; exec sleep 600`);
        const env = new testing_1.MockActivityEnvironment();
        let beats = 0;
        env.on('heartbeat', () => (beats += 1));
        const p = plan({ pgDump, testRestore: false });
        const running = env.run(activities.backup, { runId: 'run-cancel', plan: p });
        const outcome = running.then(() => 'completed', (err) => err);
        for (let i = 0; i < 100 && !node_fs_1.default.existsSync(pidFile); i++)
            await new Promise((r) => setTimeout(r, 100));
        const pid = Number(node_fs_1.default.readFileSync(pidFile, 'utf8'));
        await new Promise((r) => setTimeout(r, 5500));
        strict_1.default.ok(beats >= 2, `heartbeats while pg_dump ran: ${beats}`);
        env.cancel();
        const err = await outcome;
        strict_1.default.ok(err instanceof Error, 'the activity failed on cancellation');
        strict_1.default.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, 'pg_dump was killed');
        strict_1.default.equal(node_fs_1.default.existsSync(node_path_1.default.join(tmp, 'backups', 'run-cancel')), false, 'nothing left of the attempt');
    });
});
(0, node_test_1.describe)('backup of generated fixtures (1536-d vectors, every defect kind)', () => {
    (0, node_test_1.test)('dumps and restores equal rows', async () => {
        const db = await (0, pg_2.createTestDatabase)('backup_fixtures', { extensions: ['vector'] });
        const tmp = node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'stp-backup-fx-'));
        try {
            await (0, generate_1.generateFixtures)(db.pool, { chunks: 1500, defects: true, graph: false });
            const r = (0, plan_1.parsePlan)({ backup: { dir: tmp, pgDump: PG_DUMP, pgRestore: PG_RESTORE } });
            strict_1.default.ok(r.ok);
            const activities = (0, backup_1.createBackupActivities)({ pools: { get: () => db.pool }, resolveUrl: () => db.url });
            const result = await activities.backup({ runId: 'fixtures-run', plan: r.plan });
            strict_1.default.equal(result.restoreTested, true);
            const m = JSON.parse(node_fs_1.default.readFileSync(node_path_1.default.join(result.dir, 'manifest.json'), 'utf8'));
            strict_1.default.equal(m.tables.length, 7);
            strict_1.default.ok(m.table_stats.embeddings_legacy.rows > 0);
        }
        finally {
            await db.drop();
            node_fs_1.default.rmSync(tmp, { recursive: true, force: true });
        }
    });
});
//# sourceMappingURL=backup.test.js.map