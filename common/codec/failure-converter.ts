import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failure messages and stack traces moved into an encoded payload, so the payload codec encrypts
 * them too (a failure can quote a legacy id). Loaded by path in the workflow sandbox
 * (`failureConverterPath`), hence its own module.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
