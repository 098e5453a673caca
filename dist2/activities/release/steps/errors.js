"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.NON_RETRYABLE_RELEASE_STEP_ERRORS = exports.FinalizeError = exports.SmokeTestError = void 0;
/**
 * Errors of the release steps added by this family. SmokeTestError is permanent: green answered,
 * but wrongly; list it in nonRetryableErrorTypes (NON_RETRYABLE_RELEASE_STEP_ERRORS).
 */
class SmokeTestError extends Error {
    check;
    constructor(message, check) {
        super(message);
        this.check = check;
        this.name = 'SmokeTestError';
    }
}
exports.SmokeTestError = SmokeTestError;
/** finalize found the load balancer serving another schema version than the one to record. */
class FinalizeError extends Error {
    constructor(message) {
        super(message);
        this.name = 'FinalizeError';
    }
}
exports.FinalizeError = FinalizeError;
exports.NON_RETRYABLE_RELEASE_STEP_ERRORS = ['SmokeTestError'];
//# sourceMappingURL=errors.js.map