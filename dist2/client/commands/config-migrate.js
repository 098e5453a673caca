"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.configMigrateCommand = void 0;
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const app_config_file_1 = require("../../common/app-config-file");
const app_config_migrate_1 = require("../../common/app-config-migrate");
const names_1 = require("../../common/names");
const command_1 = require("../command");
exports.configMigrateCommand = {
    name: 'config migrate',
    summary: "write the new version's config.yaml from the old one and say what changed",
    usage: 'stp-upgrade config migrate --from OLD --out NEW [--force]',
    help: [
        'Every setting of OLD keeps its value; the unified chunk features (features.use_unified_handlers,',
        'use_enhanced_search, enable_batch_operations) are turned on; missing settings get the runbook\'s',
        'values; keys the new version does not know are removed. Comments and order are kept. OLD is',
        'never changed (it is the previous configuration a rollback goes back to); NEW gets OLD\'s file',
        'mode and is written atomically. NEW must not exist unless --force. OLD and NEW may be',
        'directories (their config.yaml). The result is checked as `config check` does.',
        'Exit 0 when NEW was written, 2 on a bad OLD file or arguments (nothing written).',
        'Example: stp-upgrade config migrate --from /etc/semantic-text-processor --out /etc/semantic-text-processor.v2/config.yaml',
    ].join('\n'),
    options: { from: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' } },
    async run(args, ctx) {
        if (args.positionals.length > 0)
            throw new command_1.CliError(`unexpected argument "${args.positionals[0]}". Usage: ${this.usage}`);
        const from = (0, app_config_file_1.configFileOf)((0, command_1.requireOpt)(args, 'from', this.usage));
        const out = (0, app_config_file_1.configFileOf)((0, command_1.requireOpt)(args, 'out', this.usage));
        if (node_path_1.default.resolve(from) === node_path_1.default.resolve(out))
            throw new command_1.CliError(`--out must differ from --from (${from} is the previous configuration a rollback needs)`);
        let text;
        let mode;
        try {
            text = node_fs_1.default.readFileSync(from, 'utf8');
            mode = node_fs_1.default.statSync(from).mode & 0o7777;
        }
        catch (err) {
            throw new command_1.CliError(`--from: cannot read ${from}: ${err.message}`);
        }
        if (node_fs_1.default.existsSync(out) && !args.values.force)
            throw new command_1.CliError(`--out: ${out} exists; pass --force to replace it`);
        const result = (0, app_config_migrate_1.migrateAppConfig)(text);
        if (!result.ok)
            throw new command_1.CliError(`cannot migrate ${from}:\n  ${result.errors.join('\n  ')}`);
        const tmp = `${out}.tmp-${process.pid}`;
        try {
            node_fs_1.default.writeFileSync(tmp, result.text, { mode });
            node_fs_1.default.chmodSync(tmp, mode);
            node_fs_1.default.renameSync(tmp, out);
        }
        catch (err) {
            node_fs_1.default.rmSync(tmp, { force: true });
            throw new command_1.CliError(`--out: cannot write ${out}: ${err.message}`);
        }
        ctx.out(`Wrote ${out} from ${from}: ${result.changes.length === 0 ? 'no change needed' : `${result.changes.length} change(s)`}`);
        for (const c of result.changes)
            ctx.out(`  ${c}`);
        return names_1.ExitCodes.ok;
    },
};
//# sourceMappingURL=config-migrate.js.map