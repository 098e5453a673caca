"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.defectsCommand = void 0;
const node_crypto_1 = require("node:crypto");
const database_name_1 = require("../../common/database-name");
const defect_list_1 = require("../../common/defect-list");
const names_1 = require("../../common/names");
const plan_validation_1 = require("../../common/plan-validation");
const redact_1 = require("../../common/redact");
const command_1 = require("../command");
const connection_1 = require("../connection");
const plan_file_1 = require("../plan-file");
const run_plan_1 = require("../run-plan");
const upgrade_outcome_1 = require("../upgrade-outcome");
const worker_check_1 = require("../worker-check");
const workflow_errors_1 = require("../workflow-errors");
const FORMATS = ['text', 'csv', 'json'];
/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
function csvField(s) {
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
/** Prints defects as they arrive: a JSON array is opened first and closed after the last page. */
function printer(ctx, format) {
    let n = 0;
    return {
        start: () => ctx.out(format === 'csv' ? 'kind,table,id,reason' : format === 'json' ? '[' : 'KIND  TABLE  ID  REASON'),
        rows(defects) {
            if (defects.length === 0)
                return;
            if (format === 'csv')
                ctx.out(defects.map((d) => [d.kind, d.table, d.id, d.reason].map(csvField).join(',')).join('\n'));
            else if (format === 'json')
                ctx.out(defects.map((d, i) => `${n + i > 0 ? ',' : ' '}${JSON.stringify(d)}`).join('\n'));
            else
                ctx.out(defects.map((d) => `${d.kind}  ${d.table}  ${d.id}  ${d.reason}`).join('\n'));
            n += defects.length;
        },
        end: () => (format === 'json' ? ctx.out(']') : undefined),
        get count() {
            return n;
        },
    };
}
exports.defectsCommand = {
    name: 'defects',
    summary: 'list every legacy defect (contract section 4), streamed: text, CSV or JSON',
    usage: 'stp-upgrade defects (ID | --database NAME | --plan FILE) [--format text|csv|json]',
    help: [
        'Scans the legacy data now, read-only, and prints every defect, one per line, page by page as',
        'the worker reads them (no limit: the run\'s progress shows 20, this shows all). With a run ID,',
        'the run\'s own plan (schema, table names, graph) is used; with --database the default table',
        'names; with --plan those of a plan file. The count per kind goes to stderr at the end.',
        'Exit 0 (also when there are defects), 2 for bad input, 4 when Temporal is unreachable.',
        'Examples:',
        '  stp-upgrade defects --database primary --format csv > defects.csv',
        '  stp-upgrade defects stp-upgrade-primary-20250102T030405Z --format json',
    ].join('\n'),
    options: { database: { type: 'string' }, plan: { type: 'string' }, format: { type: 'string' } },
    async run(args, ctx) {
        const [id, ...extra] = args.positionals;
        const database = (0, command_1.stringOpt)(args, 'database');
        const planFile = (0, command_1.stringOpt)(args, 'plan');
        const format = ((0, command_1.stringOpt)(args, 'format') ?? 'text');
        if (extra.length > 0)
            throw new command_1.CliError(`unexpected argument "${extra[0]}". Usage: ${this.usage}`);
        if (!FORMATS.includes(format))
            throw new command_1.CliError(`--format: expected csv, json or text, got "${format}"`);
        if ([id, database, planFile].filter(Boolean).length !== 1)
            throw new command_1.CliError(`defects: give a run id or --database NAME or --plan FILE (one of them). Usage: ${this.usage}`);
        if (database !== undefined && !database_name_1.DatabaseName.safeParse(database).success) {
            throw new command_1.CliError(`--database: expected a database name such as "primary" (the worker maps it to STP_DATABASE_URL_<NAME>), not a URL, got "${(0, redact_1.redact)(database)}"`);
        }
        let plan = planFile ? (0, plan_file_1.loadPlan)(planFile) : undefined;
        const { client, settings, close } = await (0, connection_1.connectClient)(ctx.env);
        try {
            const noWorker = await (0, worker_check_1.missingWorker)(client, settings.taskQueue);
            if (noWorker)
                throw new command_1.CliError(`the defects are read by a worker: ${noWorker}`, names_1.ExitCodes.unreachable);
            if (id) {
                const input = await (0, run_plan_1.runPlanInput)((await (0, upgrade_outcome_1.existingRun)(client, id)).handle);
                const parsed = (0, plan_validation_1.validatePlan)(input ?? {});
                if (!parsed.ok)
                    throw new command_1.CliError(`the plan of run ${id} cannot be read back (${parsed.errors[0]}); use --plan FILE`);
                plan = parsed.plan;
            }
            if (!plan) {
                const parsed = (0, plan_validation_1.validatePlan)({ database });
                if (!parsed.ok)
                    throw new command_1.CliError(parsed.errors.join('\n'));
                plan = parsed.plan;
            }
            const out = printer(ctx, format);
            const counts = new Map();
            out.start();
            let cursor;
            const base = `stp-defects-${plan.database}-${(0, node_crypto_1.randomUUID)().slice(0, 8)}`;
            for (let page = 0;; page++) {
                const r = (await client.workflow
                    .execute(names_1.WorkflowTypes.defects, { taskQueue: settings.taskQueue, workflowId: `${base}-${page}`, args: [{ plan, cursor, limit: defect_list_1.DEFECT_PAGE_SIZE }], workflowExecutionTimeout: '1 hour' })
                    .catch((err) => {
                    throw (0, workflow_errors_1.toCliError)(err);
                }));
                out.rows(r.defects);
                for (const d of r.defects)
                    counts.set(d.kind, (counts.get(d.kind) ?? 0) + 1);
                if (!r.next)
                    break;
                cursor = r.next;
            }
            out.end();
            ctx.err(`${out.count} defect(s) in database ${plan.database}${counts.size ? `: ${[...counts].map(([k, n]) => `${k} ${n}`).join(', ')}` : ''}`);
            return names_1.ExitCodes.ok;
        }
        finally {
            await close();
        }
    },
};
//# sourceMappingURL=defects.js.map