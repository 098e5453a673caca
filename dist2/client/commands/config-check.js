"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.configCheckCommand = void 0;
const app_config_file_1 = require("../../common/app-config-file");
const names_1 = require("../../common/names");
const command_1 = require("../command");
exports.configCheckCommand = {
    name: 'config check',
    summary: "validate the STP application's config.yaml (the runbook's --config-check)",
    usage: 'stp-upgrade config check FILE|DIR [--json]',
    help: [
        'FILE is a config.yaml, or a directory holding one (/etc/semantic-text-processor). Sections:',
        'server, database, features, cache, performance, logging; durations like 500ms, 30s, 5m, 1h.',
        'Every problem is listed with its path, e.g.',
        '  config.server.read_timeout: expected a duration such as "500ms", "30s", "5m" or "1h" ..., got "30"',
        '--json prints the configuration with every default filled in.',
        'Exit 0 when the file is valid (warnings are printed), 2 when it is not.',
        'Example: stp-upgrade config check /etc/semantic-text-processor/config.yaml',
    ].join('\n'),
    options: { json: { type: 'boolean' } },
    async run(args, ctx) {
        const [target, ...extra] = args.positionals;
        if (!target || extra.length > 0)
            throw new command_1.CliError(`expected exactly one config file or directory. Usage: ${this.usage}`);
        const result = (0, app_config_file_1.checkAppConfigFile)(target);
        if (!result.ok) {
            throw new command_1.CliError(`invalid configuration ${result.file}:\n  ${result.errors.join('\n  ')}`, names_1.ExitCodes.badInput);
        }
        for (const w of result.warnings)
            ctx.err(`warning: ${w}`);
        ctx.out(args.values.json ? JSON.stringify(result.config, null, 2) : `${result.file}: valid`);
        return names_1.ExitCodes.ok;
    },
};
//# sourceMappingURL=config-check.js.map