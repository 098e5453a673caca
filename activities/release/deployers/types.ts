/** What to run: one STP instance (blue, green, ...) of a service version on a host port. */
export interface DeploySpec {
  /** Instance name, also the service's X-STP-Instance header: [a-z0-9-]. */
  instance: string;
  /** STP_SERVICE_VERSION of the service ("1" legacy tables, "2" unified). */
  version: string;
  /** Host port the instance answers on (loopback). */
  port: number;
  /** Extra environment, e.g. DATABASE_URL; kept out of argv and out of state files. */
  env?: Record<string, string>;
  /** process kind: argv to run; default: this build's dist/service/main.js under the current node. */
  command?: string[];
  /** docker kind: image; default the deployer's image. */
  image?: string;
  /**
   * The instance's config.yaml on this host and its sha256 (so the same path with other contents is
   * another spec): STP_CONFIG_FILE for a process, mounted read-only for a container.
   */
  config?: { file: string; sha256: string };
}

/** A running deployment, as returned by deploy() and accepted by the other methods. */
export interface DeployHandle {
  kind: 'process' | 'docker';
  instance: string;
  version: string;
  port: number;
  /** sha256 of the spec (env included); the same spec deployed twice gives the same hash. */
  specHash: string;
  /** The name the instance reports in X-STP-Instance: its instance name at deploy, kept by rename(). */
  identity: string;
  pid?: number;
  logFile?: string;
  container?: string;
}

export interface HealthReport {
  status: string;
  version?: string;
  instance?: string;
  schemaVersion?: number;
  elapsedMs: number;
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Starts and stops STP instances. Every method is idempotent: deploying what already runs healthy
 * with the same spec returns it, stopping what is stopped does nothing.
 */
export interface Deployer {
  readonly kind: 'process' | 'docker';
  deploy(spec: DeploySpec): Promise<DeployHandle>;
  waitHealthy(handle: DeployHandle, opts?: WaitOptions): Promise<HealthReport>;
  stop(handle: DeployHandle, opts?: { graceMs?: number }): Promise<void>;
  isRunning(handle: DeployHandle): Promise<boolean>;
  /** Gives a running instance a new name (the runbook's `docker rename green blue`). */
  rename(handle: DeployHandle, instance: string): Promise<DeployHandle>;
}

const INSTANCE = /^[a-z0-9][a-z0-9-]{0,40}$/;
export function validInstance(name: string): string {
  if (!INSTANCE.test(name)) throw new RangeError(`instance: expected [a-z0-9-] (1-41 chars), got ${JSON.stringify(name)}`);
  return name;
}
