import { z } from 'zod';
import { DatabaseName } from './database-name';

/**
 * The standalone emergency export (runbook: emergency_export.sh), done properly: every row, not the
 * first page. Files land on the worker's filesystem, in outDir.
 */
export const ExportWorkflowInput = z
  .object({
    database: DatabaseName,
    /** Absolute directory on the worker; created 0700, files written 0600. */
    outDir: z.string().regex(/^\//, { message: 'expected an absolute path (on the worker)' }),
    /**
     * Read through the service's API (GET /texts, /chunks pages, /templates) instead of the
     * database. Default: the database, which works when the service is down.
     */
    baseUrl: z.string().url({ message: 'expected a URL such as http://127.0.0.1:8080' }).optional(),
    /** Which tables (database path): auto = unified when finalized or when legacy ones are absent. */
    source: z.enum(['auto', 'legacy', 'unified']).default('auto'),
    schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'expected a lowercase SQL identifier' }).default('public'),
    batchSize: z.number().int().min(1).max(50_000).default(1000),
  })
  .strict();
export type ExportWorkflowInput = z.output<typeof ExportWorkflowInput>;
export type ExportWorkflowInputRaw = z.input<typeof ExportWorkflowInput>;

export const EXPORT_FILES = ['texts.jsonl', 'chunks.jsonl', 'templates.jsonl'] as const;
export type ExportKind = 'texts' | 'chunks' | 'templates';

export interface ExportedFile {
  file: string;
  rows: number;
  bytes: number;
  sha256: string;
}

/** manifest.json; SHA256SUMS covers the three .jsonl files and this manifest. */
export interface ExportManifest {
  format: 'stp-export/1';
  database: string;
  /** legacy / unified tables, or the service's API. */
  source: 'legacy' | 'unified' | 'api';
  exportedAt: string;
  counts: Record<ExportKind, number>;
  files: ExportedFile[];
}

export interface ExportResult {
  dir: string;
  manifest: ExportManifest;
}
