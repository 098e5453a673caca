"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.exportCommand = void 0;
exports.formatExport = formatExport;
const node_crypto_1 = require("node:crypto");
const node_path_1 = __importDefault(require("node:path"));
const export_1 = require("../../common/export");
const names_1 = require("../../common/names");
const validation_1 = require("../../common/validation");
const command_1 = require("../command");
const connection_1 = require("../connection");
const workflow_errors_1 = require("../workflow-errors");
exports.exportCommand = {
    name: 'export',
    summary: 'emergency export: every text, chunk and template as JSON lines, with SHA256SUMS and a manifest',
    usage: 'stp-upgrade export --database NAME --out DIR [--base-url URL] [--source auto|legacy|unified] [--json]',
    help: [
        'Runs the export workflow. The WORKER writes the files, into DIR on its own filesystem (a relative',
        'DIR is made absolute against this shell\'s directory): texts.jsonl, chunks.jsonl, templates.jsonl',
        '(one JSON object a line, mode 0600), manifest.json (counts) and SHA256SUMS (check: sha256sum -c SHA256SUMS).',
        'By default the rows are read from the database in one consistent snapshot, which works while the',
        'service is down; --base-url reads them through the service API instead (GET /texts, /chunks pages).',
        '--source: auto (unified tables once finalized, else legacy), legacy or unified.',
        'Example: stp-upgrade export --database primary --out /var/backups/stp-export-$(date +%F)',
    ].join('\n'),
    options: { database: { type: 'string' }, out: { type: 'string' }, 'base-url': { type: 'string' }, source: { type: 'string' }, json: { type: 'boolean' } },
    async run(args, ctx) {
        const raw = {
            database: (0, command_1.requireOpt)(args, 'database', this.usage),
            outDir: node_path_1.default.resolve((0, command_1.requireOpt)(args, 'out', this.usage)),
            ...((0, command_1.stringOpt)(args, 'base-url') ? { baseUrl: (0, command_1.stringOpt)(args, 'base-url') } : {}),
            ...((0, command_1.stringOpt)(args, 'source') ? { source: (0, command_1.stringOpt)(args, 'source') } : {}),
        };
        const input = export_1.ExportWorkflowInput.safeParse(raw);
        if (!input.success)
            throw new command_1.CliError((0, validation_1.formatIssues)('input', input.error, raw).join('\n'));
        const { client, settings, close } = await (0, connection_1.connectClient)(ctx.env);
        try {
            const result = (await client.workflow
                .execute(names_1.WorkflowTypes.export, {
                taskQueue: settings.taskQueue,
                workflowId: `stp-export-${input.data.database}-${(0, node_crypto_1.randomUUID)().slice(0, 8)}`,
                args: [input.data],
                workflowExecutionTimeout: '6 hours',
            })
                .catch((err) => {
                throw (0, workflow_errors_1.toCliError)(err);
            }));
            ctx.out(args.values.json ? JSON.stringify(result, null, 2) : formatExport(result));
            return names_1.ExitCodes.ok;
        }
        finally {
            await close();
        }
    },
};
function formatExport({ dir, manifest: m }) {
    return [
        `Exported database "${m.database}" (${m.source}) to ${dir}:`,
        ...m.files.map((f) => `  ${f.file.padEnd(16)} ${String(f.rows).padStart(10)} rows  ${f.bytes} bytes  sha256 ${f.sha256.slice(0, 16)}…`),
        `Check with: cd ${dir} && sha256sum -c SHA256SUMS`,
    ].join('\n');
}
//# sourceMappingURL=export.js.map