"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.EXPORT_FILES = exports.ExportWorkflowInput = void 0;
const zod_1 = require("zod");
const database_name_1 = require("./database-name");
/**
 * The standalone emergency export (runbook: emergency_export.sh), done properly: every row, not the
 * first page. Files land on the worker's filesystem, in outDir.
 */
exports.ExportWorkflowInput = zod_1.z
    .object({
    database: database_name_1.DatabaseName,
    /** Absolute directory on the worker; created 0700, files written 0600. */
    outDir: zod_1.z.string().regex(/^\//, { message: 'expected an absolute path (on the worker)' }),
    /**
     * Read through the service's API (GET /texts, /chunks pages, /templates) instead of the
     * database. Default: the database, which works when the service is down.
     */
    baseUrl: zod_1.z.string().url({ message: 'expected a URL such as http://127.0.0.1:8080' }).optional(),
    /** Which tables (database path): auto = unified when finalized or when legacy ones are absent. */
    source: zod_1.z.enum(['auto', 'legacy', 'unified']).default('auto'),
    schema: zod_1.z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'expected a lowercase SQL identifier' }).default('public'),
    batchSize: zod_1.z.number().int().min(1).max(50_000).default(1000),
})
    .strict();
exports.EXPORT_FILES = ['texts.jsonl', 'chunks.jsonl', 'templates.jsonl'];
//# sourceMappingURL=export.js.map