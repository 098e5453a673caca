import fs from 'node:fs';
import path from 'node:path';
import { BadInputError } from '../../common/errors';
import { artifactsIntact } from './artifacts';
import { heartbeat, sha256File, throttled } from './tools';
import type { BackupArtifact } from './artifacts';
import type { TableStats } from './restore';

export interface BackupFile {
  file: string; // name inside the run's backup directory
  sha256: string;
  bytes: number;
}

/** `<plan.backup.dir>/<runId>/manifest.json`; written last, so its presence marks a finished backup. */
export interface BackupManifest {
  format: 1;
  run_id: string;
  database: string; // the plan's database name, never the URL
  server_version: string;
  server_version_num: number;
  pg_dump_version: string;
  pg_restore_version?: string;
  schema: string;
  tables: string[];
  /** Rows and fingerprints in the dump's snapshot (present when the restore was tested). */
  table_stats?: Record<string, TableStats>;
  files: BackupFile[];
  /** The application's configuration and binary (plan.backup.config / binary), when configured. */
  artifacts?: BackupArtifact[];
  created_at: string;
  restore_tested: boolean;
  restore_warnings?: string[];
}

export const MANIFEST = 'manifest.json';
export const SUMS = 'SHA256SUMS';

const RUN_ID = /^[A-Za-z0-9_][A-Za-z0-9_.:@=+-]{0,199}$/;

/** The run's backup directory; the run id becomes a path component, so it must be one. */
export function runDirectory(baseDir: string, runId: string): string {
  if (!RUN_ID.test(runId) || runId.includes('..')) {
    throw new BadInputError(`run id ${JSON.stringify(runId)} cannot name a backup directory (letters, digits, _ . : @ = + - only)`);
  }
  return path.join(path.resolve(baseDir), runId);
}

/** Writes a file atomically (temp + fsync + rename) with mode 0600. */
export async function writePrivateFile(file: string, content: string): Promise<void> {
  const tmp = `${file}.tmp`;
  await fs.promises.rm(tmp, { force: true });
  const fh = await fs.promises.open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(content);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.promises.chmod(tmp, 0o600);
  await fs.promises.rename(tmp, file);
}

/** `sha256sum -c` compatible lines. */
export function sumsText(files: { file: string; sha256: string }[]): string {
  return files.map((f) => `${f.sha256}  ${f.file}\n`).join('');
}

/** The run's manifest when it is complete and every file it lists still has its size and sha256; else null. */
export async function readVerifiedManifest(dir: string, runId: string): Promise<BackupManifest | null> {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await fs.promises.readFile(path.join(dir, MANIFEST), 'utf8')) as BackupManifest;
  } catch {
    return null;
  }
  if (manifest.format !== 1 || manifest.run_id !== runId || !Array.isArray(manifest.files) || manifest.files.length === 0) return null;
  for (const f of manifest.files) {
    const file = path.join(dir, path.basename(f.file));
    const stat = await fs.promises.stat(file).catch(() => null);
    if (!stat || stat.size !== f.bytes) return null;
    const beat = throttled(1000, (bytes: number) => heartbeat({ phase: 'verify', file: f.file, bytes }));
    if ((await sha256File(file, beat)) !== f.sha256) return null;
  }
  if (manifest.artifacts && !(await artifactsIntact(dir, manifest.artifacts))) return null;
  return manifest;
}
