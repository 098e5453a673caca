import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { PreconditionError } from '../../common/errors';
import type { StepInput } from '../../common/steps';
import { connectionError } from '../assess';
import { describePgError, qualified, type Pools, withAdvisoryLock, withClient } from '../db';
import { childConnection, hashingTap, heartbeat, runTool, throttled, toolVersion } from './tools';
import { tableStats, testRestore } from './restore';
import {
  type BackupFile, type BackupManifest, MANIFEST, readVerifiedManifest, runDirectory, SUMS, sumsText, writePrivateFile,
} from './manifest';

export interface BackupResult {
  dir: string;
  files: BackupFile[];
  restoreTested: boolean;
}

export interface BackupDeps {
  pools: Pools;
  /** The connection string of a database name (the worker's EnvPools.url); never logged or stored. */
  resolveUrl(database: string): string;
}

/**
 * The backup step: pg_dump (custom format) of the tables the run touches, a manifest with sha256
 * sums, and optionally a restore into a scratch database to prove the dump restores.
 */
export function createBackupActivities({ pools, resolveUrl }: BackupDeps) {
  return {
    async backup({ runId, plan }: StepInput): Promise<BackupResult> {
      const dir = runDirectory(plan.backup.dir, runId);
      const pool = pools.get(plan.database);
      const held = await withAdvisoryLock(pool, `stp-upgrade:backup:${runId}`, async () => {
        const done = await readVerifiedManifest(dir, runId);
        if (done && (done.restore_tested || !plan.backup.testRestore)) {
          return { dir, files: done.files, restoreTested: done.restore_tested };
        }
        return runBackup({ pool, url: resolveUrl(plan.database), dir, runId, plan });
      }).catch((err: unknown) => {
        throw connectionError(plan.database, err);
      });
      if (!held.locked) throw new Error(`another attempt is backing up run ${runId} right now; retrying later`);
      return held.value;
    },
  };
}

type RunInput = { pool: pg.Pool; url: string; dir: string } & StepInput;

async function runBackup({ pool, url, dir, runId, plan }: RunInput): Promise<BackupResult> {
  const { backup, schema } = plan;
  const server = (await pool.query<{ v: string; n: string }>(
    `select current_setting('server_version') as v, current_setting('server_version_num') as n`,
  )).rows[0];
  const serverMajor = Math.floor(Number(server.n) / 10000);
  const dumpTool = await checkTool(backup.pgDump, 'plan.backup.pgDump', 'pg_dump', serverMajor, server.v);
  const restoreTool = backup.testRestore
    ? await checkTool(backup.pgRestore, 'plan.backup.pgRestore', 'pg_restore', serverMajor, server.v)
    : undefined;
  const tables = await touchedTables(pool, plan);
  if (tables.length === 0) {
    throw new PreconditionError(`none of the legacy tables of the plan exist in schema "${schema}": nothing to back up`);
  }

  // a retry after a crash finds a partial directory: start it over
  await fs.promises.rm(dir, { recursive: true, force: true });
  await fs.promises.mkdir(path.dirname(dir), { recursive: true, mode: 0o700 });
  await fs.promises.mkdir(dir, { mode: 0o700 });
  await fs.promises.chmod(dir, 0o700);

  const name = `${plan.database}.dump`;
  const file = path.join(dir, name);
  const conn = childConnection(url);
  // pg_dump reads the snapshot this transaction exported, so the dump and the stats compared after
  // the restore see exactly the same rows while users keep writing.
  const { digest, stats } = await withClient(pool, async (client) => {
    await client.query('begin transaction isolation level repeatable read, read only');
    try {
      const snapshot = (await client.query<{ s: string }>('select pg_export_snapshot() as s')).rows[0].s;
      const args = ['--format=custom', compression(dumpTool.major), '--no-password', `--snapshot=${snapshot}`, `--dbname=${conn.dbname}`];
      for (const t of tables) args.push('--table', qualified(schema, t));
      const beat = throttled(1000, (bytes: number) => heartbeat({ phase: 'dump', bytes }));
      const { tap, digest } = hashingTap(beat);
      const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
      await runTool(backup.pgDump, args, conn.env, { stdout: [tap, out] });
      const stats = backup.testRestore ? await tableStats(client, schema, tables) : undefined;
      return { digest: digest(), stats };
    } catch (err) {
      throw err instanceof Error && 'severity' in err ? new Error(describePgError(err)) : err;
    } finally {
      await client.query('rollback').catch(() => undefined);
    }
  });
  await fsyncFile(file);
  const files: BackupFile[] = [{ file: name, ...digest }];
  await writePrivateFile(path.join(dir, SUMS), sumsText(files));

  let warnings: string[] | undefined;
  if (restoreTool && stats) {
    ({ warnings } = await testRestore({ source: pool, url, runId, schema, tables, file, pgRestore: backup.pgRestore, expected: stats }));
  }
  const manifest: BackupManifest = {
    format: 1,
    run_id: runId,
    database: plan.database,
    server_version: server.v,
    server_version_num: Number(server.n),
    pg_dump_version: dumpTool.text,
    ...(restoreTool ? { pg_restore_version: restoreTool.text } : {}),
    schema,
    tables: tables.map((t) => `${schema}.${t}`),
    ...(stats ? { table_stats: stats } : {}),
    files,
    created_at: new Date().toISOString(),
    restore_tested: Boolean(restoreTool),
    ...(warnings?.length ? { restore_warnings: warnings } : {}),
  };
  await writePrivateFile(path.join(dir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  return { dir, files, restoreTested: manifest.restore_tested };
}

async function checkTool(bin: string, setting: string, tool: string, serverMajor: number, serverVersion: string) {
  const v = await toolVersion(bin, setting);
  if (v.major !== serverMajor) {
    throw new PreconditionError(
      `${setting} "${bin}" is ${tool} ${v.major} ("${v.text}") but the server runs PostgreSQL ${serverVersion}: ` +
        `set ${setting} to a ${tool} of major version ${serverMajor} (for example /usr/lib/postgresql/${serverMajor}/bin/${tool}, ` +
        `or ~/.cache/stp-upgrade/bin/${tool} made by scripts/install.sh)`,
    );
  }
  return v;
}

/** Legacy tables of the plan that exist, then the target tables if this or an earlier run made them. */
async function touchedTables(pool: pg.Pool, plan: StepInput['plan']): Promise<string[]> {
  const wanted = [...new Set([...Object.values(plan.legacy), ...Object.values(plan.target)])];
  const { rows } = await pool.query<{ relname: string }>(
    `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relname = any($2) and c.relkind in ('r', 'p')`,
    [plan.schema, wanted],
  );
  const found = new Set(rows.map((r) => r.relname));
  if (!Object.values(plan.legacy).some((t) => found.has(t))) return [];
  return wanted.filter((t) => found.has(t));
}

/** pg_dump's default gzip level is several times slower than zstd:1, which also compresses vectors better. */
function compression(major: number): string {
  return major >= 16 ? '--compress=zstd:1' : '--compress=1';
}

async function fsyncFile(file: string): Promise<void> {
  const fh = await fs.promises.open(file, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
