import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, ActivityFailure } from '@temporalio/common';
import { ExitCodes } from '../common/names';
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

/** Maps a failed workflow to a CLI error: bad input (2) when the worker refused the input, else failure (1). */
export function toCliError(err: unknown): CliError {
  const root = rootFailure(err);
  const code = root.type && BAD_INPUT_TYPES.has(root.type) ? ExitCodes.badInput : ExitCodes.failed;
  return new CliError(root.message, code);
}
