import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { DeployConflictError } from '../errors';
import { specHash, waitForHealth } from './health';
import { isSameProcess, killGroup, processStart, tail, waitExit } from '../proc';
import { Deployer, DeployHandle, DeploySpec, validInstance } from './types';

/** Recorded next to the pid file; it holds the spec's hash, never its environment. */
interface ProcessState {
  pid: number;
  start: string | null;
  specHash: string;
  identity: string;
  version: string;
  port: number;
  startedAt: string;
}

export interface ProcessDeployerOptions {
  /** Holds <instance>.pid, <instance>.json and <instance>.log. */
  stateDir: string;
  /** Variables of this process passed on to instances besides the spec's env. */
  inheritEnv?: string[];
}

const DEFAULT_COMMAND = [process.execPath, path.resolve(__dirname, '..', '..', '..', 'service', 'main.js')];

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => s.end(() => resolve(true)));
    s.on('error', () => resolve(false));
  });
}

/** Runs instances as local processes, each in its own process group (what the tests use). */
export function createProcessDeployer(opts: ProcessDeployerOptions): Deployer {
  const inherit = opts.inheritEnv ?? ['PATH', 'HOME', 'LANG', 'TZ', 'NODE_OPTIONS'];
  const file = (instance: string, ext: string) => path.join(opts.stateDir, `${validInstance(instance)}.${ext}`);
  const read = (instance: string): ProcessState | null => {
    try {
      return JSON.parse(fs.readFileSync(file(instance, 'json'), 'utf8')) as ProcessState;
    } catch {
      return null;
    }
  };
  const handleOf = (instance: string, s: ProcessState): DeployHandle => ({
    kind: 'process', instance, identity: s.identity, version: s.version, port: s.port, specHash: s.specHash, pid: s.pid, logFile: file(instance, 'log'),
  });
  const running = (h: DeployHandle) => {
    const s = read(h.instance);
    return s !== null && s.pid === h.pid && isSameProcess(s.pid, s.start);
  };

  const deployer: Deployer = {
    kind: 'process',
    async deploy(spec) {
      fs.mkdirSync(opts.stateDir, { recursive: true });
      const hash = specHash(spec);
      const prev = read(spec.instance);
      if (prev && isSameProcess(prev.pid, prev.start)) {
        if (prev.specHash !== hash) {
          throw new DeployConflictError(`${spec.instance} already runs (pid ${prev.pid}, port ${prev.port}) with another spec; stop it first`);
        }
        const handle = handleOf(spec.instance, prev);
        await deployer.waitHealthy(handle, { timeoutMs: 5000 });
        return handle;
      }
      if (await portAnswers(spec.port)) throw new DeployConflictError(`port ${spec.port} is already in use; pick another port for ${spec.instance}`);
      const env: Record<string, string> = {};
      for (const k of inherit) if (process.env[k] !== undefined) env[k] = process.env[k] as string;
      Object.assign(env, spec.env, { PORT: String(spec.port), STP_SERVICE_VERSION: spec.version, STP_INSTANCE: spec.instance });
      if (spec.config) env.STP_CONFIG_FILE = spec.config.file;
      const log = fs.openSync(file(spec.instance, 'log'), 'a');
      const [cmd, ...args] = spec.command ?? DEFAULT_COMMAND;
      const child = spawn(cmd, args, { detached: true, env, stdio: ['ignore', log, log] });
      fs.closeSync(log);
      const pid = await new Promise<number>((resolve, reject) => {
        child.once('spawn', () => resolve(child.pid as number));
        child.once('error', reject);
      });
      child.unref();
      const state: ProcessState = { pid, start: processStart(pid), specHash: hash, identity: spec.instance, version: spec.version, port: spec.port, startedAt: new Date().toISOString() };
      fs.writeFileSync(file(spec.instance, 'pid'), `${pid}\n`);
      fs.writeFileSync(file(spec.instance, 'json'), JSON.stringify(state, null, 2));
      return handleOf(spec.instance, state);
    },
    waitHealthy: (handle, wait) =>
      waitForHealth(handle, async () => running(handle), () => `log ${handle.logFile}:\n${tail(file(handle.instance, 'log'))}`, wait),
    async isRunning(handle) {
      return running(handle);
    },
    async stop(handle, { graceMs = 10_000 } = {}) {
      const s = read(handle.instance);
      if (s && s.pid === handle.pid && isSameProcess(s.pid, s.start)) {
        killGroup(s.pid, 'SIGTERM');
        if (!(await waitExit(s.pid, s.start, graceMs))) {
          killGroup(s.pid, 'SIGKILL');
          await waitExit(s.pid, s.start, 5000);
        }
      }
      if (!s || s.pid === handle.pid) {
        for (const ext of ['pid', 'json']) fs.rmSync(file(handle.instance, ext), { force: true });
      }
    },
    async rename(handle, instance) {
      const s = read(handle.instance);
      if (!s || s.pid !== handle.pid) throw new DeployConflictError(`${handle.instance} (pid ${handle.pid}) is not deployed here`);
      const taken = read(instance);
      if (taken && isSameProcess(taken.pid, taken.start)) {
        throw new DeployConflictError(`${instance} is running; stop it before renaming ${handle.instance}`);
      }
      for (const ext of ['pid', 'json', 'log']) {
        if (fs.existsSync(file(handle.instance, ext))) fs.renameSync(file(handle.instance, ext), file(instance, ext));
      }
      return handleOf(instance, s);
    },
  };
  return deployer;
}
