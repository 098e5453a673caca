import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { temporalCliPath } from '../helpers/temporal';
import { REPO_ROOT } from '../helpers/processes';
import { freePort } from '../release/support';
import { killGroup, sleep, waitUntil } from './util';
import { startDevSearchAttributeFlags } from '../../common/search-attributes';

/**
 * The fault suite's own servers, so it may kill and restart them without disturbing anyone:
 * a PostgreSQL instance (scripts/faults-pg.sh: own data directory and port in the shared Debian
 * root; it stays up between runs, like dev-up's) and a Temporal dev server persisted to its own
 * SQLite file (started per suite run, restartable with the same file so runs survive).
 */
export const CACHE = path.join(process.env.STP_CACHE ?? path.join(os.homedir(), '.cache', 'stp-upgrade'), 'faults');
export const PG_PORT = Number(process.env.STP_FAULTS_PG_PORT ?? 55442);
export const ADMIN_URL = `postgres://postgres@127.0.0.1:${PG_PORT}/postgres`;
const PG_SCRIPT = path.join(REPO_ROOT, 'scripts', 'faults-pg.sh');

export function dbUrl(database: string): string {
  return `postgres://postgres@127.0.0.1:${PG_PORT}/${database}`;
}

function pgScript(...args: string[]): void {
  const r = spawnSync('bash', [PG_SCRIPT, ...args], { encoding: 'utf8', env: { ...process.env, STP_FAULTS_PG_PORT: String(PG_PORT) } });
  if (r.status !== 0) throw new Error(`faults-pg.sh ${args.join(' ')} failed (${r.status}): ${r.stderr}${r.stdout}`);
}

export const postgres = {
  up: () => pgScript('up'),
  /** `pg_ctl restart -m fast|immediate`: every connection is cut, the server is back when this returns. */
  restart: (mode: 'fast' | 'immediate') => pgScript('restart', mode),
};

/** One Temporal dev server on fixed ports for the whole suite run, killable and restartable. */
export class TemporalServer {
  private pid: number | undefined;
  readonly dbFile: string;
  readonly log: string;

  private constructor(readonly port: number, private readonly uiPort: number) {
    this.dbFile = path.join(CACHE, `temporal-${port}.sqlite`);
    this.log = path.join(CACHE, `temporal-${port}.log`);
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** A fresh server (its SQLite file from a previous suite run is removed first). */
  static async start(): Promise<TemporalServer> {
    fs.mkdirSync(CACHE, { recursive: true });
    const s = new TemporalServer(await freePort(), await freePort());
    for (const f of fs.readdirSync(CACHE)) if (f.startsWith(`temporal-${s.port}.sqlite`)) fs.rmSync(path.join(CACHE, f), { force: true });
    await s.launch();
    return s;
  }

  async launch(): Promise<void> {
    const out = fs.openSync(this.log, 'a');
    // A guard shell leads the process group and holds a pipe from this process: when the suite dies
    // in any way (even SIGKILL), the pipe closes and the guard kills the server with its group.
    const guard = 'exec 3<&0; "$@" </dev/null & { read -r _ <&3; kill -KILL -- -$$; } & wait $!';
    const child = spawn(
      'bash',
      ['-c', guard, 'stp-faults-temporal', temporalCliPath(), 'server', 'start-dev', '--ip', '127.0.0.1', '--port', String(this.port),
        '--ui-port', String(this.uiPort), '--headless', '--db-filename', this.dbFile, '--log-level', 'warn', ...startDevSearchAttributeFlags()],
      { detached: true, stdio: ['pipe', out, out] },
    );
    child.stdin!.on('error', () => undefined);
    fs.closeSync(out);
    child.unref();
    this.pid = child.pid;
    await waitUntil(`the Temporal dev server on ${this.address} (log ${this.log})`, () => this.healthy(), 60_000, 250);
  }

  async healthy(): Promise<boolean> {
    try {
      const c = await Connection.connect({ address: this.address, connectTimeout: 1000 });
      try {
        await c.withDeadline(Date.now() + 1000, () => c.healthService.check({}));
        return true;
      } finally {
        await c.close();
      }
    } catch {
      return false;
    }
  }

  /** kill -9 of the server (and anything in its process group). */
  kill9(): void {
    if (this.pid) killGroup(this.pid, 'SIGKILL');
    this.pid = undefined;
  }

  async restart(downMs: number): Promise<void> {
    this.kill9();
    await sleep(downMs);
    await this.launch();
  }

  stop(): void {
    this.kill9();
  }
}
