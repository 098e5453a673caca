"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_DEFECT_LIMIT = exports.setDefaultModel = exports.legacyNames = exports.defectSelect = exports.csvOrphanEdges = exports.ageOrphanEdgesSql = exports.ageGraphExists = exports.tuneForHierarchy = exports.cycleSql = exports.tableDefects = void 0;
exports.scanDefects = scanDefects;
const steps_1 = require("../../common/steps");
const beat_1 = require("./beat");
const context_1 = require("./context");
const graph_1 = require("./graph");
const hierarchy_1 = require("./hierarchy");
const tables_1 = require("./tables");
var tables_2 = require("./tables");
Object.defineProperty(exports, "tableDefects", { enumerable: true, get: function () { return tables_2.tableDefects; } });
var hierarchy_2 = require("./hierarchy");
Object.defineProperty(exports, "cycleSql", { enumerable: true, get: function () { return hierarchy_2.cycleSql; } });
Object.defineProperty(exports, "tuneForHierarchy", { enumerable: true, get: function () { return hierarchy_2.tuneForHierarchy; } });
var graph_2 = require("./graph");
Object.defineProperty(exports, "ageGraphExists", { enumerable: true, get: function () { return graph_2.ageGraphExists; } });
Object.defineProperty(exports, "ageOrphanEdgesSql", { enumerable: true, get: function () { return graph_2.ageOrphanEdgesSql; } });
Object.defineProperty(exports, "csvOrphanEdges", { enumerable: true, get: function () { return graph_2.csvOrphanEdges; } });
var context_2 = require("./context");
Object.defineProperty(exports, "defectSelect", { enumerable: true, get: function () { return context_2.defectSelect; } });
Object.defineProperty(exports, "legacyNames", { enumerable: true, get: function () { return context_2.legacyNames; } });
Object.defineProperty(exports, "setDefaultModel", { enumerable: true, get: function () { return context_2.setDefaultModel; } });
/** How many defects a scan lists when the caller does not say (the counts are always complete). */
exports.DEFAULT_DEFECT_LIMIT = 1000;
/**
 * Every defect of contract section 4: complete counts per kind, and a sample of at most `limit`
 * rows shared fairly between the kinds. With a sink, every defective row is also written to the
 * quarantine (a row already quarantined under an earlier kind keeps that kind, as contract order
 * says) and counted all the same, so the counts do not depend on the sink. Call inside one
 * transaction; read-only without a sink, and then repeatable read gives all counts one snapshot.
 */
async function scanDefects(client, plan, graph, limit, sink = null) {
    const t = (0, context_1.legacyNames)(plan);
    const label = sink ? 'quarantine' : 'preflight';
    await (0, context_1.setDefaultModel)(client, plan.embeddings.defaultModel);
    await (0, hierarchy_1.tuneForHierarchy)(client, t);
    const groups = [];
    for (const d of (0, tables_1.tableDefects)(t)) {
        const table = t.name[d.role];
        const { rows } = await (0, beat_1.beating)({ [label]: d.kind, table }, () => client.query(tableGroupSql(t, d, sink), sink ? [Math.max(limit, 1), sink.runId, table, d.kind] : [Math.max(limit, 1)]));
        groups.push({ kind: d.kind, total: Number(rows[0]?.total ?? 0), rows: rows.map((r) => ({ kind: d.kind, table, id: r.row_key, reason: r.reason })) });
    }
    if (graph?.kind === 'age') {
        const { rows } = await (0, beat_1.beating)({ [label]: 'orphan_graph_edge' }, () => client.query(ageGroupSql(graph.graph, sink), sink ? [Math.max(limit, 1), sink.runId] : [Math.max(limit, 1)]));
        groups.push({ kind: 'orphan_graph_edge', total: Number(rows[0]?.total ?? 0), rows: rows.map(graph_1.toDefect) });
    }
    else if (graph?.kind === 'csv') {
        groups.push(await csvGroup(client, graph, limit, sink));
    }
    const counts = {};
    for (const g of groups)
        if (g.total > 0)
            counts[g.kind] = (counts[g.kind] ?? 0) + g.total;
    const byKind = steps_1.DEFECT_KINDS.map((k) => groups.filter((g) => g.kind === k).flatMap((g) => g.rows));
    return { defects: fairSample(byKind, limit), counts };
}
/**
 * `row_key, reason, total` of one table defect, the first $1 rows by key. With a sink ($2 run id,
 * $3 table, $4 kind) the same statement inserts every row not yet quarantined: the rows are
 * selected once (a materialized CTE) for both the insert and the count.
 */
