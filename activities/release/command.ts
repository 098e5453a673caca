import { spawn } from 'node:child_process';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CommandOptions {
  /** Added to the runner's own environment; values passed here never appear in argv. */
  env?: Record<string, string>;
  timeoutMs?: number;
  cwd?: string;
}

/** Runs argv (no shell) and resolves with its exit code; injected so that tests can record argv. */
export type CommandRunner = (argv: string[], opts?: CommandOptions) => Promise<CommandResult>;

/** The real runner. A command that cannot be started resolves with code 127, as a shell would. */
export const execRunner: CommandRunner = (argv, opts = {}) =>
  new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: opts.timeoutMs ?? 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (err) => resolve({ code: 127, stdout, stderr: stderr + err.message }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });

/** "nginx -t ... exited 1: <stderr>" for error messages. */
export function describeFailure(argv: string[], r: CommandResult): string {
  const out = (r.stderr || r.stdout).trim().split('\n').slice(-5).join(' | ');
  return `${argv.join(' ')} exited ${r.code}${out ? `: ${out}` : ''}`;
}
