import fs from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { BadInputError, PreconditionError } from '../common/errors';
import { ExportWorkflowInput, type ExportedFile, type ExportKind, type ExportManifest, type ExportResult, type ExportWorkflowInputRaw } from '../common/export';
import { formatIssues } from '../common/validation';
import { type Pools, withClient } from './db';
import { exportFromApi } from './export/api-source';
import { chooseSource, type DbSource } from './export/db-source';
import { JsonlWriter, writeSmallFile } from './export/writer';
import { heartbeat } from './release/steps/context';

const KINDS: ExportKind[] = ['texts', 'chunks', 'templates'];

/** Streams one kind in keyset batches inside the export's snapshot. */
async function exportFromDb(client: pg.ClientBase, source: DbSource, kind: ExportKind, out: JsonlWriter, batchSize: number): Promise<number> {
  let last: string | null = null;
  for (;;) {
    const batch: pg.QueryResult<{ id: string; j: string }> = await client.query(source.queries[kind], [last, batchSize]);
    if (batch.rows.length === 0) break;
    await out.write(batch.rows.map((r) => r.j));
    last = batch.rows[batch.rows.length - 1].id;
    heartbeat({ kind, rows: out.count });
    if (batch.rows.length < batchSize) break;
  }
  const { rows } = await client.query<{ count: string }>(source.counts[kind]);
  return Number(rows[0].count);
}

export function createExportActivities({ pools }: { pools: Pools }) {
  return {
    /**
     * Every text, chunk and template to `<outDir>/{texts,chunks,templates}.jsonl` (one JSON object a
     * line), `manifest.json` and `SHA256SUMS`. The database path reads one REPEATABLE READ snapshot,
     * so the three files agree with each other and with the counts. A retry starts over and
     * replaces the files; a file appears under its name only once complete.
     */
    async exportData(raw: ExportWorkflowInputRaw): Promise<ExportResult> {
      const parsed = ExportWorkflowInput.safeParse(raw);
      if (!parsed.success) throw new BadInputError(formatIssues('input', parsed.error, raw).join('; '));
      const input = parsed.data;
      const dir = path.resolve(input.outDir);
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
      const counts = {} as Record<ExportKind, number>;
      const files: ExportedFile[] = [];
      const run = async (kind: ExportKind, fill: (out: JsonlWriter) => Promise<number>) => {
        const out = await JsonlWriter.open(dir, `${kind}.jsonl`);
        try {
          const total = await fill(out);
          if (total !== out.count) throw new PreconditionError(`${kind}: wrote ${out.count} rows but the source counts ${total}`);
          counts[kind] = out.count;
          files.push(await out.close());
        } catch (err) {
          await out.abort();
          throw err;
        }
      };
      let source: ExportManifest['source'];
      if (input.baseUrl) {
        source = 'api';
        for (const kind of KINDS) await run(kind, (out) => exportFromApi(input.baseUrl as string, kind, out, input.batchSize, heartbeat));
      } else {
        source = await withClient(pools.get(input.database), async (client) => {
          await client.query('begin isolation level repeatable read read only');
          try {
            const src = await chooseSource(client, input);
            for (const kind of KINDS) await run(kind, (out) => exportFromDb(client, src, kind, out, input.batchSize));
            return src.kind;
          } finally {
            await client.query('rollback').catch(() => undefined);
          }
        });
      }
      const manifest: ExportManifest = {
        format: 'stp-export/1', database: input.database, source, exportedAt: new Date().toISOString(), counts, files,
      };
      const manifestSha = await writeSmallFile(dir, 'manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
      const sums = [...files.map((f) => `${f.sha256}  ${f.file}`), `${manifestSha}  manifest.json`].join('\n');
      await writeSmallFile(dir, 'SHA256SUMS', `${sums}\n`);
      return { dir, manifest };
    },
  };
}
