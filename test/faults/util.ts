import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT, runCliProcess, type CliRun } from '../helpers/processes';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls until fn() is truthy; throws naming `what` after timeoutMs. */
export async function waitUntil<T>(what: string, fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs: number, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

export const seconds = (ms: number) => Math.round(ms / 100) / 10;

const CLI = path.join(REPO_ROOT, 'bin', 'stp-upgrade.js');

export type CliResult = CliRun;

/** The real CLI as a child process (bounded). */
export function cli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<CliResult> {
  return runCliProcess(args, env, timeoutMs);
}

/**
 * A worker process (`stp-upgrade worker`) in its own process group: kill9() takes the group down
 * like a crashed container would, children (pg_dump, nginx -s reload) included.
 */
export class WorkerProcess {
  private out = '';
  readonly child: ChildProcess;
  readyMs = 0;
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  private constructor(env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [CLI, 'worker'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child.stdout!.on('data', (d: Buffer) => this.append(d));
    this.child.stderr!.on('data', (d: Buffer) => this.append(d));
    this.child.on('exit', (code, signal) => (this.exit = { code, signal }));
  }

  private append(d: Buffer): void {
    this.out = (this.out + d.toString()).slice(-20_000);
  }

  static async start(env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
    const started = Date.now();
    const w = new WorkerProcess(env);
    await waitUntil('the worker to poll its task queue', () => {
      if (w.exit) throw new Error(`the worker exited (${w.exit.code ?? w.exit.signal}) before polling:\n${w.tail()}`);
      return w.out.includes('stp-upgrade worker: task queue');
    }, 90_000, 100);
    w.readyMs = Date.now() - started;
    return w;
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  tail(lines = 12): string {
    return this.out.trimEnd().split('\n').slice(-lines).join('\n');
  }

  kill9(): void {
    if (this.child.pid) killGroup(this.child.pid, 'SIGKILL');
  }

  async stop(): Promise<void> {
    if (!this.alive || !this.child.pid) return;
    killGroup(this.child.pid, 'SIGTERM');
    const deadline = Date.now() + 15_000;
    while (this.alive && Date.now() < deadline) await sleep(100);
    this.kill9();
  }
}

/** Signals a whole process group (falls back to the process alone); gone is fine. */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* gone */
    }
  }
}
