import fs from 'node:fs';
import path from 'node:path';
import { PreconditionError } from '../../common/errors';
import { heartbeat, sha256File } from './tools';

/**
 * The application's configuration (a directory such as /etc/semantic-text-processor, or one file)
 * and binary (/usr/local/bin/semantic-text-processor) in the backup, as the runbook's Backup
 * Procedures copy them: same bytes, same file modes, sha256 in the manifest. And back again for
 * the emergency rollback, only where the live file differs from the backup.
 */
export interface BackupArtifact {
  kind: 'config' | 'binary';
  /** Where it lives on the worker's host (absolute). */
  source: string;
  /** Where it is in the run's backup directory: config/<path in the directory> or binary/<name>. */
  file: string;
  sha256: string;
  bytes: number;
  /** Octal file mode of the source, e.g. "0640"; the backup copy and a restored file get it back. */
  mode: string;
}

export interface ArtifactPaths {
  config?: string;
  binary?: string;
}

/** Regular files under a directory (or the file itself), relative paths sorted; symlinks are not followed. */
async function filesOf(root: string): Promise<string[]> {
  const st = await fs.promises.lstat(root);
  if (st.isFile()) return [''];
  if (!st.isDirectory()) return [];
  const out: string[] = [];
  for (const e of await fs.promises.readdir(root, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(path.relative(root, path.join(e.parentPath, e.name)));
  }
  return out.sort();
}

/** Refuses, before anything is written, a configured path that is missing or of the wrong kind. */
export async function checkArtifactPaths(paths: ArtifactPaths): Promise<void> {
  for (const [kind, p] of Object.entries(paths) as [keyof ArtifactPaths, string | undefined][]) {
    if (!p) continue;
    if (!path.isAbsolute(p)) throw new PreconditionError(`plan.backup.${kind}: expected an absolute path on the worker's host, got "${p}"`);
    const st = await fs.promises.stat(p).catch(() => null);
    if (!st) throw new PreconditionError(`plan.backup.${kind}: ${p} does not exist on the worker's host (set the path the application uses, or remove the setting)`);
    if (kind === 'binary' && !st.isFile()) throw new PreconditionError(`plan.backup.binary: ${p} is not a file`);
    if (kind === 'config' && !st.isFile() && !st.isDirectory()) throw new PreconditionError(`plan.backup.config: ${p} is neither a file nor a directory`);
  }
}

/** Copies a file to `to` with `mode` (temp file, fsync, rename) and returns the copy's sha256 and size. */
async function copyExact(from: string, to: string, mode: number): Promise<{ sha256: string; bytes: number }> {
  await fs.promises.mkdir(path.dirname(to), { recursive: true, mode: 0o700 });
  const tmp = `${to}.tmp-${process.pid}`;
  await fs.promises.copyFile(from, tmp);
  await fs.promises.chmod(tmp, mode);
  const fh = await fs.promises.open(tmp, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  const st = await fs.promises.stat(from);
  await fs.promises.utimes(tmp, st.atime, st.mtime);
  await fs.promises.rename(tmp, to);
  return { sha256: (await sha256File(to)) as string, bytes: (await fs.promises.stat(to)).size };
}

/** Copies the configuration and the binary into the run's backup directory. */
export async function backupArtifacts(dir: string, paths: ArtifactPaths): Promise<BackupArtifact[]> {
  const out: BackupArtifact[] = [];
  for (const kind of ['config', 'binary'] as const) {
    const root = paths[kind];
    if (!root) continue;
    for (const rel of await filesOf(root)) {
      const source = rel ? path.join(root, rel) : root;
      const file = path.posix.join(kind, rel ? rel.split(path.sep).join('/') : path.basename(root));
      heartbeat({ phase: 'artifacts', file });
      const mode = (await fs.promises.stat(source)).mode & 0o7777;
      const copied = await copyExact(source, path.join(dir, file), mode);
      out.push({ kind, source, file, ...copied, mode: mode.toString(8).padStart(4, '0') });
    }
  }
  return out;
}

/** Whether every artifact of the manifest is still in the backup with its size and sha256. */
export async function artifactsIntact(dir: string, artifacts: BackupArtifact[]): Promise<boolean> {
  for (const a of artifacts) {
    const file = path.join(dir, a.file);
    const st = await fs.promises.stat(file).catch(() => null);
    if (!st || st.size !== a.bytes || (await sha256File(file)) !== a.sha256) return false;
  }
  return true;
}

export interface RestoreResult {
  /** Live paths written back from the backup (they differed or were gone). */
  restored: string[];
  /** Live paths already equal to the backup (content and mode). */
  unchanged: string[];
}

/**
 * Puts back every live file that differs from the backup (content or mode) or is missing,
 * atomically, with its mode. Idempotent: a second run finds everything unchanged. Files the
 * application's directory gained since the backup are left alone.
 */
export async function restoreArtifacts(dir: string, artifacts: BackupArtifact[]): Promise<RestoreResult> {
  const result: RestoreResult = { restored: [], unchanged: [] };
  for (const a of artifacts) {
    heartbeat({ phase: 'restore', file: a.file });
    const st = await fs.promises.stat(a.source).catch(() => null);
    const mode = parseInt(a.mode, 8);
    if (st && st.isFile() && (st.mode & 0o7777) === mode && (await sha256File(a.source)) === a.sha256) {
      result.unchanged.push(a.source);
      continue;
    }
    const copied = await copyExact(path.join(dir, a.file), a.source, mode);
    if (copied.sha256 !== a.sha256) throw new PreconditionError(`restoring ${a.source}: the backup copy ${a.file} does not match its sha256 any more`);
    result.restored.push(a.source);
  }
  return result;
}
