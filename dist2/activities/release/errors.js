"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.NON_RETRYABLE_RELEASE_ERRORS = exports.SwitchNotProvenError = exports.SwitchCommandError = exports.NginxCommandError = exports.NginxConfigError = exports.HealthTimeoutError = exports.DeployFailedError = exports.DeployConflictError = void 0;
/**
 * Named errors of the release steps. Permanent ones (a conflicting deployment, a bad nginx config)
 * should be listed in nonRetryableErrorTypes; the others are worth a retry.
 */
function named(name) {
    return class extends Error {
        constructor(message) {
            super(message);
            this.name = name;
        }
    };
}
/** An instance of that name already runs with a different spec, or its port is taken. */
class DeployConflictError extends named('DeployConflictError') {
}
exports.DeployConflictError = DeployConflictError;
/** The deployed process or container exited before it became healthy. */
class DeployFailedError extends named('DeployFailedError') {
}
exports.DeployFailedError = DeployFailedError;
/** The instance did not report healthy within the deadline. */
class HealthTimeoutError extends named('HealthTimeoutError') {
}
exports.HealthTimeoutError = HealthTimeoutError;
/** `nginx -t` rejected the configuration; the previous upstream file has been restored. */
class NginxConfigError extends named('NginxConfigError') {
}
exports.NginxConfigError = NginxConfigError;
/** nginx could not be started, reloaded or stopped. */
class NginxCommandError extends named('NginxCommandError') {
}
exports.NginxCommandError = NginxCommandError;
/** The operator's switch script exited non-zero. */
class SwitchCommandError extends named('SwitchCommandError') {
}
exports.SwitchCommandError = SwitchCommandError;
/** Traffic never came from the target: the reload "worked" but the target is not serving. */
class SwitchNotProvenError extends named('SwitchNotProvenError') {
}
exports.SwitchNotProvenError = SwitchNotProvenError;
exports.NON_RETRYABLE_RELEASE_ERRORS = ['DeployConflictError', 'NginxConfigError', 'SwitchNotProvenError'];
//# sourceMappingURL=errors.js.map