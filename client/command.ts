import type { ParseArgsConfig } from 'node:util';
import { ExitCodes } from '../common/names';

/** Output sinks and environment of one CLI invocation, injected so commands are testable. */
export interface CliContext {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/** One CLI command: a file in client/commands/, registered in client/commands/index.ts. */
export interface Command {
  name: string; // may contain a space for sub-commands: "plan check"
  summary: string;
  usage: string; // e.g. "stp-upgrade assess --database NAME [--json]"
  help?: string; // extra lines: examples, exit codes
  options: NonNullable<ParseArgsConfig['options']>;
  run(args: ParsedArgs, ctx: CliContext): Promise<number>;
}

/** A failure the operator can act on: the message says what is wrong and what to do next. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCodes.badInput,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function stringOpt(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function requireOpt(args: ParsedArgs, name: string, usage: string): string {
  const v = stringOpt(args, name);
  if (!v) throw new CliError(`missing --${name}. Usage: ${usage}`);
  return v;
}
