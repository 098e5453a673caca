"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.verifyGraph = verifyGraph;
const sql_1 = require("../rules/sql");
const graph_1 = require("../rules/graph");
const age_1 = require("../graph/age");
const age_copy_1 = require("../graph/age-copy");
const csv_copy_1 = require("../graph/csv-copy");
const context_1 = require("./context");
const digest_1 = require("./digest");
/**
 * Rule 7 on both sides: rows per legacy label (= migrated + quarantined), vertex and edge totals,
 * and (AGE source) a checksum over every vertex as (label, properties) and every edge as (label,
 * properties, start label and properties, end label and properties): independent of graphids, so
 * it proves the edges connect the same vertices, not merely that the rows exist.
 */
async function verifyGraph(ctx) {
    const { plan, client } = ctx;
    const out = { graph: { skipped: false }, legacy: {}, target: {}, problems: [], warnings: [] };
    const skip = (reason) => {
        if (!plan.graph.optional)
            out.problems.push(`graph: ${reason}`);
        return { ...out, graph: { skipped: true, reason } };
    };
    if (!(await (0, age_1.ageInstalled)(client)))
        return skip('the age extension is not installed');
    await (0, age_1.useAge)(client);
    const source = plan.graph.source;
    if (source.kind === 'age' && !(await (0, age_1.graphInfo)(client, source.graph)))
        return skip(`the legacy graph "${source.graph}" does not exist`);
    const target = await (0, age_1.graphInfo)(client, plan.graph.target);
    if (!target) {
        out.problems.push(`graph: the target graph "${plan.graph.target}" does not exist`);
        return out;
    }
    const tgt = await (0, age_1.labelCounts)(client, await (0, age_1.graphLabels)(client, plan.graph.target));
    out.target = { graph_vertices: tgt.vertices, graph_edges: tgt.edges };
    const tlabels = new Map((await (0, age_1.graphLabels)(client, plan.graph.target)).map((l) => [l.name, l]));
    const expected = { vertices: 0, edges: 0 };
    if (source.kind === 'csv') {
        out.warnings.push('graph: a CSV source is verified by counts only (no properties checksum)');
        for (const [file, label, kind] of [[source.nodesFile, csv_copy_1.CSV_LABELS.vertex, 'vertices'], [source.edgesFile, csv_copy_1.CSV_LABELS.edge, 'edges']]) {
            const rows = await (0, graph_1.countCsv)(file);
            const { n } = await (0, context_1.one)(ctx, `select count(*)::int as n from stp_migration.quarantine where run_id = $1 and source_table = $2`, [file]);
            const migrated = await tableCount(ctx, tlabels.get(label)?.table);
            out.legacy[file] = { rows, migrated, quarantined: n };
            expected[kind] += rows - n;
        }
    }
    else {
        for (const l of await (0, age_1.graphLabels)(client, source.graph)) {
            const name = (0, age_copy_1.graphSourceTable)(source.graph, l.name);
            const r = await (0, context_1.one)(ctx, `select count(*)::int as rows, count(*) filter (where ${(0, context_1.isQ)(name, 'x.id::text')})::int as quarantined from only ${l.table} x`);
            if (l.name.startsWith('_ag_label') && r.rows === 0)
                continue; // the unlabelled defaults, usually empty
            out.legacy[name] = { ...r, migrated: await tableCount(ctx, tlabels.get(l.name)?.table) };
            if (l.kind === 'v')
                expected.vertices += r.rows - r.quarantined;
            else
                expected.edges += r.rows - r.quarantined;
        }
        const s = await (0, context_1.one)(ctx, (0, digest_1.digestSql)(graphRowsSql((await (0, age_1.graphInfo)(client, source.graph)).schema, source.graph)));
        const d = await (0, context_1.one)(ctx, (0, digest_1.digestSql)(graphRowsSql(target.schema, null)));
        out.checksum = { rule: 'graph', source: s.digest, target: d.digest, rows: { source: s.n, target: d.n }, match: s.digest === d.digest };
    }
    out.graph = { skipped: false, vertices: { source: expected.vertices, target: tgt.vertices }, edges: { source: expected.edges, target: tgt.edges } };
    return out;
}
async function tableCount(ctx, table) {
    if (!table)
        return 0;
    return (await (0, context_1.one)(ctx, `select count(*)::int as n from only ${table}`)).n;
}
/** One md5 per vertex and per edge of graph schema `schema`; `graph` set: the legacy side, quarantined rows left out. */
function graphRowsSql(schema, graph) {
    const props = (x) => `ag_catalog.agtype_out(${x}.properties)::text`;
    const live = (x, c) => (graph ? (0, sql_1.notQuarantined)('$1', `${(0, context_1.literal)(`${graph}.`)} || ${c}.relname`, `${x}.id::text`) : 'true');
    return `select md5(row(c.relname, ${props('v')})::text) as h
            from ${schema}._ag_label_vertex v join pg_class c on c.oid = v.tableoid where ${live('v', 'c')}
          union all
          select md5(row(c.relname, ${props('e')}, sc.relname, ${props('s')}, ec.relname, ${props('t')})::text)
            from ${schema}._ag_label_edge e join pg_class c on c.oid = e.tableoid
            join ${schema}._ag_label_vertex s on s.id = e.start_id join pg_class sc on sc.oid = s.tableoid
            join ${schema}._ag_label_vertex t on t.id = e.end_id join pg_class ec on ec.oid = t.tableoid
           where ${live('e', 'c')}`;
}
//# sourceMappingURL=graph.js.map