function tableGroupSql(t, d, sink) {
    const page = `select row_key, reason, count(*) over ()::text as total from d order by row_key collate "C" limit $1`;
    if (!sink)
        return `with d as (${(0, context_1.defectSelect)(t, d, false)}) ${page}`;
    return `with d as materialized (${(0, context_1.defectSelect)(t, d, true)}),
    ins as (insert into stp_migration.quarantine (run_id, source_table, kind, reason, row, row_key)
            select $2, $3, $4, d.reason, d.row, d.row_key from d
             where not exists (select 1 from stp_migration.quarantine q
                                where q.run_id = $2 and q.source_table = $3 and q.row_key = d.row_key))
    ${page}`;
}
/** The AGE graph's orphan edges as tableGroupSql (with a sink: $2 run id). */
function ageGroupSql(graph, sink) {
    const page = `select source_table, row_key, reason, count(*) over ()::text as total from d
    order by source_table collate "C", row_key collate "C" limit $1`;
    if (!sink)
        return `with d as (${(0, graph_1.ageOrphanEdgesSql)(graph, false)}) ${page}`;
    return `with d as materialized (${(0, graph_1.ageOrphanEdgesSql)(graph, true)}),
    ins as (insert into stp_migration.quarantine (run_id, source_table, kind, reason, row, row_key)
            select $2, d.source_table, 'orphan_graph_edge', d.reason, d.row, d.row_key from d)
    ${page}`;
}
const CSV_BATCH = 1000;
/** The CSV graph's orphan edges, streamed once: counted, the first `limit` kept, and with a sink inserted in batches. */
async function csvGroup(client, source, limit, sink) {
    const group = { kind: 'orphan_graph_edge', total: 0, rows: [] };
    let batch = [];
    const flush = async () => {
        if (!sink || !batch.length)
            return;
        await client.query(`insert into stp_migration.quarantine (run_id, source_table, kind, reason, row, row_key)
       select $1, x.source_table, 'orphan_graph_edge', x.reason, x.row, x.row_key
         from jsonb_to_recordset($2::jsonb) as x(source_table text, row_key text, reason text, row jsonb)`, [sink.runId, JSON.stringify(batch)]);
        batch = [];
        (0, beat_1.beat)({ quarantine: 'orphan_graph_edge' });
    };
    for await (const o of (0, graph_1.csvOrphanEdges)(source)) {
        group.total++;
        if (group.rows.length < limit)
            group.rows.push((0, graph_1.toDefect)(o));
        if (sink)
            batch.push(o);
        if (batch.length >= CSV_BATCH)
            await flush();
    }
    await flush();
    return group;
}
/** Round-robin over the kinds so that one huge kind cannot hide the others. */
function fairSample(groups, limit) {
    const out = [];
    for (let i = 0; out.length < limit && groups.some((g) => g.length > i); i++) {
        for (const g of groups)
            if (i < g.length && out.length < limit)
                out.push(g[i]);
    }
    const order = (d) => steps_1.DEFECT_KINDS.indexOf(d.kind);
    return out.sort((a, b) => order(a) - order(b) || cmp(a.table, b.table) || cmp(a.id, b.id));
}
const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
//# sourceMappingURL=index.js.map