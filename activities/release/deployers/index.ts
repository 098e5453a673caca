import { createDockerDeployer, DockerDeployerOptions } from './docker';
import { createProcessDeployer, ProcessDeployerOptions } from './process';
import type { Deployer } from './types';

export type DeployerConfig = ({ kind: 'process' } & ProcessDeployerOptions) | ({ kind: 'docker' } & DockerDeployerOptions);

/** The deployer a plan asks for. */
export function createDeployer(config: DeployerConfig): Deployer {
  return config.kind === 'process' ? createProcessDeployer(config) : createDockerDeployer(config);
}

export { createDockerDeployer, createProcessDeployer };
export type { DockerDeployerOptions, ProcessDeployerOptions };
export * from './types';
