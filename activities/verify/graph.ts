import type { RuleChecksum, VerifyReport } from '../../common/steps';
import { notQuarantined } from '../rules/sql';
import { countCsv } from '../rules/graph';
import { ageInstalled, graphInfo, graphLabels, labelCounts, useAge } from '../graph/age';
import { graphSourceTable } from '../graph/age-copy';
import { CSV_LABELS } from '../graph/csv-copy';
import { isQ, literal, one, type VerifyCtx } from './context';
import { digestSql } from './digest';

export interface GraphVerification {
  graph: VerifyReport['graph'];
  legacy: VerifyReport['legacy'];
  target: { graph_vertices?: number; graph_edges?: number };
  checksum?: RuleChecksum;
  problems: string[];
  warnings: string[];
}

/**
 * Rule 7 on both sides: rows per legacy label (= migrated + quarantined), vertex and edge totals,
 * and (AGE source) a checksum over every vertex as (label, properties) and every edge as (label,
 * properties, start label and properties, end label and properties): independent of graphids, so
 * it proves the edges connect the same vertices, not merely that the rows exist.
 */
export async function verifyGraph(ctx: VerifyCtx): Promise<GraphVerification> {
  const { plan, client } = ctx;
  const out: GraphVerification = { graph: { skipped: false }, legacy: {}, target: {}, problems: [], warnings: [] };
  const skip = (reason: string): GraphVerification => {
    if (!plan.graph.optional) out.problems.push(`graph: ${reason}`);
    return { ...out, graph: { skipped: true, reason } };
  };
  if (!(await ageInstalled(client))) return skip('the age extension is not installed');
  await useAge(client);
  const source = plan.graph.source;
  if (source.kind === 'age' && !(await graphInfo(client, source.graph))) return skip(`the legacy graph "${source.graph}" does not exist`);
  const target = await graphInfo(client, plan.graph.target);
  if (!target) {
    out.problems.push(`graph: the target graph "${plan.graph.target}" does not exist`);
    return out;
  }
  const tgt = await labelCounts(client, await graphLabels(client, plan.graph.target));
  out.target = { graph_vertices: tgt.vertices, graph_edges: tgt.edges };
  const tlabels = new Map((await graphLabels(client, plan.graph.target)).map((l) => [l.name, l]));
  const expected = { vertices: 0, edges: 0 };
  if (source.kind === 'csv') {
    out.warnings.push('graph: a CSV source is verified by counts only (no properties checksum)');
    for (const [file, label, kind] of [[source.nodesFile, CSV_LABELS.vertex, 'vertices'], [source.edgesFile, CSV_LABELS.edge, 'edges']] as const) {
      const rows = await countCsv(file);
      const { n } = await one<{ n: number }>(ctx, `select count(*)::int as n from stp_migration.quarantine where run_id = $1 and source_table = $2`, [file]);
      const migrated = await tableCount(ctx, tlabels.get(label)?.table);
      out.legacy[file] = { rows, migrated, quarantined: n };
      expected[kind] += rows - n;
    }
  } else {
    for (const l of await graphLabels(client, source.graph)) {
      const name = graphSourceTable(source.graph, l.name);
      const r = await one<{ rows: number; quarantined: number }>(
        ctx,
        `select count(*)::int as rows, count(*) filter (where ${isQ(name, 'x.id::text')})::int as quarantined from only ${l.table} x`,
      );
      if (l.name.startsWith('_ag_label') && r.rows === 0) continue; // the unlabelled defaults, usually empty
      out.legacy[name] = { ...r, migrated: await tableCount(ctx, tlabels.get(l.name)?.table) };
      if (l.kind === 'v') expected.vertices += r.rows - r.quarantined;
      else expected.edges += r.rows - r.quarantined;
    }
    const s = await one<{ n: number; digest: string }>(ctx, digestSql(graphRowsSql((await graphInfo(client, source.graph))!.schema, source.graph)));
    const d = await one<{ n: number; digest: string }>(ctx, digestSql(graphRowsSql(target.schema, null)));
    out.checksum = { rule: 'graph', source: s.digest, target: d.digest, rows: { source: s.n, target: d.n }, match: s.digest === d.digest };
  }
  out.graph = { skipped: false, vertices: { source: expected.vertices, target: tgt.vertices }, edges: { source: expected.edges, target: tgt.edges } };
  return out;
}

async function tableCount(ctx: VerifyCtx, table: string | undefined): Promise<number> {
  if (!table) return 0;
  return (await one<{ n: number }>(ctx, `select count(*)::int as n from only ${table}`)).n;
}

/** One md5 per vertex and per edge of graph schema `schema`; `graph` set: the legacy side, quarantined rows left out. */
function graphRowsSql(schema: string, graph: string | null): string {
  const props = (x: string) => `ag_catalog.agtype_out(${x}.properties)::text`;
  const live = (x: string, c: string) => (graph ? notQuarantined('$1', `${literal(`${graph}.`)} || ${c}.relname`, `${x}.id::text`) : 'true');
  return `select md5(row(c.relname, ${props('v')})::text) as h
            from ${schema}._ag_label_vertex v join pg_class c on c.oid = v.tableoid where ${live('v', 'c')}
          union all
          select md5(row(c.relname, ${props('e')}, sc.relname, ${props('s')}, ec.relname, ${props('t')})::text)
            from ${schema}._ag_label_edge e join pg_class c on c.oid = e.tableoid
            join ${schema}._ag_label_vertex s on s.id = e.start_id join pg_class sc on sc.oid = s.tableoid
            join ${schema}._ag_label_vertex t on t.id = e.end_id join pg_class ec on ec.oid = t.tableoid
           where ${live('e', 'c')}`;
}
