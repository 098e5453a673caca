import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PreconditionError } from '../../common/errors';
import { cancellationSignal } from '../heartbeat';

export { heartbeat } from '../heartbeat';

/**
 * How a libpq child connects: the URL without its password goes to argv (visible in `ps`), the
 * password to PGPASSWORD in the child's environment only.
 */
export function childConnection(url: string, database?: string): { dbname: string; env: Record<string, string> } {
  const u = new URL(url);
  const env: Record<string, string> = {};
  const password = u.password ? decodeURIComponent(u.password) : u.searchParams.get('password');
  if (password) env.PGPASSWORD = password;
  u.password = '';
  u.searchParams.delete('password');
  if (database) u.pathname = `/${database}`;
  return { dbname: u.toString(), env };
}

/** The major version a PostgreSQL client tool reports (`pg_dump (PostgreSQL) 17.12 ...`). */
export async function toolVersion(bin: string, setting: string): Promise<{ major: number; text: string }> {
  let out = '';
  const chunks: Buffer[] = [];
  try {
    const sink = new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c), cb()) });
    await runTool(bin, ['--version'], {}, { stdout: sink });
    out = Buffer.concat(chunks).toString('utf8').trim();
  } catch (err) {
    throw new PreconditionError(`${setting} "${bin}" does not run (${(err as Error).message}); set ${setting} to a PostgreSQL client binary`);
  }
  const m = /\(PostgreSQL\)\s+(\d+)/.exec(out);
  if (!m) throw new PreconditionError(`${setting} "${bin}" printed "${out}" for --version, not a PostgreSQL client version`);
  return { major: Number(m[1]), text: out };
}

const PIPE_CODES = new Set(['EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'ERR_STREAM_DESTROYED']);

/**
 * Runs a client tool with optional stdin/stdout streams (stdout may be a chain ending in a sink) and a bounded stderr tail. Rejects with the
 * tool's own error text on a non-zero exit (that text is more useful than the EPIPE it causes).
 */
export async function runTool(
  bin: string,
  args: string[],
  env: Record<string, string>,
  io: { stdin?: Readable; stdout?: Writable | Array<Transform | Writable> },
): Promise<{ stderr: string }> {
  const child = spawn(bin, args, {
    env: { ...process.env, ...env },
    stdio: [io.stdin ? 'pipe' : 'ignore', io.stdout ? 'pipe' : 'ignore', 'pipe'],
    signal: cancellationSignal(),
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString('utf8')).slice(-8000);
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  const streams = [
    io.stdin ? pipeline(io.stdin, child.stdin!) : Promise.resolve(),
    io.stdout ? pipeline([child.stdout!, ...[io.stdout].flat()]) : Promise.resolve(),
  ];
  // a stream that fails (the dump file could not be opened or written) ends the tool too: a tool that
  // never writes again would otherwise never notice its broken pipe
  for (const st of streams) st.catch(() => child.kill('SIGTERM'));
  const [exit, ...piped] = await Promise.allSettled([exited, ...streams]);
  if (exit.status === 'rejected') throw exit.reason;
  // a full disk shows up in the tool as a broken pipe: report the cause, not the symptom
  const local = piped.find((p) => p.status === 'rejected' && !PIPE_CODES.has((p.reason as { code?: string }).code ?? ''));
  if (local) throw (local as PromiseRejectedResult).reason;
  if (exit.value !== 0) {
    throw new Error(`${bin} ${args[0] ?? ''} exited with ${exit.value}: ${stderr.trim() || '(no output)'}`);
  }
  const failed = piped.find((p) => p.status === 'rejected') as PromiseRejectedResult | undefined;
  if (failed) throw failed.reason;
  return { stderr };
}

/** A pass-through that hashes and counts what flows through it. */
export function hashingTap(onBytes: (bytes: number) => void): { tap: Transform; digest: () => { sha256: string; bytes: number } } {
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      onBytes(bytes);
      cb(null, chunk);
    },
  });
  return { tap, digest: () => ({ sha256: hash.digest('hex'), bytes }) };
}

/** sha256 of a file, streamed; null when the file is missing. */
export async function sha256File(file: string, onBytes: (bytes: number) => void = () => undefined): Promise<string | null> {
  if (!fs.existsSync(file)) return null;
  const { tap, digest } = hashingTap(onBytes);
  await pipeline(fs.createReadStream(file), tap, new Writable({ write: (_c, _e, cb) => cb() }));
  return digest().sha256;
}

/** Calls fn at most once per interval, so a chunk-per-callback stream does not flood heartbeats. */
export function throttled<T>(ms: number, fn: (v: T) => void): (v: T) => void {
  let last = 0;
  return (v) => {
    const now = Date.now();
    if (now - last >= ms) {
      last = now;
      fn(v);
    }
  };
}
