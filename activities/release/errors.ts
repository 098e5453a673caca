/**
 * Named errors of the release steps. Permanent ones (a conflicting deployment, a bad nginx config)
 * should be listed in nonRetryableErrorTypes; the others are worth a retry.
 */
function named(name: string) {
  return class extends Error {
    constructor(message: string) {
      super(message);
      this.name = name;
    }
  };
}

/** An instance of that name already runs with a different spec, or its port is taken. */
export class DeployConflictError extends named('DeployConflictError') {}
/** The deployed process or container exited before it became healthy. */
export class DeployFailedError extends named('DeployFailedError') {}
/** The instance did not report healthy within the deadline. */
export class HealthTimeoutError extends named('HealthTimeoutError') {}
/** `nginx -t` rejected the configuration; the previous upstream file has been restored. */
export class NginxConfigError extends named('NginxConfigError') {}
/** nginx could not be started, reloaded or stopped. */
export class NginxCommandError extends named('NginxCommandError') {}
/** The operator's switch script exited non-zero. */
export class SwitchCommandError extends named('SwitchCommandError') {}
/** Traffic never came from the target: the reload "worked" but the target is not serving. */
export class SwitchNotProvenError extends named('SwitchNotProvenError') {}

export const NON_RETRYABLE_RELEASE_ERRORS = ['DeployConflictError', 'NginxConfigError', 'SwitchNotProvenError'];
