import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { ExportWorkflowInput, type ExportResult } from '../../common/export';
import { ExitCodes, WorkflowTypes } from '../../common/names';
import { formatIssues } from '../../common/validation';
import { CliError, type Command, requireOpt, stringOpt } from '../command';
import { connectClient } from '../connection';
import { toCliError } from '../workflow-errors';

export const exportCommand: Command = {
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
      database: requireOpt(args, 'database', this.usage),
      outDir: path.resolve(requireOpt(args, 'out', this.usage)),
      ...(stringOpt(args, 'base-url') ? { baseUrl: stringOpt(args, 'base-url') } : {}),
      ...(stringOpt(args, 'source') ? { source: stringOpt(args, 'source') } : {}),
    };
    const input = ExportWorkflowInput.safeParse(raw);
    if (!input.success) throw new CliError(formatIssues('input', input.error, raw).join('\n'));
    const { client, settings, close } = await connectClient(ctx.env);
    try {
      const result = (await client.workflow
        .execute(WorkflowTypes.export, {
          taskQueue: settings.taskQueue,
          workflowId: `stp-export-${input.data.database}-${randomUUID().slice(0, 8)}`,
          args: [input.data],
          workflowExecutionTimeout: '6 hours',
        })
        .catch((err: unknown) => {
          throw toCliError(err);
        })) as ExportResult;
      ctx.out(args.values.json ? JSON.stringify(result, null, 2) : formatExport(result));
      return ExitCodes.ok;
    } finally {
      await close();
    }
  },
};

export function formatExport({ dir, manifest: m }: ExportResult): string {
  return [
    `Exported database "${m.database}" (${m.source}) to ${dir}:`,
    ...m.files.map((f) => `  ${f.file.padEnd(16)} ${String(f.rows).padStart(10)} rows  ${f.bytes} bytes  sha256 ${f.sha256.slice(0, 16)}…`),
    `Check with: cd ${dir} && sha256sum -c SHA256SUMS`,
  ].join('\n');
}
