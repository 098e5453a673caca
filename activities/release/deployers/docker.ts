import { CommandRunner, describeFailure } from '../command';
import { DeployConflictError, DeployFailedError } from '../errors';
import { specHash, waitForHealth } from './health';
import { Deployer, DeployHandle, validInstance } from './types';

/** Where a container finds its config.yaml (the runbook's /etc/semantic-text-processor). */
const CONTAINER_CONFIG = '/etc/semantic-text-processor/config.yaml';

export interface DockerDeployerOptions {
  /** Runs `docker ...`; injected (tests record the argv, there is no engine here). */
  runner: CommandRunner;
  image?: string;
  /** Containers are named <namePrefix>-<instance>, as in the runbook. */
  namePrefix?: string;
  /** The port the service listens on inside the container. */
  containerPort?: number;
  /** Host address to publish on, e.g. 127.0.0.1; default: the runbook's `-p PORT:8080`. */
  publishHost?: string;
}

/**
 * The runbook's blue_green_deploy.sh as a deployer: `docker run -d --name … -p …`, `docker stop`,
 * `docker rm`, `docker rename`. Environment values go to the docker client's environment and
 * argv names only the keys (`-e KEY`), so that secrets do not show in `ps`.
 */
export function createDockerDeployer(opts: DockerDeployerOptions): Deployer {
  const image = opts.image ?? 'semantic-text-processor:latest';
  const prefix = opts.namePrefix ?? 'semantic-text-processor';
  const containerPort = opts.containerPort ?? 8080;
  const name = (instance: string) => `${prefix}-${validInstance(instance)}`;

  /** Running state and spec label of a container, or null when there is none. */
  async function inspect(container: string): Promise<{ running: boolean; hash: string } | null> {
    const r = await opts.runner(['docker', 'inspect', '-f', '{{.State.Running}} {{index .Config.Labels "stp.spec"}}', container]);
    if (r.code !== 0) return null;
    const [running, hash = ''] = r.stdout.trim().split(/\s+/);
    return { running: running === 'true', hash };
  }

  async function docker(argv: string[], env?: Record<string, string>): Promise<string> {
    const full = ['docker', ...argv];
    const r = await opts.runner(full, { env });
    if (r.code !== 0) throw new DeployFailedError(describeFailure(full, r));
    return r.stdout.trim();
  }

  const deployer: Deployer = {
    kind: 'docker',
    async deploy(spec) {
      const container = name(spec.instance);
      const hash = specHash(spec);
      const handle: DeployHandle = { kind: 'docker', instance: spec.instance, identity: spec.instance, version: spec.version, port: spec.port, specHash: hash, container };
      const found = await inspect(container);
      if (found?.running && found.hash === hash) return handle;
      if (found?.running) throw new DeployConflictError(`container ${container} already runs another spec; stop it first`);
      if (found) await docker(['rm', container]);
      const env: Record<string, string> = {
        ...spec.env, PORT: String(containerPort), STP_LISTEN_HOST: '0.0.0.0', STP_SERVICE_VERSION: spec.version, STP_INSTANCE: spec.instance,
        ...(spec.config ? { STP_CONFIG_FILE: CONTAINER_CONFIG } : {}),
      };
      const publish = opts.publishHost ? `${opts.publishHost}:${spec.port}:${containerPort}` : `${spec.port}:${containerPort}`;
      await docker([
        'run', '-d', '--name', container, '-p', publish,
        '--label', `stp.spec=${hash}`, '--label', `stp.instance=${spec.instance}`,
        ...(spec.config ? ['-v', `${spec.config.file}:${CONTAINER_CONFIG}:ro`] : []),
        ...Object.keys(env).sort().flatMap((k) => ['-e', k]),
        spec.image ?? image,
      ], env);
      return handle;
    },
    waitHealthy: (handle, wait) =>
      waitForHealth(handle, async () => (await inspect(handle.container ?? name(handle.instance)))?.running ?? false,
        () => `see: docker logs ${handle.container}`, wait),
    async isRunning(handle) {
      return (await inspect(handle.container ?? name(handle.instance)))?.running ?? false;
    },
    async stop(handle, { graceMs = 10_000 } = {}) {
      const container = handle.container ?? name(handle.instance);
      const found = await inspect(container);
      if (!found) return;
      if (found.running) await docker(['stop', '-t', String(Math.ceil(graceMs / 1000)), container]);
      await docker(['rm', container]);
    },
    async rename(handle, instance) {
      const container = name(instance);
      await docker(['rename', handle.container ?? name(handle.instance), container]);
      return { ...handle, instance, container };
    },
  };
  return deployer;
}
