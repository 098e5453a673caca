import { parseArgs } from 'node:util';
import { ExitCodes } from '../common/names';
import { CliError, type CliContext, type Command } from './command';
import { commands } from './commands';

const EXIT_CODES_HELP = 'Exit codes: 0 done, 1 failed (and rolled back), 2 bad input, 3 rollback failed.';

function usage(): string {
  const lines = commands.map((c) => `  ${c.usage.padEnd(70)} ${c.summary}`);
  return ['Usage: stp-upgrade <command> [options]', '', 'Commands:', ...lines, '', EXIT_CODES_HELP,
    'Environment: TEMPORAL_ADDRESS (127.0.0.1:7233), TEMPORAL_NAMESPACE (default), STP_TASK_QUEUE (stp-upgrade).',
    'Run `stp-upgrade help <command>` for a command\'s options and examples.'].join('\n');
}

/** Longest match first, so "plan check" wins over a hypothetical "plan". */
function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    const command = commands.find((c) => c.name === name);
    if (command) return { command, rest: argv.slice(words) };
  }
  return undefined;
}

export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
    ctx.out(usage());
    return argv.length === 0 ? ExitCodes.badInput : ExitCodes.ok;
  }
  if (argv[0] === 'help') {
    const found = findCommand(argv.slice(1));
    ctx.out(found ? commandHelp(found.command) : usage());
    return ExitCodes.ok;
  }
  const found = findCommand(argv);
  if (!found) {
    ctx.err(`unknown command "${argv[0]}".\n\n${usage()}`);
    return ExitCodes.badInput;
  }
  const { command, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) {
    ctx.out(commandHelp(command));
    return ExitCodes.ok;
  }
  try {
    const parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    return await command.run(parsed, ctx);
  } catch (err) {
    if (err instanceof CliError) {
      ctx.err(`stp-upgrade ${command.name}: ${err.message}`);
      return err.exitCode;
    }
    const code = (err as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      ctx.err(`stp-upgrade ${command.name}: ${(err as Error).message}. Usage: ${command.usage}`);
      return ExitCodes.badInput;
    }
    ctx.err(`stp-upgrade ${command.name}: ${(err as Error).stack ?? String(err)}`);
    return ExitCodes.failed;
  }
}

function commandHelp(c: Command): string {
  return [`Usage: ${c.usage}`, '', c.summary, ...(c.help ? ['', c.help] : []), '', EXIT_CODES_HELP].join('\n');
}

/** The only place that touches process streams; bin/stp-upgrade.js calls process.exit. */
export function main(argv: string[]): Promise<number> {
  return runCli(argv, {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    env: process.env,
  });
}
