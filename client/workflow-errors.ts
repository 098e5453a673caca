import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, ActivityFailure } from '@temporalio/common';
import { ExitCodes } from '../common/names';
import { redact } from '../common/redact';
import { CliError } from './command';

const BAD_INPUT_TYPES = new Set(['BadInputError', 'UnknownDatabaseError', 'PreconditionError', 'DefectsFoundError']);

/** The innermost application failure of a failed workflow: its type and message. */
export function rootFailure(err: unknown): { type?: string; message: string } {
  let cause: unknown = err;
  let found: { type?: string; message: string } | undefined;
  while (cause) {
    if (cause instanceof ApplicationFailure) found = { type: cause.type ?? undefined, message: cause.message };
    if (!(cause instanceof WorkflowFailedError || cause instanceof ActivityFailure || cause instanceof ApplicationFailure)) break;
    cause = (cause as { cause?: unknown }).cause;
  }
  return found ?? { message: (err as Error).message ?? String(err) };
}

/** gRPC codes meaning the Temporal server could not be reached or did not answer in time. */
const UNREACHABLE_CODES = new Set([4, 14]); // DEADLINE_EXCEEDED, UNAVAILABLE

/**
 * Maps any error a command meets to a CLI error: bad input (2) when the worker refused the input,
 * 4 when the Temporal server went away (connection lost, no answer), else failure (1). One line,
 * passwords redacted; the stack only with STP_DEBUG=1 (client/cli.ts).
 */
export function toCliError(err: unknown): CliError {
  if (err instanceof CliError) return err;
  const grpc = (err as { code?: unknown; cause?: { code?: unknown } }) ?? {};
  const code = typeof grpc.code === 'number' ? grpc.code : typeof grpc.cause?.code === 'number' ? grpc.cause.code : undefined;
  if (code !== undefined && UNREACHABLE_CODES.has(code) && !(err instanceof WorkflowFailedError)) {
    return new CliError(
      `lost the Temporal server (${redact((err as Error).message)}): check that it runs (\`npm run dev:up\` on a dev machine) and TEMPORAL_ADDRESS, then run the command again`,
      ExitCodes.unreachable,
    );
  }
  const root = rootFailure(err);
  const exit = root.type && BAD_INPUT_TYPES.has(root.type) ? ExitCodes.badInput : ExitCodes.failed;
  return new CliError(redact(root.message), exit);
}
