"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createDockerDeployer = createDockerDeployer;
const command_1 = require("../command");
const errors_1 = require("../errors");
const health_1 = require("./health");
const types_1 = require("./types");
/** Where a container finds its config.yaml (the runbook's /etc/semantic-text-processor). */
const CONTAINER_CONFIG = '/etc/semantic-text-processor/config.yaml';
/**
 * The runbook's blue_green_deploy.sh as a deployer: `docker run -d --name … -p …`, `docker stop`,
 * `docker rm`, `docker rename`. Environment values go to the docker client's environment and
 * argv names only the keys (`-e KEY`), so that secrets do not show in `ps`.
 */
function createDockerDeployer(opts) {
    const image = opts.image ?? 'semantic-text-processor:latest';
    const prefix = opts.namePrefix ?? 'semantic-text-processor';
    const containerPort = opts.containerPort ?? 8080;
    const name = (instance) => `${prefix}-${(0, types_1.validInstance)(instance)}`;
    /** Running state and spec label of a container, or null when there is none. */
    async function inspect(container) {
        const r = await opts.runner(['docker', 'inspect', '-f', '{{.State.Running}} {{index .Config.Labels "stp.spec"}}', container]);
        if (r.code !== 0)
            return null;
        const [running, hash = ''] = r.stdout.trim().split(/\s+/);
        return { running: running === 'true', hash };
    }
    async function docker(argv, env) {
        const full = ['docker', ...argv];
        const r = await opts.runner(full, { env });
        if (r.code !== 0)
            throw new errors_1.DeployFailedError((0, command_1.describeFailure)(full, r));
        return r.stdout.trim();
    }
    const deployer = {
        kind: 'docker',
        async deploy(spec) {
            const container = name(spec.instance);
            const hash = (0, health_1.specHash)(spec);
            const handle = { kind: 'docker', instance: spec.instance, identity: spec.instance, version: spec.version, port: spec.port, specHash: hash, container };
            const found = await inspect(container);
            if (found?.running && found.hash === hash)
                return handle;
            if (found?.running)
                throw new errors_1.DeployConflictError(`container ${container} already runs another spec; stop it first`);
            if (found)
                await docker(['rm', container]);
            const env = {
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
        waitHealthy: (handle, wait) => (0, health_1.waitForHealth)(handle, async () => (await inspect(handle.container ?? name(handle.instance)))?.running ?? false, () => `see: docker logs ${handle.container}`, wait),
        async isRunning(handle) {
            return (await inspect(handle.container ?? name(handle.instance)))?.running ?? false;
        },
        async stop(handle, { graceMs = 10_000 } = {}) {
            const container = handle.container ?? name(handle.instance);
            const found = await inspect(container);
            if (!found)
                return;
            if (found.running)
                await docker(['stop', '-t', String(Math.ceil(graceMs / 1000)), container]);
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
//# sourceMappingURL=docker.js.map