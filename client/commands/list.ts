import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { DatabaseName } from '../../common/database-name';
import { ExitCodes, WorkflowTypes } from '../../common/names';
import { StpDatabase, StpOutcome, StpPhase, StpRowsCopied, StpStep } from '../../common/search-attributes';
import { didYouMean } from '../../common/suggest';
import { CliError, type Command, stringOpt } from '../command';
import { connectClient } from '../connection';
import { missingAttributes } from '../search-attributes';
import { duration } from '../upgrade-view';

const PHASES = ['starting', 'running', 'paused', 'awaiting_approval', 'awaiting_operator', 'monitoring', 'rolling_back', 'rolled_back', 'rollback_failed', 'completed', 'blocked'];

/** One upgrade run as `list` shows it. */
export interface RunRow {
  workflowId: string;
  database: string | null;
  phase: string;
  step: string | null;
  rowsCopied: number | null;
  outcome: string;
  status: string;
  startedAt: string;
  durationSeconds: number | null;
  /** The `stp-upgrade rollback` workflow that reverted this run, when there is one. */
  revertedBy?: string;
}

/** Temporal's status when the run carries no attributes (started before setup-namespace). */
function statusOutcome(status: string): string {
  return status === 'RUNNING' ? 'running' : status === 'COMPLETED' ? 'completed' : status.toLowerCase();
}

export function runRow(w: WorkflowExecutionInfo, now = Date.now()): RunRow {
  const sa = w.typedSearchAttributes;
  const end = w.closeTime?.getTime() ?? (w.status.name === 'RUNNING' ? now : undefined);
  return {
    workflowId: w.workflowId,
    database: sa.get(StpDatabase) ?? null,
    phase: sa.get(StpPhase) ?? w.status.name.toLowerCase(),
    step: sa.get(StpStep) ?? null,
    rowsCopied: sa.get(StpRowsCopied) ?? null,
    outcome: sa.get(StpOutcome) ?? statusOutcome(w.status.name),
    status: w.status.name,
    startedAt: w.startTime.toISOString(),
    durationSeconds: end === undefined ? null : Math.max(0, Math.round((end - w.startTime.getTime()) / 1000)),
  };
}

async function collect(client: Client, query: string, limit: number): Promise<WorkflowExecutionInfo[]> {
  const out: WorkflowExecutionInfo[] = [];
  for await (const w of client.workflow.list({ query, pageSize: Math.min(limit, 100) })) {
    out.push(w);
    if (out.length >= limit) break;
  }
  return out;
}

export const listCommand: Command = {
  name: 'list',
  summary: 'list upgrade runs: phase, database, start, duration, outcome (newest first)',
  usage: 'stp-upgrade list [--database NAME] [--phase PHASE] [--limit N] [--json]',
  help: [
    'Reads the runs\' search attributes (StpDatabase, StpPhase, StpStep, StpRowsCopied, StpOutcome), so',
    'the namespace needs them: `stp-upgrade setup-namespace` once. Outcome tells apart what Temporal',
    'shows as FAILED: refused (nothing was changed), rolled_back, rollback_failed; reverted when',
    '`stp-upgrade rollback` undid a finished run. The same filter in the Temporal UI:',
    '  WorkflowType = "upgradeWorkflow" AND StpPhase = "rolling_back"',
    `Phases: ${PHASES.join(', ')}. Default --limit 20. Exit 0, 2 for a bad filter, 4 when Temporal is unreachable.`,
    'Examples:',
    '  stp-upgrade list',
    '  stp-upgrade list --database primary --phase running --json',
  ].join('\n'),
  options: { database: { type: 'string' }, phase: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, ctx) {
    if (args.positionals.length > 0) throw new CliError(`unexpected argument "${args.positionals[0]}". Usage: ${this.usage}`);
    const database = stringOpt(args, 'database');
    const phase = stringOpt(args, 'phase');
    const limit = Number(stringOpt(args, 'limit') ?? 20);
    if (database !== undefined && !DatabaseName.safeParse(database).success) throw new CliError(`--database: expected a database name such as "primary", got "${database}"`);
    if (phase !== undefined && !PHASES.includes(phase)) throw new CliError(`--phase: expected one of ${PHASES.join(', ')}${didYouMean(phase, PHASES)}, got "${phase}"`);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new CliError(`--limit: expected an integer from 1 to 10,000, got "${stringOpt(args, 'limit')}"`);
    const { client, settings, close } = await connectClient(ctx.env);
    try {
      const missing = await missingAttributes(client);
      if ((database || phase) && missing.length) {
        throw new CliError(`namespace "${settings.namespace}" has no ${missing.join(', ')} search attributes, so runs cannot be filtered: run \`stp-upgrade setup-namespace\` (runs started after it carry them)`);
      }
      const filters = [`WorkflowType = '${WorkflowTypes.upgrade}'`, ...(database ? [`StpDatabase = '${database}'`] : []), ...(phase ? [`StpPhase = '${phase}'`] : [])];
      const rows = (await collect(client, filters.join(' AND '), limit)).map((w) => runRow(w));
      // A finished run undone later by `stp-upgrade rollback` still shows COMPLETED in Temporal.
      const reverts = await collect(client, `WorkflowType = '${WorkflowTypes.rollback}' AND ExecutionStatus = 'Completed'`, 1000).catch(() => []);
      for (const r of rows) {
        const rb = reverts.find((w) => w.workflowId === `${r.workflowId}-rollback`);
        if (rb && r.status !== 'RUNNING' && r.outcome !== 'rolled_back') Object.assign(r, { outcome: 'reverted', revertedBy: rb.workflowId });
      }
      if (args.values.json) ctx.out(JSON.stringify(rows, null, 2));
      else ctx.out(formatRows(rows, missing.length > 0).join('\n'));
      return ExitCodes.ok;
    } finally {
      await close();
    }
  },
};

export function formatRows(rows: RunRow[], noAttributes: boolean): string[] {
  if (rows.length === 0) return ['No upgrade runs match.'];
  const table = [['ID', 'PHASE', 'STEP', 'DATABASE', 'STARTED', 'DURATION', 'ROWS', 'OUTCOME']];
  for (const r of rows) {
    table.push([r.workflowId, r.phase, r.step ?? '-', r.database ?? '-', r.startedAt.replace(/\.\d+Z$/, 'Z'), r.durationSeconds === null ? '-' : duration(r.durationSeconds),
      r.rowsCopied === null ? '-' : r.rowsCopied.toLocaleString('en-US'), r.outcome]);
  }
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const lines = table.map((row) => row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
  if (noAttributes) lines.push('', 'Phase, step, database and outcome come from search attributes this namespace lacks: run `stp-upgrade setup-namespace`.');
  return lines;
}
