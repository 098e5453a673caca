import { CommandSwitchOptions, createCommandSwitch } from './command';
import { createNginxSwitch, NginxSwitchOptions } from './nginx';
import type { TrafficSwitch } from './types';

export type SwitchConfig = ({ kind: 'nginx' } & NginxSwitchOptions) | ({ kind: 'command' } & CommandSwitchOptions);

/** The traffic switch a plan asks for. */
export function createTrafficSwitch(config: SwitchConfig): TrafficSwitch {
  return config.kind === 'nginx' ? createNginxSwitch(config) : createCommandSwitch(config);
}

export { createCommandSwitch, createNginxSwitch };
export type { CommandSwitchOptions, NginxSwitchOptions };
export { nginxLayout, readUpstreamTarget, renderUpstream } from './nginx-files';
export type { NginxLayout } from './nginx-files';
export { NginxControl, nginxBinary } from './nginx-control';
export { startNginx } from './nginx-instance';
export type { NginxInstance, NginxInstanceOptions } from './nginx-instance';
export { proveServing } from './prove';
export * from './types';
