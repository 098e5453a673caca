import { randomUUID } from 'node:crypto';
import { DatabaseName } from '../../common/database-name';
import { DEFECT_PAGE_SIZE, type DefectCursor, type DefectPage } from '../../common/defect-list';
import { ExitCodes, WorkflowTypes } from '../../common/names';
import type { Plan } from '../../common/plan';
import { validatePlan } from '../../common/plan-validation';
import { redact } from '../../common/redact';
import type { Defect } from '../../common/steps';
import { CliError, type CliContext, type Command, stringOpt } from '../command';
import { connectClient } from '../connection';
import { loadPlan } from '../plan-file';
import { runPlanInput } from '../run-plan';
import { existingRun } from '../upgrade-outcome';
import { missingWorker } from '../worker-check';
import { toCliError } from '../workflow-errors';

const FORMATS = ['text', 'csv', 'json'] as const;
type Format = (typeof FORMATS)[number];

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Prints defects as they arrive: a JSON array is opened first and closed after the last page. */
function printer(ctx: CliContext, format: Format) {
  let n = 0;
  return {
    start: () => ctx.out(format === 'csv' ? 'kind,table,id,reason' : format === 'json' ? '[' : 'KIND  TABLE  ID  REASON'),
    rows(defects: Defect[]) {
      if (defects.length === 0) return;
      if (format === 'csv') ctx.out(defects.map((d) => [d.kind, d.table, d.id, d.reason].map(csvField).join(',')).join('\n'));
      else if (format === 'json') ctx.out(defects.map((d, i) => `${n + i > 0 ? ',' : ' '}${JSON.stringify(d)}`).join('\n'));
      else ctx.out(defects.map((d) => `${d.kind}  ${d.table}  ${d.id}  ${d.reason}`).join('\n'));
      n += defects.length;
    },
    end: () => (format === 'json' ? ctx.out(']') : undefined),
    get count() {
      return n;
    },
  };
}

export const defectsCommand: Command = {
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
    const database = stringOpt(args, 'database');
    const planFile = stringOpt(args, 'plan');
    const format = (stringOpt(args, 'format') ?? 'text') as Format;
    if (extra.length > 0) throw new CliError(`unexpected argument "${extra[0]}". Usage: ${this.usage}`);
    if (!FORMATS.includes(format)) throw new CliError(`--format: expected csv, json or text, got "${format}"`);
    if ([id, database, planFile].filter(Boolean).length !== 1) throw new CliError(`defects: give a run id or --database NAME or --plan FILE (one of them). Usage: ${this.usage}`);
    if (database !== undefined && !DatabaseName.safeParse(database).success) {
      throw new CliError(`--database: expected a database name such as "primary" (the worker maps it to STP_DATABASE_URL_<NAME>), not a URL, got "${redact(database)}"`);
    }
    let plan: Plan | undefined = planFile ? loadPlan(planFile) : undefined;
    const { client, settings, close } = await connectClient(ctx.env);
    try {
      const noWorker = await missingWorker(client, settings.taskQueue);
      if (noWorker) throw new CliError(`the defects are read by a worker: ${noWorker}`, ExitCodes.unreachable);
      if (id) {
        const input = await runPlanInput((await existingRun(client, id)).handle);
        const parsed = validatePlan(input ?? {});
        if (!parsed.ok) throw new CliError(`the plan of run ${id} cannot be read back (${parsed.errors[0]}); use --plan FILE`);
        plan = parsed.plan;
      }
      if (!plan) {
        const parsed = validatePlan({ database });
        if (!parsed.ok) throw new CliError(parsed.errors.join('\n'));
        plan = parsed.plan;
      }
      const out = printer(ctx, format);
      const counts = new Map<string, number>();
      out.start();
      let cursor: DefectCursor | undefined;
      const base = `stp-defects-${plan.database}-${randomUUID().slice(0, 8)}`;
      for (let page = 0; ; page++) {
        const r = (await client.workflow
          .execute(WorkflowTypes.defects, { taskQueue: settings.taskQueue, workflowId: `${base}-${page}`, args: [{ plan, cursor, limit: DEFECT_PAGE_SIZE }], workflowExecutionTimeout: '1 hour' })
          .catch((err: unknown) => {
            throw toCliError(err);
          })) as DefectPage;
        out.rows(r.defects);
        for (const d of r.defects) counts.set(d.kind, (counts.get(d.kind) ?? 0) + 1);
        if (!r.next) break;
        cursor = r.next;
      }
      out.end();
      ctx.err(`${out.count} defect(s) in database ${plan.database}${counts.size ? `: ${[...counts].map(([k, n]) => `${k} ${n}`).join(', ')}` : ''}`);
      return ExitCodes.ok;
    } finally {
      await close();
    }
  },
};
