/**
 * Errors of the release steps added by this family. SmokeTestError is permanent: green answered,
 * but wrongly; list it in nonRetryableErrorTypes (NON_RETRYABLE_RELEASE_STEP_ERRORS).
 */
export class SmokeTestError extends Error {
  constructor(
    message: string,
    readonly check: string,
  ) {
    super(message);
    this.name = 'SmokeTestError';
  }
}

/** finalize found the load balancer serving another schema version than the one to record. */
export class FinalizeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FinalizeError';
  }
}

export const NON_RETRYABLE_RELEASE_STEP_ERRORS = ['SmokeTestError'];
