"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.verifyCommand = void 0;
const node_crypto_1 = require("node:crypto");
const names_1 = require("../../common/names");
const command_1 = require("../command");
const connection_1 = require("../connection");
const plan_file_1 = require("../plan-file");
const workflow_errors_1 = require("../workflow-errors");
const upgrade_view_1 = require("../upgrade-view");
exports.verifyCommand = {
    name: 'verify',
    summary: 'run the post-migration checks alone (read-only) and print the report',
    usage: 'stp-upgrade verify --plan FILE [--run-id ID] [--json]',
    help: [
        'Counts, checksums and consistency checks of MIGRATION-CONTRACT section 5 against the plan\'s',
        'database; --run-id names the upgrade run whose quarantine counts as accounted for. Changes',
        'nothing. Exit 0 when the report is ok, 1 when it lists problems, 2 for a bad plan.',
        'Example: stp-upgrade verify --plan plans/primary.yaml --run-id stp-upgrade-primary-20250102T030405Z --json',
    ].join('\n'),
    options: { plan: { type: 'string' }, 'run-id': { type: 'string' }, json: { type: 'boolean' } },
    async run(args, ctx) {
        if (args.positionals.length > 0)
            throw new command_1.CliError(`unexpected argument "${args.positionals[0]}". Usage: ${this.usage}`);
        const plan = (0, plan_file_1.loadPlan)((0, command_1.requireOpt)(args, 'plan', this.usage));
        const runId = (0, command_1.stringOpt)(args, 'run-id');
        const { client, settings, close } = await (0, connection_1.connectClient)(ctx.env);
        try {
            const report = (await client.workflow
                .execute(names_1.WorkflowTypes.verify, {
                taskQueue: settings.taskQueue,
                workflowId: `stp-verify-${plan.database}-${(0, node_crypto_1.randomUUID)().slice(0, 8)}`,
                args: [{ plan, runId }],
                workflowExecutionTimeout: '3 hours',
            })
                .catch((err) => {
                throw (0, workflow_errors_1.toCliError)(err);
            }));
            ctx.out(args.values.json ? JSON.stringify(report, null, 2) : (0, upgrade_view_1.formatReport)(report).join('\n'));
            return report.ok ? names_1.ExitCodes.ok : names_1.ExitCodes.failed;
        }
        finally {
            await close();
        }
    },
};
//# sourceMappingURL=verify.js.map