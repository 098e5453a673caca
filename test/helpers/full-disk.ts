import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A real small filesystem: a tmpfs of `size` (e.g. "64k", "1m") mounted on a fresh directory.
 * Needs root (mount). `unmount` removes it again; call it in a finally.
 */
export function mountTmpfs(size: string): { dir: string; unmount: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stp-full-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir]);
  return {
    dir,
    unmount: () => {
      execFileSync('umount', ['-l', dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Files left under dir, relative, recursively (a tmpfs has no lost+found). */
export function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

/**
 * A pg_dump stand-in that runs `before` (a shell snippet) and then the real tool; `--version`
 * goes straight through, so the version check still sees the real tool.
 */
export function wrapTool(dir: string, real: string, before: string): string {
  const file = path.join(dir, `pg_dump-wrapper-${Math.random().toString(36).slice(2, 8)}`);
  fs.writeFileSync(file, `#!/usr/bin/env bash\nif [ "$1" != --version ]; then\n${before}\nfi\nexec "${real}" "$@"\n`, { mode: 0o755 });
  return file;
}
