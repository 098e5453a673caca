"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ageOrphanEdgesSql = ageOrphanEdgesSql;
exports.csvOrphanEdges = csvOrphanEdges;
exports.ageGraphExists = ageGraphExists;
exports.toDefect = toDefect;
const age_1 = require("../graph/age");
const csv_1 = require("../graph/csv");
/**
 * orphan_graph_edge. AGE: an edge row (any edge label of the legacy graph) whose start or end
 * graphid is in no vertex label table; label tables inherit from _ag_label_vertex/_ag_label_edge,
 * so one anti-join over the parents covers every label. Keys as the graph rule reads them:
 * source_table `<graph>.<label>`, row_key the edge's graphid as text.
 */
function ageOrphanEdgesSql(graph, withRow) {
    const s = (0, age_1.quoteName)(graph);
    const missing = (col) => `not exists (select 1 from ${s}._ag_label_vertex v where v.id operator(ag_catalog.=) e.${col})`;
    return `select $graph$${graph}.$graph$ || l.name::text as source_table, e.id::text as row_key,
      concat_ws('; ', case when ${missing('start_id')} then 'start vertex ' || e.start_id::text || ' missing' end,
                      case when ${missing('end_id')} then 'end vertex ' || e.end_id::text || ' missing' end) as reason
      ${withRow ? ', to_jsonb(e) as row' : ''}
    from ${s}._ag_label_edge e
    join ag_catalog.ag_label l on l.relation = e.tableoid::regclass
   where ${missing('start_id')} or ${missing('end_id')}`;
}
const RECORDS_PER_READ = 10_000;
/**
 * CSV source: an edge record whose source or target chunk_id has no node record. Keys as the
 * graph rule reads them: source_table is the edges file as the plan names it, row_key the record
 * number (1 = first data row). Ids match as exact text, as the copy joins them. The node ids are
 * held in memory (one string per node); the edges are streamed.
 */
async function* csvOrphanEdges(source) {
    const nodes = new Set();
    const nh = await (0, csv_1.readCsvHeader)(source.nodesFile, csv_1.NODE_COLUMNS);
    for (let offset = nh.dataOffset, eof = false; !eof;) {
        const chunk = await (0, csv_1.readCsv)(source.nodesFile, offset, RECORDS_PER_READ);
        for (const r of chunk.records)
            if (r[nh.index.chunk_id])
                nodes.add(r[nh.index.chunk_id]);
        ({ next: offset, eof } = chunk);
        if (chunk.records.length === 0)
            break;
    }
    const eh = await (0, csv_1.readCsvHeader)(source.edgesFile, csv_1.EDGE_COLUMNS);
    const header = (await (0, csv_1.readCsv)(source.edgesFile, 0, 1)).records[0] ?? [];
    let n = 0;
    for (let offset = eh.dataOffset, eof = false; !eof;) {
        const chunk = await (0, csv_1.readCsv)(source.edgesFile, offset, RECORDS_PER_READ);
        for (const r of chunk.records) {
            n++;
            const problems = [];
            for (const col of ['source_chunk_id', 'target_chunk_id']) {
                const id = r[eh.index[col]] ?? '';
                if (!id || !nodes.has(id))
                    problems.push(`${col} ${id || '(empty)'} has no node record in ${source.nodesFile}`);
            }
            if (problems.length) {
                const row = Object.fromEntries(header.map((h, i) => [h.trim(), r[i] ?? '']));
                yield { source_table: source.edgesFile, row_key: String(n), reason: problems.join('; '), row };
            }
        }
        ({ next: offset, eof } = chunk);
        if (chunk.records.length === 0)
            break;
    }
}
/** Whether a legacy AGE graph exists (the caller knows that the age extension is installed). */
/** Whether AGE is installed and has that graph. Without AGE: false, not an error (which would abort the caller's transaction). */
async function ageGraphExists(client, graph) {
    const { rows: age } = await client.query(`select to_regclass('ag_catalog.ag_graph') is not null as ok`);
    if (!age[0].ok)
        return false;
    const { rows } = await client.query(`select count(*)::int as n from ag_catalog.ag_graph where name = $1`, [graph]);
    return rows[0].n > 0;
}
function toDefect(o) {
    return { kind: 'orphan_graph_edge', table: o.source_table, id: o.row_key, reason: o.reason };
}
//# sourceMappingURL=graph.js.map