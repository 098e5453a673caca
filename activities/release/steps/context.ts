import fs from 'node:fs';
import path from 'node:path';
import type { Plan } from '../../../common/plan';
import { releasePlanOf, type ReleasePlan, type Side } from '../../../common/release';
import type { Pools } from '../../db';
import { type CommandRunner, execRunner } from '../command';
import { instanceConfig } from '../config';
import { createDeployer, type Deployer, type DeployHandle, type DeploySpec } from '../deployers';
import { createTrafficSwitch, nginxLayout, type SwitchTarget, type TrafficSwitch } from '../switch';

/** What the worker gives the release activities. */
export interface ReleaseDeps {
  pools: Pools;
  /** Database name -> URL, from the worker's own environment (EnvPools.url). */
  resolveUrl: (database: string) => string;
  /** Where relative or absent state directories of a plan live, e.g. ~/.cache/stp-upgrade. */
  stateRoot: string;
  /** Source of the variables named by plan.release.deployer.env (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Runs docker and switch scripts (default: the real one). */
  runner?: CommandRunner;
  nginxBin?: string;
}

/** One activity's view of the plan: deployer, switch, specs and targets, all derived the same way. */
export interface ReleaseContext {
  plan: Plan;
  release: ReleasePlan;
  deployer: Deployer;
  deployDir: string;
  nginxDir: string;
  lbUrl: string;
  spec(side: Side): DeploySpec;
  target(side: Side): SwitchTarget;
  /** The deployment of that side as the deployer recorded it, or null when none is known. */
  findHandle(side: Side): DeployHandle | null;
  trafficSwitch(): TrafficSwitch;
}

// The service's table names are env-overridable; only names that differ from its defaults are set.
const SERVICE_TABLES: Array<[string, (p: Plan) => string, string]> = [
  ['TEXTS', (p) => p.legacy.texts, 'texts'],
  ['CHUNKS_LEGACY', (p) => p.legacy.chunks, 'chunks_legacy'],
  ['TEMPLATES_LEGACY', (p) => p.legacy.templates, 'templates_legacy'],
  ['TEMPLATE_SLOTS_LEGACY', (p) => p.legacy.slots, 'template_slots_legacy'],
  ['TEMPLATE_SLOT_INSTANCES_LEGACY', (p) => p.legacy.instances, 'template_slot_instances_legacy'],
  ['CHUNK_TAGS_LEGACY', (p) => p.legacy.tags, 'chunk_tags_legacy'],
  ['EMBEDDINGS_LEGACY', (p) => p.legacy.embeddings, 'embeddings_legacy'],
  ['CHUNKS_UNIFIED', (p) => p.target.chunks, 'chunks_unified'],
  ['EMBEDDINGS_V2', (p) => p.target.embeddings, 'embeddings_v2'],
];

export function releaseContext(deps: ReleaseDeps, plan: Plan): ReleaseContext {
  const release = releasePlanOf(plan);
  const dir = (configured: string | undefined, fallback: string) =>
    configured && path.isAbsolute(configured) ? configured : path.join(deps.stateRoot, configured ?? path.join(plan.database, fallback));
  const deployDir = dir(release.deployer.stateDir, 'deploy');
  const nginxDir = dir(release.traffic.nginx.stateDir, 'nginx');
  const runner = deps.runner ?? execRunner;
  const deployer = release.deployer.kind === 'process'
    ? createDeployer({ kind: 'process', stateDir: deployDir })
    : createDeployer({ kind: 'docker', runner });
  const lbUrl = release.traffic.lbUrl ?? `http://127.0.0.1:${release.traffic.nginx.listenPort}`;

  const env = (): Record<string, string> => {
    let url = deps.resolveUrl(plan.database);
    if (plan.schema !== 'public') {
      const u = new URL(url);
      u.searchParams.set('options', `-c search_path=${plan.schema},public`);
      url = u.toString();
    }
    const out: Record<string, string> = { DATABASE_URL: url };
    for (const [key, of, def] of SERVICE_TABLES) if (of(plan) !== def) out[`STP_TABLE_${key}`] = of(plan);
    const source = deps.env ?? process.env;
    for (const name of release.deployer.env) if (source[name] !== undefined) out[name] = source[name] as string;
    return out;
  };

  return {
    plan, release, deployer, deployDir, nginxDir, lbUrl,
    spec(side) {
      const s = release.deployer[side];
      const config = instanceConfig(release, side);
      return { instance: s.instance, version: s.version, port: s.port, env: env(),
        ...(s.command ? { command: s.command } : {}), ...(s.image ? { image: s.image } : {}), ...(config ? { config } : {}) };
    },
    target(side) {
      const s = release.deployer[side];
      return { instance: s.instance, port: s.port, version: s.version };
    },
    findHandle(side) {
      const s = release.deployer[side];
      if (release.deployer.kind === 'docker') {
        return { kind: 'docker', instance: s.instance, identity: s.instance, version: s.version, port: s.port, specHash: '',
          container: `semantic-text-processor-${s.instance}` };
      }
      try {
        const st = JSON.parse(fs.readFileSync(path.join(deployDir, `${s.instance}.json`), 'utf8')) as
          { pid: number; specHash: string; identity: string; version: string; port: number };
        return { kind: 'process', instance: s.instance, identity: st.identity, version: st.version, port: st.port,
          specHash: st.specHash, pid: st.pid, logFile: path.join(deployDir, `${s.instance}.log`) };
      } catch {
        return null;
      }
    },
    trafficSwitch() {
      return release.traffic.kind === 'nginx'
        ? createTrafficSwitch({ kind: 'nginx', layout: nginxLayout(nginxDir), lbUrl, nginxBin: deps.nginxBin, runner: deps.runner })
        : createTrafficSwitch({ kind: 'command', command: release.traffic.command?.argv ?? [], lbUrl, runner });
    },
  };
}

export { heartbeat, cancellationSignal as cancelled } from '../../heartbeat';
