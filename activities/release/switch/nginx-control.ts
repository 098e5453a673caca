import fs from 'node:fs';
import path from 'node:path';
import { CommandRunner, describeFailure, execRunner } from '../command';
import { NginxCommandError, NginxConfigError } from '../errors';
import { isSameProcess, killGroup } from '../proc';
import type { NginxLayout } from './nginx-files';

/** `nginx` from PATH, else the Debian location. */
export function nginxBinary(): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'nginx');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return '/usr/sbin/nginx';
}

/** Runs nginx commands against one configuration (`-c CONF -p PREFIX -e ERRORLOG`). */
export class NginxControl {
  constructor(
    readonly layout: NginxLayout,
    readonly bin: string = nginxBinary(),
    private readonly runner: CommandRunner = execRunner,
  ) {}

  private args(...extra: string[]): string[] {
    return [this.bin, ...extra, '-c', this.layout.conf, '-p', this.layout.prefix, '-e', this.layout.errorLog];
  }

  /** The master's pid when it runs, else null. */
  pid(): number | null {
    try {
      const pid = Number(fs.readFileSync(this.layout.pidFile, 'utf8').trim());
      return pid > 0 && isSameProcess(pid, null) ? pid : null;
    } catch {
      return null;
    }
  }

  async test(): Promise<void> {
    const argv = this.args('-t');
    const r = await this.runner(argv);
    if (r.code !== 0) throw new NginxConfigError(describeFailure(argv, r));
  }

  /** `nginx -s reload` when it runs, else starts it (nginx daemonizes; the master outlives us). */
  async reloadOrStart(): Promise<'reloaded' | 'started'> {
    const running = this.pid() !== null;
    const argv = running ? this.args('-s', 'reload') : this.args();
    const r = await this.runner(argv);
    if (r.code !== 0) throw new NginxCommandError(describeFailure(argv, r));
    return running ? 'reloaded' : 'started';
  }

  /** Graceful `nginx -s quit`, then SIGKILL after graceMs; stopping a stopped nginx is fine. */
  async stop(graceMs = 5000): Promise<void> {
    const pid = this.pid();
    if (pid === null) return;
    await this.runner(this.args('-s', 'quit'));
    const deadline = Date.now() + graceMs;
    while (isSameProcess(pid, null) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    // The daemonized master leads its own process group; SIGKILL it with its workers.
    if (isSameProcess(pid, null)) killGroup(pid, 'SIGKILL');
    fs.rmSync(this.layout.pidFile, { force: true });
  }

  /** `<module>` temp paths this nginx build knows (a module built without has no such directive). */
  async tempPathModules(): Promise<string[]> {
    const r = await this.runner([this.bin, '-V']);
    const built = `${r.stdout}${r.stderr}`;
    return ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].filter(
      (m) => m === 'client_body' || m === 'proxy' || !built.includes(`--without-http_${m}_module`),
    );
  }
}
