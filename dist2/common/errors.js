"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DatabaseUnavailableError = exports.NON_RETRYABLE_ERRORS = exports.InsufficientSpaceError = exports.VerificationError = exports.PreconditionError = exports.DefectsFoundError = exports.UnknownDatabaseError = exports.BadInputError = void 0;
/**
 * Named permanent errors. Their `name` is listed in the activity retry policy's
 * nonRetryableErrorTypes, so Temporal fails fast instead of retrying what cannot succeed.
 */
class BadInputError extends Error {
    constructor(message) {
        super(message);
        this.name = 'BadInputError';
    }
}
exports.BadInputError = BadInputError;
class UnknownDatabaseError extends Error {
    constructor(message) {
        super(message);
        this.name = 'UnknownDatabaseError';
    }
}
exports.UnknownDatabaseError = UnknownDatabaseError;
class DefectsFoundError extends Error {
    constructor(message) {
        super(message);
        this.name = 'DefectsFoundError';
    }
}
exports.DefectsFoundError = DefectsFoundError;
class PreconditionError extends Error {
    constructor(message) {
        super(message);
        this.name = 'PreconditionError';
    }
}
exports.PreconditionError = PreconditionError;
class VerificationError extends Error {
    constructor(message) {
        super(message);
        this.name = 'VerificationError';
    }
}
exports.VerificationError = VerificationError;
/** The backup does not fit in plan.backup.dir: waiting does not free the disk, so it is not retried. */
class InsufficientSpaceError extends Error {
    constructor(message) {
        super(message);
        this.name = 'InsufficientSpaceError';
    }
}
exports.InsufficientSpaceError = InsufficientSpaceError;
exports.NON_RETRYABLE_ERRORS = [
    'BadInputError',
    'UnknownDatabaseError',
    'DefectsFoundError',
    'PreconditionError',
    'VerificationError',
    'InsufficientSpaceError',
    'InjectedFailure',
];
/** Retryable: the database may come back. */
class DatabaseUnavailableError extends Error {
    constructor(message) {
        super(message);
        this.name = 'DatabaseUnavailableError';
    }
}
exports.DatabaseUnavailableError = DatabaseUnavailableError;
//# sourceMappingURL=errors.js.map