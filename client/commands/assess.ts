import { randomUUID } from 'node:crypto';
import { AssessWorkflowInput } from '../../common/inputs';
import { ExitCodes, WorkflowTypes } from '../../common/names';
import type { Assessment } from '../../common/steps';
import { formatBytes } from '../../activities/assess';
import { migrationChecklist, formatChecklist } from '../../common/checklist';
import { CliError, type Command, requireOpt, stringOpt } from '../command';
import { loadPlan } from '../plan-file';
import { connectClient } from '../connection';
import { toCliError } from '../workflow-errors';

export const assessCommand: Command = {
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
    const blueUrl = stringOpt(args, 'blue-url');
    const input = AssessWorkflowInput.safeParse({ database: requireOpt(args, 'database', this.usage), ...(blueUrl ? { blueUrl } : {}) });
    if (!input.success) throw new CliError(`--${input.error.issues[0].path[0] === 'blueUrl' ? 'blue-url' : 'database'}: ${input.error.issues[0].message}`);
    const planFile = stringOpt(args, 'plan');
    const checklist = planFile ? migrationChecklist(loadPlan(planFile)) : undefined;
    const { client, settings, close } = await connectClient(ctx.env);
    try {
      const report = await client.workflow
        .execute(WorkflowTypes.assess, {
          taskQueue: settings.taskQueue,
          workflowId: `stp-assess-${input.data.database}-${randomUUID().slice(0, 8)}`,
          args: [input.data],
          workflowExecutionTimeout: '5 minutes',
        })
        .catch((err: unknown) => {
          throw toCliError(err);
        }) as Assessment;
      const out = checklist ? { ...report, checklist } : report;
      ctx.out(args.values.json ? JSON.stringify(out, null, 2) : [formatAssessment(report), ...(checklist ? ['Migration checklist:', ...formatChecklist(checklist)] : [])].join('\n'));
      return ExitCodes.ok;
    } finally {
      await close();
    }
  },
};

export function formatAssessment(a: Assessment): string {
  const ext = (name: string) => (a.extensions[name] ? `${name} ${a.extensions[name]}` : `${name} (not installed${a.availableExtensions.includes(name) ? ', available' : ', not available'})`);
  const width = Math.max(...Object.keys(a.tables).map((t) => t.length));
  const lines = [
    `Database "${a.database}": PostgreSQL ${a.serverVersion}`,
    `Extensions: ${['vector', 'age'].map(ext).join(', ')}`,
    'Legacy tables:',
    ...Object.entries(a.tables).map(([t, n]) => `  ${t.padEnd(width)}  ${n === null ? 'missing' : n.toLocaleString('en-US')}`),
    `Size: database ${formatBytes(a.databaseSizeBytes)}, legacy tables ${formatBytes(a.legacySizeBytes)}`,
    `Free space needed (3x legacy): ${formatBytes(a.requiredFreeBytes)}; free: ${a.freeBytes === null ? 'unknown' : formatBytes(a.freeBytes)}`,
    ...(a.resources?.memoryBytes != null && a.resources.recommendedMemoryBytes != null
      ? [`Service memory (${a.resources.url}): ${formatBytes(a.resources.memoryBytes)} now; recommended during the migration: ${formatBytes(a.resources.recommendedMemoryBytes)} (2x)`]
      : []),
    ...a.warnings.map((w) => `WARNING: ${w}`),
  ];
  return lines.join('\n');
}
