"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.EXIT_CODES_HELP = void 0;
exports.version = version;
exports.runCli = runCli;
exports.main = main;
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const node_util_1 = require("node:util");
const names_1 = require("../common/names");
const redact_1 = require("../common/redact");
const suggest_1 = require("../common/suggest");
const command_1 = require("./command");
const commands_1 = require("./commands");
const workflow_errors_1 = require("./workflow-errors");
exports.EXIT_CODES_HELP = 'Exit codes: 0 done (status: running or completed), 1 failed and rolled back (verify: problems found), 2 bad input (nothing was changed), ' +
    '3 rollback failed, 4 Temporal unreachable or no worker on the task queue.';
function usageLines(list) {
    return list.flatMap((c) => (c.usage.length > 68 ? [`  ${c.usage}`, `  ${''.padEnd(68)} ${c.summary}`] : [`  ${c.usage.padEnd(68)} ${c.summary}`]));
}
function usage() {
    return ['Usage: stp-upgrade <command> [options]', '', 'Commands:', ...usageLines(commands_1.commands), '', exports.EXIT_CODES_HELP,
        'Environment: TEMPORAL_ADDRESS (127.0.0.1:7233), TEMPORAL_NAMESPACE (default), STP_TASK_QUEUE (stp-upgrade).',
        'Run `stp-upgrade help <command>` (or `<command> --help`) for a command\'s options and examples; `stp-upgrade --version` for the version.'].join('\n');
}
/** The version of this build, from package.json (the one next to dist/). */
function version() {
    try {
        const pkg = JSON.parse(node_fs_1.default.readFileSync(node_path_1.default.resolve(__dirname, '..', '..', 'package.json'), 'utf8'));
        return `${pkg.name ?? 'stp-upgrade'} ${pkg.version ?? 'unknown'}`;
    }
    catch {
        return 'stp-upgrade (version unknown)';
    }
}
/** Longest match first, so "plan check" wins over the group "plan". */
function findCommand(argv) {
    for (const words of [2, 1]) {
        const name = argv.slice(0, words).join(' ');
        const command = commands_1.commands.find((c) => c.name === name);
        if (command)
            return { command, rest: argv.slice(words) };
    }
    return undefined;
}
/** The commands of a group ("plan" -> plan check, ...), or none when `word` names no group. */
function group(word) {
    return word ? commands_1.commands.filter((c) => c.name.startsWith(`${word} `)) : [];
}
function groupHelp(word, list) {
    return [`Usage: stp-upgrade ${word} <${list.map((c) => c.name.slice(word.length + 1)).join('|')}> [options]`, '', 'Commands:', ...usageLines(list), '',
        `Run \`stp-upgrade help ${list[0].name}\` for its options and examples.`].join('\n');
}
/** Every word a first argument may be: commands and groups. */
function commandWords() {
    return [...new Set(commands_1.commands.flatMap((c) => [c.name, c.name.split(' ')[0]]))];
}
async function runCli(argv, ctx) {
    const out = (text) => ctx.out((0, redact_1.redact)(text));
    const err = (text) => ctx.err((0, redact_1.redact)(text));
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
        out(usage());
        return argv.length === 0 ? names_1.ExitCodes.badInput : names_1.ExitCodes.ok;
    }
    if (argv[0] === '--version' || argv[0] === '-V' || argv[0] === 'version') {
        out(version());
        return names_1.ExitCodes.ok;
    }
    if (argv[0] === 'help') {
        const found = findCommand(argv.slice(1));
        const members = group(argv[1]);
        out(found ? commandHelp(found.command) : members.length ? groupHelp(argv[1], members) : usage());
        return names_1.ExitCodes.ok;
    }
    const found = findCommand(argv);
    if (!found) {
        const members = group(argv[0]);
        if (members.length) {
            const asked = argv[1] === undefined || argv[1] === '--help' || argv[1] === '-h';
            if (asked && argv[1] !== undefined)
                out(groupHelp(argv[0], members));
            else if (argv[1] === undefined)
                err(`"${argv[0]}" needs a command.\n\n${groupHelp(argv[0], members)}`);
            else
                err(`unknown command "${argv[0]} ${argv[1]}"${(0, suggest_1.didYouMean)(argv[1], members.map((c) => c.name.slice(argv[0].length + 1)), `${argv[0]} `)}.\n\n${groupHelp(argv[0], members)}`);
            return asked && argv[1] !== undefined ? names_1.ExitCodes.ok : names_1.ExitCodes.badInput;
        }
        err(`unknown command "${argv[0]}"${(0, suggest_1.didYouMean)(argv[0], commandWords())}. Run \`stp-upgrade --help\` for the list of commands.`);
        return names_1.ExitCodes.badInput;
    }
    const { command, rest } = found;
    if (rest.includes('--help') || rest.includes('-h')) {
        out(commandHelp(command));
        return names_1.ExitCodes.ok;
    }
    try {
        const parsed = (0, node_util_1.parseArgs)({ args: rest, options: command.options, allowPositionals: true, strict: true });
        return await command.run(parsed, { ...ctx, out, err });
    }
    catch (e) {
        const code = e.code;
        if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
            err(`stp-upgrade ${command.name}: ${parseArgsMessage(command, e)}. Usage: ${command.usage}`);
            return names_1.ExitCodes.badInput;
        }
        const cli = e instanceof command_1.CliError ? e : (0, workflow_errors_1.toCliError)(e);
        err(`stp-upgrade ${command.name}: ${cli.message}`);
        if (!(e instanceof command_1.CliError) && ctx.env.STP_DEBUG)
            err(e.stack ?? '');
        return cli.exitCode;
    }
}
/** Node's parseArgs wording replaced: the option, what is wrong, the closest known option. */
function parseArgsMessage(command, e) {
    const names = Object.keys(command.options).map((o) => `--${o}`);
    const unknown = /Unknown option '([^']+)'/.exec(e.message);
    if (unknown) {
        const known = names.length ? `; its options: ${names.join(', ')}, --help` : '; it takes no options but --help';
        return `unknown option ${unknown[1]}${(0, suggest_1.didYouMean)(unknown[1].replace(/^-+/, ''), Object.keys(command.options), '--')}${known}`;
    }
    const missing = /Option '(-[^ ]*, )?(--[^ ']+)[^']*' argument missing/.exec(e.message);
    if (missing)
        return `${missing[2]} needs a value`;
    const ambiguous = /Option '(--[^ ']+)' argument is ambiguous/.exec(e.message);
    if (ambiguous)
        return `${ambiguous[1]}: a value starting with "-" must be written as ${ambiguous[1]}=VALUE`;
    const noValue = /Option '(--[^ ']+)[^']*' does not take an argument/.exec(e.message);
    if (noValue)
        return `${noValue[1]} takes no value (it is a switch)`;
    return e.message;
}
function commandHelp(c) {
    const opts = Object.entries(c.options).map(([name, o]) => `--${name}${o.type === 'string' ? ' VALUE' : ''}`);
    return [`Usage: ${c.usage}`, '', c.summary, ...(c.help ? ['', c.help] : []), ...(opts.length ? ['', `Options: ${opts.join(', ')}, --help`] : []), '', exports.EXIT_CODES_HELP].join('\n');
}
/** The only place that touches process streams; bin/stp-upgrade.js calls process.exit. */
function main(argv) {
    // `stp-upgrade defects ... | head`: a closed pipe ends the command quietly, not with a stack trace.
    process.stdout.on('error', (err) => {
        if (err.code === 'EPIPE')
            process.exit(names_1.ExitCodes.ok);
    });
    return runCli(argv, {
        out: (line) => process.stdout.write(line + '\n'),
        err: (line) => process.stderr.write(line + '\n'),
        env: process.env,
    });
}
//# sourceMappingURL=cli.js.map