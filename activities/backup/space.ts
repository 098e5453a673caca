import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { InsufficientSpaceError, PreconditionError } from '../../common/errors';
import { qualified } from '../db';

/** How long one filesystem call on plan.backup.dir may take before the directory counts as hung. */
export const FS_TIMEOUT_MS = 10_000;

/** statfs magic numbers of kernel pseudo filesystems: nothing written there is a backup. */
const PSEUDO_FS: Record<number, string> = {
  0x9fa0: 'proc', 0x62656572: 'sysfs', 0x27e0eb: 'cgroup', 0x63677270: 'cgroup2', 0x64626720: 'debugfs',
  0x74726163: 'tracefs', 0x73636673: 'securityfs', 0x1cd1: 'devpts', 0xcafe4a11: 'bpf', 0x6165676c: 'pstore',
  0x62656570: 'configfs', 0x65735543: 'fusectl', 0x19800202: 'mqueue', 0xde5e81e4: 'efivarfs',
  0x42494e4d: 'binfmt_misc', 0x6e736673: 'nsfs', 0x187: 'autofs',
};

/**
 * One filesystem call on the backup directory, bounded: a hung mount (a dead NFS server, a FUSE
 * daemon that stopped answering) must fail the activity quickly instead of holding it for hours.
 * The call itself may stay blocked in libuv's thread pool; the activity no longer waits for it.
 */
export async function bounded<T>(dir: string, what: string, op: () => Promise<T>, ms = FS_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new PreconditionError(`plan.backup.dir "${dir}": ${what} did not return within ${ms / 1000} s (a hung network or FUSE filesystem?)`)),
      ms,
    );
  });
  try {
    return await Promise.race([op(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Rethrows a timeout or a full disk as is (the caller knows the sizes), anything else as a PreconditionError naming the directory. */
const failed = (dir: string, what: string) => (err: unknown): never => {
  if (err instanceof PreconditionError || isNoSpace(err)) throw err;
  throw new PreconditionError(`plan.backup.dir "${dir}": ${what} failed (${(err as Error).message}); choose a writable directory on a regular filesystem`);
};

/**
 * Checks plan.backup.dir before anything is dumped: on a regular (not a kernel pseudo) filesystem,
 * creatable component by component (node's recursive mkdir loops forever under /proc) and writable.
 */
export async function prepareBackupDir(dir: string): Promise<void> {
  const target = path.resolve(dir);
  let existing = target;
  const missing: string[] = [];
  for (;;) {
    const st = await bounded(dir, `stat of ${existing}`, () => fs.promises.stat(existing)).catch((err: NodeJS.ErrnoException) =>
      err.code === 'ENOENT' || err.code === 'ENOTDIR' ? null : failed(dir, `stat of ${existing}`)(err),
    );
    if (st) {
      if (!st.isDirectory()) throw new PreconditionError(`plan.backup.dir "${dir}": ${existing} is not a directory`);
      break;
    }
    missing.unshift(existing);
    existing = path.dirname(existing);
  }
  const fsInfo = await bounded(dir, 'statfs', () => fs.promises.statfs(existing)).catch(failed(dir, 'statfs'));
  const pseudo = PSEUDO_FS[fsInfo.type];
  if (pseudo) {
    throw new PreconditionError(`plan.backup.dir "${dir}" is on the kernel's ${pseudo} filesystem, where no file can be kept: choose a directory on a disk`);
  }
  for (const p of missing) {
    await bounded(dir, `mkdir ${p}`, () => fs.promises.mkdir(p, { mode: 0o700 })).catch((err: NodeJS.ErrnoException) =>
      err.code === 'EEXIST' ? undefined : failed(dir, `mkdir ${p}`)(err),
    );
  }
  const probe = path.join(target, `.stp-write-probe-${process.pid}`);
  await bounded(dir, 'a test write', async () => {
    await fs.promises.writeFile(probe, 'probe\n', { mode: 0o600 });
    await fs.promises.rm(probe, { force: true });
  }).catch(failed(dir, 'a test write'));
}

/** Bytes available to the worker on the filesystem of dir. */
export async function freeBytes(dir: string): Promise<number> {
  const s = await bounded(dir, 'statfs', () => fs.promises.statfs(path.resolve(dir)));
  return s.bavail * s.bsize;
}

/**
 * What the dump will need, estimated as the on-disk size of the dumped tables (heap and TOAST,
 * no indexes: pg_dump writes only their definitions). Compression usually makes the dump smaller;
 * the text form of vectors can make it larger, which the ENOSPC handling covers.
 */
export async function estimateDumpBytes(pool: pg.Pool, schema: string, tables: string[]): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    `select coalesce(sum(pg_table_size(t::regclass)), 0)::text as n from unnest($1::text[]) t`,
    [tables.map((t) => qualified(schema, t))],
  );
  return Number(rows[0].n);
}

export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return i === 0 ? `${n} bytes` : `${v.toFixed(1)} ${units[i]}`;
}

/** The out-of-space failure, the same text whether the estimate or the disk itself said so. */
export function noSpace(dir: string, needed: number, free: number, during: boolean): InsufficientSpaceError {
  const what = during ? 'ran out of space during the dump' : 'has too little free space for the backup';
  return new InsufficientSpaceError(
    `plan.backup.dir "${dir}" ${what}: about ${formatBytes(needed)} needed (the dumped tables' size), ${formatBytes(free)} free. ` +
      'Free space there or point plan.backup.dir at a larger filesystem, then start the run again.',
  );
}

export function isNoSpace(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** Fails before dumping when the filesystem of dir cannot hold the estimate. */
export function checkSpace(dir: string, needed: number, free: number): void {
  if (needed > free) throw noSpace(dir, needed, free, false);
}
