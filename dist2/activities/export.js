"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.createExportActivities = createExportActivities;
const promises_1 = __importDefault(require("node:fs/promises"));
const node_path_1 = __importDefault(require("node:path"));
const errors_1 = require("../common/errors");
const export_1 = require("../common/export");
const validation_1 = require("../common/validation");
const db_1 = require("./db");
const api_source_1 = require("./export/api-source");
const db_source_1 = require("./export/db-source");
const writer_1 = require("./export/writer");
const context_1 = require("./release/steps/context");
const KINDS = ['texts', 'chunks', 'templates'];
/** Streams one kind in keyset batches inside the export's snapshot. */
async function exportFromDb(client, source, kind, out, batchSize) {
    let last = null;
    for (;;) {
        const batch = await client.query(source.queries[kind], [last, batchSize]);
        if (batch.rows.length === 0)
            break;
        await out.write(batch.rows.map((r) => r.j));
        last = batch.rows[batch.rows.length - 1].id;
        (0, context_1.heartbeat)({ kind, rows: out.count });
        if (batch.rows.length < batchSize)
            break;
    }
    const { rows } = await client.query(source.counts[kind]);
    return Number(rows[0].count);
}
function createExportActivities({ pools }) {
    return {
        /**
         * Every text, chunk and template to `<outDir>/{texts,chunks,templates}.jsonl` (one JSON object a
         * line), `manifest.json` and `SHA256SUMS`. The database path reads one REPEATABLE READ snapshot,
         * so the three files agree with each other and with the counts. A retry starts over and
         * replaces the files; a file appears under its name only once complete.
         */
        async exportData(raw) {
            const parsed = export_1.ExportWorkflowInput.safeParse(raw);
            if (!parsed.success)
                throw new errors_1.BadInputError((0, validation_1.formatIssues)('input', parsed.error, raw).join('; '));
            const input = parsed.data;
            const dir = node_path_1.default.resolve(input.outDir);
            await promises_1.default.mkdir(dir, { recursive: true, mode: 0o700 });
            const counts = {};
            const files = [];
            const run = async (kind, fill) => {
                const out = await writer_1.JsonlWriter.open(dir, `${kind}.jsonl`);
                try {
                    const total = await fill(out);
                    if (total !== out.count)
                        throw new errors_1.PreconditionError(`${kind}: wrote ${out.count} rows but the source counts ${total}`);
                    counts[kind] = out.count;
                    files.push(await out.close());
                }
                catch (err) {
                    await out.abort();
                    throw err;
                }
            };
            let source;
            if (input.baseUrl) {
                source = 'api';
                for (const kind of KINDS)
                    await run(kind, (out) => (0, api_source_1.exportFromApi)(input.baseUrl, kind, out, input.batchSize, context_1.heartbeat));
            }
            else {
                source = await (0, db_1.withClient)(pools.get(input.database), async (client) => {
                    await client.query('begin isolation level repeatable read read only');
                    try {
                        const src = await (0, db_source_1.chooseSource)(client, input);
                        for (const kind of KINDS)
                            await run(kind, (out) => exportFromDb(client, src, kind, out, input.batchSize));
                        return src.kind;
                    }
                    finally {
                        await client.query('rollback').catch(() => undefined);
                    }
                });
            }
            const manifest = {
                format: 'stp-export/1', database: input.database, source, exportedAt: new Date().toISOString(), counts, files,
            };
            const manifestSha = await (0, writer_1.writeSmallFile)(dir, 'manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
            const sums = [...files.map((f) => `${f.sha256}  ${f.file}`), `${manifestSha}  manifest.json`].join('\n');
            await (0, writer_1.writeSmallFile)(dir, 'SHA256SUMS', `${sums}\n`);
            return { dir, manifest };
        },
    };
}
//# sourceMappingURL=export.js.map