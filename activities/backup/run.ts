import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { PreconditionError } from '../../common/errors';
import type { StepInput } from '../../common/steps';
import { heartbeating } from '../heartbeat';
import { describePgError, qualified, withClient } from '../db';
import { type BackupFile, type BackupManifest, MANIFEST, SUMS, sumsText, writePrivateFile } from './manifest';
import { backupArtifacts, checkArtifactPaths } from './artifacts';
import { tableStats, testRestore } from './restore';
import { bounded, checkSpace, estimateDumpBytes, freeBytes, isNoSpace, noSpace, prepareBackupDir } from './space';
import { childConnection, hashingTap, runTool, toolVersion } from './tools';
import type { BackupResult } from './index';

type RunInput = { pool: pg.Pool; url: string; dir: string } & StepInput;

/** Suffix of a dump being written; only a finished, summed dump gets its final name. */
export const PARTIAL = '.partial';
/** Left in the run directory when a failed attempt could not remove what it wrote. */
export const INCOMPLETE = 'INCOMPLETE';

/** Heartbeat details while pg_dump or pg_restore run; sent every few seconds even when no byte flows. */
interface BackupBeat {
  phase: 'prepare' | 'dump' | 'artifacts' | 'restore' | 'manifest';
  bytes: number;
}

/** One backup attempt, heartbeating from start to end (a size query may wait on a lock, pg_dump on anything). */
export async function runBackup(input: RunInput): Promise<BackupResult> {
  const beat: BackupBeat = { phase: 'prepare', bytes: 0 };
  return heartbeating(beat, () => attempt(input, beat));
}

async function attempt({ pool, url, dir, runId, plan }: RunInput, beat: BackupBeat): Promise<BackupResult> {
  const { backup, schema } = plan;
  const server = (await pool.query<{ v: string; n: string }>(
    `select current_setting('server_version') as v, current_setting('server_version_num') as n`,
  )).rows[0];
  const serverMajor = Math.floor(Number(server.n) / 10000);
  const dumpTool = await checkTool(backup.pgDump, 'plan.backup.pgDump', 'pg_dump', serverMajor, server.v);
  const restoreTool = backup.testRestore
    ? await checkTool(backup.pgRestore, 'plan.backup.pgRestore', 'pg_restore', serverMajor, server.v)
    : undefined;
  await checkArtifactPaths({ config: backup.config, binary: backup.binary });
  const tables = await touchedTables(pool, plan);
  if (tables.length === 0) {
    throw new PreconditionError(`none of the legacy tables of the plan exist in schema "${schema}": nothing to back up`);
  }
  const needed = await estimateDumpBytes(pool, schema, tables);
  const outOfSpace = async (err: unknown): Promise<never> => {
    throw isNoSpace(err) ? noSpace(backup.dir, needed, await freeBytes(backup.dir).catch(() => 0), true) : err;
  };
  await prepareBackupDir(backup.dir).catch(outOfSpace);
  // a retry after a crash finds a partial directory: start it over (and count its space as free)
  await bounded(backup.dir, 'removing an earlier attempt', () => fs.promises.rm(dir, { recursive: true, force: true }));
  checkSpace(backup.dir, needed, await freeBytes(backup.dir));

  const name = `${plan.database}.dump`;
  const file = path.join(dir, name);
  beat.phase = 'dump';
  try {
    await bounded(backup.dir, `mkdir ${dir}`, () => fs.promises.mkdir(dir, { mode: 0o700 }));
    await fs.promises.chmod(dir, 0o700);
    const { digest, stats } = await dump({ pool, url, schema, tables, file: file + PARTIAL, pgDump: backup.pgDump, major: dumpTool.major, stats: Boolean(restoreTool), beat });
    const files: BackupFile[] = [{ file: name, ...digest }];
    beat.phase = 'artifacts';
    const artifacts = await backupArtifacts(dir, backup);
    await writePrivateFile(path.join(dir, SUMS), sumsText([...files, ...artifacts]));
    await fs.promises.rename(file + PARTIAL, file);
    await fsyncPath(dir, 'r');

    let warnings: string[] | undefined;
    if (restoreTool && stats) {
      beat.phase = 'restore';
      ({ warnings } = await testRestore({ source: pool, url, runId, schema, tables, file, pgRestore: backup.pgRestore, expected: stats }));
    }
    beat.phase = 'manifest';
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
      ...(artifacts.length > 0 ? { artifacts } : {}),
      created_at: new Date().toISOString(),
      restore_tested: Boolean(restoreTool),
      ...(warnings?.length ? { restore_warnings: warnings } : {}),
    };
    await writePrivateFile(path.join(dir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
    return { dir, files, restoreTested: manifest.restore_tested, ...(artifacts.length > 0 ? { artifacts } : {}) };
  } catch (err) {
    await discard(backup.dir, dir, err);
    return outOfSpace(err);
  }
}

interface DumpInput {
  pool: pg.Pool;
  url: string;
  schema: string;
  tables: string[];
  file: string;
  pgDump: string;
  major: number;
  stats: boolean;
  beat: BackupBeat;
}

/**
 * pg_dump reads the snapshot this transaction exported, so the dump and the stats compared after
 * the restore see exactly the same rows while users keep writing.
 */
async function dump(input: DumpInput) {
  const conn = childConnection(input.url);
  return withClient(input.pool, async (client) => {
    await client.query('begin transaction isolation level repeatable read, read only');
    try {
      const snapshot = (await client.query<{ s: string }>('select pg_export_snapshot() as s')).rows[0].s;
      const args = ['--format=custom', compression(input.major), '--no-password', `--snapshot=${snapshot}`, `--dbname=${conn.dbname}`];
      for (const t of input.tables) args.push('--table', qualified(input.schema, t));
      const { tap, digest } = hashingTap((bytes) => (input.beat.bytes = bytes));
      const out = fs.createWriteStream(input.file, { flags: 'wx', mode: 0o600 });
      await runTool(input.pgDump, args, conn.env, { stdout: [tap, out] });
      await fsyncPath(input.file, 'r+');
      const stats = input.stats ? await tableStats(client, input.schema, input.tables) : undefined;
      return { digest: digest(), stats };
    } catch (err) {
      throw err instanceof Error && 'severity' in err ? new Error(describePgError(err)) : err;
    } finally {
      await client.query('rollback').catch(() => undefined);
    }
  });
}

/**
 * After a failed attempt nothing may look like a backup: the run directory goes (it holds only
 * this attempt's files); when even that fails, an INCOMPLETE file says why.
 */
async function discard(baseDir: string, dir: string, cause: unknown): Promise<void> {
  try {
    await bounded(baseDir, 'removing the unfinished backup', () => fs.promises.rm(dir, { recursive: true, force: true }));
  } catch (err) {
    const text = `This backup did not finish and is not usable: ${(cause as Error)?.message ?? String(cause)}\n` +
      `Removing it failed too (${(err as Error).message}). Delete this directory.\n`;
    await bounded(baseDir, 'writing the INCOMPLETE marker', () => fs.promises.writeFile(path.join(dir, INCOMPLETE), text)).catch(() => undefined);
  }
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

/** fsync of a file, or of a directory (so a rename in it survives a power cut). */
async function fsyncPath(p: string, flags: 'r' | 'r+'): Promise<void> {
  const fh = await fs.promises.open(p, flags);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
