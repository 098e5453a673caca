/**
 * Named permanent errors. Their `name` is listed in the activity retry policy's
 * nonRetryableErrorTypes, so Temporal fails fast instead of retrying what cannot succeed.
 */
export class BadInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadInputError';
  }
}

export class UnknownDatabaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnknownDatabaseError';
  }
}

export class DefectsFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DefectsFoundError';
  }
}

export class PreconditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreconditionError';
  }
}

export class VerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerificationError';
  }
}

/** The backup does not fit in plan.backup.dir: waiting does not free the disk, so it is not retried. */
export class InsufficientSpaceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InsufficientSpaceError';
  }
}

export const NON_RETRYABLE_ERRORS = [
  'BadInputError',
  'UnknownDatabaseError',
  'DefectsFoundError',
  'PreconditionError',
  'VerificationError',
  'InsufficientSpaceError',
  'InjectedFailure',
];

/** Retryable: the database may come back. */
export class DatabaseUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUnavailableError';
  }
}
