import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ExitCodes } from '../common/names';
import { redact } from '../common/redact';
import { didYouMean } from '../common/suggest';
import { CliError, type CliContext, type Command } from './command';
import { commands } from './commands';
import { toCliError } from './workflow-errors';

export const EXIT_CODES_HELP =
  'Exit codes: 0 done (status: running or completed), 1 failed and rolled back (verify: problems found), 2 bad input (nothing was changed), ' +
  '3 rollback failed, 4 Temporal unreachable or no worker on the task queue.';

function usageLines(list: Command[]): string[] {
  return list.flatMap((c) => (c.usage.length > 68 ? [`  ${c.usage}`, `  ${''.padEnd(68)} ${c.summary}`] : [`  ${c.usage.padEnd(68)} ${c.summary}`]));
}

function usage(): string {
  return ['Usage: stp-upgrade <command> [options]', '', 'Commands:', ...usageLines(commands), '', EXIT_CODES_HELP,
    'Environment: TEMPORAL_ADDRESS (127.0.0.1:7233), TEMPORAL_NAMESPACE (default), STP_TASK_QUEUE (stp-upgrade).',
    'Run `stp-upgrade help <command>` (or `<command> --help`) for a command\'s options and examples; `stp-upgrade --version` for the version.'].join('\n');
}

/** The version of this build, from package.json (the one next to dist/). */
export function version(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as { name?: string; version?: string };
    return `${pkg.name ?? 'stp-upgrade'} ${pkg.version ?? 'unknown'}`;
  } catch {
    return 'stp-upgrade (version unknown)';
  }
}

/** Longest match first, so "plan check" wins over the group "plan". */
function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    const command = commands.find((c) => c.name === name);
    if (command) return { command, rest: argv.slice(words) };
  }
  return undefined;
}

/** The commands of a group ("plan" -> plan check, ...), or none when `word` names no group. */
function group(word: string | undefined): Command[] {
  return word ? commands.filter((c) => c.name.startsWith(`${word} `)) : [];
}

function groupHelp(word: string, list: Command[]): string {
  return [`Usage: stp-upgrade ${word} <${list.map((c) => c.name.slice(word.length + 1)).join('|')}> [options]`, '', 'Commands:', ...usageLines(list), '',
    `Run \`stp-upgrade help ${list[0].name}\` for its options and examples.`].join('\n');
}

/** Every word a first argument may be: commands and groups. */
function commandWords(): string[] {
  return [...new Set(commands.flatMap((c) => [c.name, c.name.split(' ')[0]]))];
}

export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const out = (text: string) => ctx.out(redact(text));
  const err = (text: string) => ctx.err(redact(text));
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
    out(usage());
    return argv.length === 0 ? ExitCodes.badInput : ExitCodes.ok;
  }
  if (argv[0] === '--version' || argv[0] === '-V' || argv[0] === 'version') {
    out(version());
    return ExitCodes.ok;
  }
  if (argv[0] === 'help') {
    const found = findCommand(argv.slice(1));
    const members = group(argv[1]);
    out(found ? commandHelp(found.command) : members.length ? groupHelp(argv[1], members) : usage());
    return ExitCodes.ok;
  }
  const found = findCommand(argv);
  if (!found) {
    const members = group(argv[0]);
    if (members.length) {
      const asked = argv[1] === undefined || argv[1] === '--help' || argv[1] === '-h';
      if (asked && argv[1] !== undefined) out(groupHelp(argv[0], members));
      else if (argv[1] === undefined) err(`"${argv[0]}" needs a command.\n\n${groupHelp(argv[0], members)}`);
      else err(`unknown command "${argv[0]} ${argv[1]}"${didYouMean(argv[1], members.map((c) => c.name.slice(argv[0].length + 1)), `${argv[0]} `)}.\n\n${groupHelp(argv[0], members)}`);
      return asked && argv[1] !== undefined ? ExitCodes.ok : ExitCodes.badInput;
    }
    err(`unknown command "${argv[0]}"${didYouMean(argv[0], commandWords())}. Run \`stp-upgrade --help\` for the list of commands.`);
    return ExitCodes.badInput;
  }
  const { command, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) {
    out(commandHelp(command));
    return ExitCodes.ok;
  }
  try {
    const parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    return await command.run(parsed, { ...ctx, out, err });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      err(`stp-upgrade ${command.name}: ${parseArgsMessage(command, e as Error)}. Usage: ${command.usage}`);
      return ExitCodes.badInput;
    }
    const cli = e instanceof CliError ? e : toCliError(e);
    err(`stp-upgrade ${command.name}: ${cli.message}`);
    if (!(e instanceof CliError) && ctx.env.STP_DEBUG) err((e as Error).stack ?? '');
    return cli.exitCode;
  }
}

/** Node's parseArgs wording replaced: the option, what is wrong, the closest known option. */
function parseArgsMessage(command: Command, e: Error): string {
  const names = Object.keys(command.options).map((o) => `--${o}`);
  const unknown = /Unknown option '([^']+)'/.exec(e.message);
  if (unknown) {
    const known = names.length ? `; its options: ${names.join(', ')}, --help` : '; it takes no options but --help';
    return `unknown option ${unknown[1]}${didYouMean(unknown[1].replace(/^-+/, ''), Object.keys(command.options), '--')}${known}`;
  }
  const missing = /Option '(-[^ ]*, )?(--[^ ']+)[^']*' argument missing/.exec(e.message);
  if (missing) return `${missing[2]} needs a value`;
  const ambiguous = /Option '(--[^ ']+)' argument is ambiguous/.exec(e.message);
  if (ambiguous) return `${ambiguous[1]}: a value starting with "-" must be written as ${ambiguous[1]}=VALUE`;
  const noValue = /Option '(--[^ ']+)[^']*' does not take an argument/.exec(e.message);
  if (noValue) return `${noValue[1]} takes no value (it is a switch)`;
  return e.message;
}

function commandHelp(c: Command): string {
  const opts = Object.entries(c.options).map(([name, o]) => `--${name}${o.type === 'string' ? ' VALUE' : ''}`);
  return [`Usage: ${c.usage}`, '', c.summary, ...(c.help ? ['', c.help] : []), ...(opts.length ? ['', `Options: ${opts.join(', ')}, --help`] : []), '', EXIT_CODES_HELP].join('\n');
}

/** The only place that touches process streams; bin/stp-upgrade.js calls process.exit. */
export function main(argv: string[]): Promise<number> {
  // `stp-upgrade defects ... | head`: a closed pipe ends the command quietly, not with a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(ExitCodes.ok);
  });
  return runCli(argv, {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    env: process.env,
  });
}
