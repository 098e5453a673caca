"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.assessCommand = void 0;
exports.formatAssessment = formatAssessment;
const node_crypto_1 = require("node:crypto");
const inputs_1 = require("../../common/inputs");
const names_1 = require("../../common/names");
const assess_1 = require("../../activities/assess");
const checklist_1 = require("../../common/checklist");
const command_1 = require("../command");
const plan_file_1 = require("../plan-file");
const connection_1 = require("../connection");
const workflow_errors_1 = require("../workflow-errors");
exports.assessCommand = {
    name: 'assess',
    summary: 'read a database: version, extensions, legacy row counts, size and free-space need',
    usage: 'stp-upgrade assess --database NAME [--blue-url URL] [--plan FILE] [--json]',
    help: [
        'Runs the assessment workflow; the worker resolves NAME from STP_DATABASE_URL (primary) or',
        'STP_DATABASE_URL_<NAME>. Read-only. --blue-url: the running service, for its memory now and the',
        'recommended memory during the migration (2x). --plan: the runbook\'s migration checklist, ticked',
        'from what the plan sets up (backup, rollback, alerts, approval gate).',
        'Example: stp-upgrade assess --database primary --json',
    ].join('\n'),
    options: { database: { type: 'string' }, json: { type: 'boolean' }, 'blue-url': { type: 'string' }, plan: { type: 'string' } },
    async run(args, ctx) {
        const blueUrl = (0, command_1.stringOpt)(args, 'blue-url');
        const input = inputs_1.AssessWorkflowInput.safeParse({ database: (0, command_1.requireOpt)(args, 'database', this.usage), ...(blueUrl ? { blueUrl } : {}) });
        if (!input.success)
            throw new command_1.CliError(`--${input.error.issues[0].path[0] === 'blueUrl' ? 'blue-url' : 'database'}: ${input.error.issues[0].message}`);
        const planFile = (0, command_1.stringOpt)(args, 'plan');
        const checklist = planFile ? (0, checklist_1.migrationChecklist)((0, plan_file_1.loadPlan)(planFile)) : undefined;
        const { client, settings, close } = await (0, connection_1.connectClient)(ctx.env);
        try {
            const report = await client.workflow
                .execute(names_1.WorkflowTypes.assess, {
                taskQueue: settings.taskQueue,
                workflowId: `stp-assess-${input.data.database}-${(0, node_crypto_1.randomUUID)().slice(0, 8)}`,
                args: [input.data],
                workflowExecutionTimeout: '5 minutes',
            })
                .catch((err) => {
                throw (0, workflow_errors_1.toCliError)(err);
            });
            const out = checklist ? { ...report, checklist } : report;
            ctx.out(args.values.json ? JSON.stringify(out, null, 2) : [formatAssessment(report), ...(checklist ? ['Migration checklist:', ...(0, checklist_1.formatChecklist)(checklist)] : [])].join('\n'));
            return names_1.ExitCodes.ok;
        }
        finally {
            await close();
        }
    },
};
function formatAssessment(a) {
    const ext = (name) => (a.extensions[name] ? `${name} ${a.extensions[name]}` : `${name} (not installed${a.availableExtensions.includes(name) ? ', available' : ', not available'})`);
    const width = Math.max(...Object.keys(a.tables).map((t) => t.length));
    const lines = [
        `Database "${a.database}": PostgreSQL ${a.serverVersion}`,
        `Extensions: ${['vector', 'age'].map(ext).join(', ')}`,
        'Legacy tables:',
        ...Object.entries(a.tables).map(([t, n]) => `  ${t.padEnd(width)}  ${n === null ? 'missing' : n.toLocaleString('en-US')}`),
        `Size: database ${(0, assess_1.formatBytes)(a.databaseSizeBytes)}, legacy tables ${(0, assess_1.formatBytes)(a.legacySizeBytes)}`,
        `Free space needed (3x legacy): ${(0, assess_1.formatBytes)(a.requiredFreeBytes)}; free: ${a.freeBytes === null ? 'unknown' : (0, assess_1.formatBytes)(a.freeBytes)}`,
        ...(a.resources?.memoryBytes != null && a.resources.recommendedMemoryBytes != null
            ? [`Service memory (${a.resources.url}): ${(0, assess_1.formatBytes)(a.resources.memoryBytes)} now; recommended during the migration: ${(0, assess_1.formatBytes)(a.resources.recommendedMemoryBytes)} (2x)`]
            : []),
        ...a.warnings.map((w) => `WARNING: ${w}`),
    ];
    return lines.join('\n');
}
//# sourceMappingURL=assess.js.map