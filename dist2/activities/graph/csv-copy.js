"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CSV_LABELS = exports.CSV_MAP_DDL = void 0;
exports.csvBatch = csvBatch;
const errors_1 = require("../../common/errors");
const age_1 = require("./age");
const csv_1 = require("./csv");
/**
 * chunk_id -> vertex entry id of a CSV load, so edges (which name chunk ids) find their endpoints
 * by index. Duplicate chunk ids in the nodes file: every record becomes a vertex, edges attach to
 * the first one.
 */
exports.CSV_MAP_DDL = `create table if not exists stp_migration.graph_csv_vertices (
  run_id text not null, graph text not null, chunk_id text not null, entry bigint not null,
  primary key (run_id, graph, chunk_id))`;
/** quarantine.source_table of a CSV record is the file as the plan names it; row_key is the record number (1 = first data row). */
exports.CSV_LABELS = { vertex: 'Entity', edge: 'RELATES' };
/**
 * CSV to AGE: each batch parses up to `limit` records from the byte offset in the key. Record
 * number n becomes the entry id, so a replayed batch makes the same graphids and
 * `on conflict (id) do nothing` keeps it from making a second vertex or edge.
 */
async function csvBatch(client, { runId, plan }, files, afterKey, limit) {
    const labels = new Map((await (0, age_1.graphLabels)(client, plan.graph.target)).map((l) => [l.name, l]));
    const [v, e] = [labels.get(exports.CSV_LABELS.vertex), labels.get(exports.CSV_LABELS.edge)];
    if (!v || !e)
        throw new errors_1.PreconditionError(`graph "${plan.graph.target}" lacks its labels: run prepareGraph first`);
    let key = afterKey
        ? JSON.parse(afterKey)
        : { part: 'nodes', offset: (await (0, csv_1.readCsvHeader)(files.nodesFile, csv_1.NODE_COLUMNS)).dataOffset, n: 0 };
    for (;;) {
        const file = key.part === 'nodes' ? files.nodesFile : files.edgesFile;
        const { index } = await (0, csv_1.readCsvHeader)(file, key.part === 'nodes' ? csv_1.NODE_COLUMNS : csv_1.EDGE_COLUMNS);
        const chunk = await (0, csv_1.readCsv)(file, key.offset, limit);
        if (chunk.records.length > 0) {
            const col = (r, c) => (r[index[c]] === '' ? undefined : r[index[c]]);
            const rows = chunk.records.map((r, i) => {
                const n = key.n + i + 1;
                return key.part === 'nodes'
                    ? { n, chunk_id: col(r, 'chunk_id') ?? null, props: { id: col(r, 'chunk_id'), name: col(r, 'entity_name'), type: col(r, 'entity_type'), properties: (0, csv_1.propertiesValue)(r[index.properties]) } }
                    : { n, s: col(r, 'source_chunk_id') ?? null, t: col(r, 'target_chunk_id') ?? null, props: { type: col(r, 'relationship_type'), properties: (0, csv_1.propertiesValue)(r[index.properties]) } };
            });
            const args = [JSON.stringify(rows), runId, plan.graph.target, file];
            if (key.part === 'nodes')
                await insertVertices(client, v, args);
            else
                await insertEdges(client, v, e, args);
            const last = key.n + rows.length;
            const target = key.part === 'nodes' ? v : e;
            await client.query(`select setval($1::regclass, greatest(coalesce(pg_sequence_last_value($1::regclass), 1), $2::bigint))`, [target.seq, last]);
            return { rows: rows.length, firstKey: JSON.stringify(key), lastKey: JSON.stringify({ part: key.part, offset: chunk.next, n: last }) };
        }
        if (key.part === 'edges')
            return { rows: 0, lastKey: null };
        key = { part: 'edges', offset: (await (0, csv_1.readCsvHeader)(files.edgesFile, csv_1.EDGE_COLUMNS)).dataOffset, n: 0 };
    }
}
const notQuarantined = `not exists (select 1 from stp_migration.quarantine q
  where q.run_id = $2 and q.source_table = $4 and q.row_key = x.n::text)`;
async function insertVertices(client, v, args) {
    await client.query(`with x as (select * from jsonb_to_recordset($1::jsonb) as x(n bigint, chunk_id text, props jsonb) where ${notQuarantined}),
     ins as (insert into ${v.table} (id, properties)
             select ag_catalog._graphid($5, x.n), x.props::text::ag_catalog.agtype from x
             on conflict (id) do nothing)
     insert into stp_migration.graph_csv_vertices (run_id, graph, chunk_id, entry)
     select $2, $3, x.chunk_id, min(x.n) from x where x.chunk_id is not null group by x.chunk_id
     on conflict do nothing`, [...args, v.id]);
}
async function insertEdges(client, v, e, args) {
    await client.query(`with x as (select * from jsonb_to_recordset($1::jsonb) as x(n bigint, s text, t text, props jsonb) where ${notQuarantined})
     insert into ${e.table} (id, start_id, end_id, properties)
     select ag_catalog._graphid($5, x.n), ag_catalog._graphid($6, ms.entry), ag_catalog._graphid($6, mt.entry),
            x.props::text::ag_catalog.agtype
       from x join stp_migration.graph_csv_vertices ms on ms.run_id = $2 and ms.graph = $3 and ms.chunk_id = x.s
              join stp_migration.graph_csv_vertices mt on mt.run_id = $2 and mt.graph = $3 and mt.chunk_id = x.t
     on conflict (id) do nothing`, [...args, e.id, v.id]);
}
//# sourceMappingURL=csv-copy.js.map