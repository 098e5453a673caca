import type pg from 'pg';
import type { Plan } from '../../common/plan';
import { DEFECT_KINDS, type Defect, type DefectKind } from '../../common/steps';
import { beat, beating } from './beat';
import { defectSelect, legacyNames, setDefaultModel, type LegacyNames, type TableDefect } from './context';
import { ageOrphanEdgesSql, csvOrphanEdges, type CsvOrphan, toDefect } from './graph';
import { tuneForHierarchy } from './hierarchy';
import { tableDefects } from './tables';

export { tableDefects } from './tables';
export { cycleSql, tuneForHierarchy } from './hierarchy';
export { ageGraphExists, ageOrphanEdgesSql, csvOrphanEdges } from './graph';
export { defectSelect, legacyNames, setDefaultModel, type LegacyNames, type TableDefect } from './context';

/** Which legacy graph to check: an AGE graph, the CSV files, or none (skipped). */
export type GraphCheck = { kind: 'age'; graph: string } | { kind: 'csv'; nodesFile: string; edgesFile: string } | null;

/** How many defects a scan lists when the caller does not say (the counts are always complete). */
export const DEFAULT_DEFECT_LIMIT = 1000;

export interface DefectScan {
  defects: Defect[];
  counts: Partial<Record<DefectKind, number>>;
}

/**
 * Where a scan puts the defective rows it finds: nowhere (preflight, read-only), or
 * stp_migration.quarantine under `runId` (quarantineDefects: detection and quarantine are one pass,
 * so what the run reports is exactly what it quarantined).
 */
export type DefectSink = { runId: string } | null;

/** One (kind, table) group or the graph's orphan edges: the complete count and the first rows by key. */
interface Group {
  kind: DefectKind;
  total: number;
  rows: Defect[];
}

/**
 * Every defect of contract section 4: complete counts per kind, and a sample of at most `limit`
 * rows shared fairly between the kinds. With a sink, every defective row is also written to the
 * quarantine (a row already quarantined under an earlier kind keeps that kind, as contract order
 * says) and counted all the same, so the counts do not depend on the sink. Call inside one
 * transaction; read-only without a sink, and then repeatable read gives all counts one snapshot.
 */
export async function scanDefects(client: pg.ClientBase, plan: Plan, graph: GraphCheck, limit: number, sink: DefectSink = null): Promise<DefectScan> {
  const t = legacyNames(plan);
  const label = sink ? 'quarantine' : 'preflight';
  await setDefaultModel(client, plan.embeddings.defaultModel);
  await tuneForHierarchy(client, t);
  const groups: Group[] = [];
  for (const d of tableDefects(t)) {
    const table = t.name[d.role];
    const { rows } = await beating({ [label]: d.kind, table }, () =>
      client.query<{ row_key: string; reason: string; total: string }>(tableGroupSql(t, d, sink), sink ? [Math.max(limit, 1), sink.runId, table, d.kind] : [Math.max(limit, 1)]),
    );
    groups.push({ kind: d.kind, total: Number(rows[0]?.total ?? 0), rows: rows.map((r) => ({ kind: d.kind, table, id: r.row_key, reason: r.reason })) });
  }
  if (graph?.kind === 'age') {
    const { rows } = await beating({ [label]: 'orphan_graph_edge' }, () =>
      client.query<{ source_table: string; row_key: string; reason: string; total: string }>(ageGroupSql(graph.graph, sink), sink ? [Math.max(limit, 1), sink.runId] : [Math.max(limit, 1)]),
    );
    groups.push({ kind: 'orphan_graph_edge', total: Number(rows[0]?.total ?? 0), rows: rows.map(toDefect) });
  } else if (graph?.kind === 'csv') {
    groups.push(await csvGroup(client, graph, limit, sink));
  }
  const counts: Partial<Record<DefectKind, number>> = {};
  for (const g of groups) if (g.total > 0) counts[g.kind] = (counts[g.kind] ?? 0) + g.total;
  const byKind = DEFECT_KINDS.map((k) => groups.filter((g) => g.kind === k).flatMap((g) => g.rows));
  return { defects: fairSample(byKind, limit), counts };
}

/**
 * `row_key, reason, total` of one table defect, the first $1 rows by key. With a sink ($2 run id,
 * $3 table, $4 kind) the same statement inserts every row not yet quarantined: the rows are
 * selected once (a materialized CTE) for both the insert and the count.
 */
function tableGroupSql(t: LegacyNames, d: TableDefect, sink: DefectSink): string {
  const page = `select row_key, reason, count(*) over ()::text as total from d order by row_key collate "C" limit $1`;
  if (!sink) return `with d as (${defectSelect(t, d, false)}) ${page}`;
  return `with d as materialized (${defectSelect(t, d, true)}),
    ins as (insert into stp_migration.quarantine (run_id, source_table, kind, reason, row, row_key)
            select $2, $3, $4, d.reason, d.row, d.row_key from d
             where not exists (select 1 from stp_migration.quarantine q
                                where q.run_id = $2 and q.source_table = $3 and q.row_key = d.row_key))
    ${page}`;
}

/** The AGE graph's orphan edges as tableGroupSql (with a sink: $2 run id). */
function ageGroupSql(graph: string, sink: DefectSink): string {
  const page = `select source_table, row_key, reason, count(*) over ()::text as total from d
    order by source_table collate "C", row_key collate "C" limit $1`;
  if (!sink) return `with d as (${ageOrphanEdgesSql(graph, false)}) ${page}`;
  return `with d as materialized (${ageOrphanEdgesSql(graph, true)}),
    ins as (insert into stp_migration.quarantine (run_id, source_table, kind, reason, row, row_key)
            select $2, d.source_table, 'orphan_graph_edge', d.reason, d.row, d.row_key from d)
    ${page}`;
}

const CSV_BATCH = 1000;

/** The CSV graph's orphan edges, streamed once: counted, the first `limit` kept, and with a sink inserted in batches. */
async function csvGroup(client: pg.ClientBase, source: { nodesFile: string; edgesFile: string }, limit: number, sink: DefectSink): Promise<Group> {
  const group: Group = { kind: 'orphan_graph_edge', total: 0, rows: [] };
  let batch: CsvOrphan[] = [];
  const flush = async () => {
    if (!sink || !batch.length) return;
    await client.query(
      `insert into stp_migration.quarantine (run_id, source_table, kind, reason, row, row_key)
       select $1, x.source_table, 'orphan_graph_edge', x.reason, x.row, x.row_key
         from jsonb_to_recordset($2::jsonb) as x(source_table text, row_key text, reason text, row jsonb)`,
      [sink.runId, JSON.stringify(batch)],
    );
    batch = [];
    beat({ quarantine: 'orphan_graph_edge' });
  };
  for await (const o of csvOrphanEdges(source)) {
    group.total++;
    if (group.rows.length < limit) group.rows.push(toDefect(o));
    if (sink) batch.push(o);
    if (batch.length >= CSV_BATCH) await flush();
  }
  await flush();
  return group;
}

/** Round-robin over the kinds so that one huge kind cannot hide the others. */
function fairSample(groups: Defect[][], limit: number): Defect[] {
  const out: Defect[] = [];
  for (let i = 0; out.length < limit && groups.some((g) => g.length > i); i++) {
    for (const g of groups) if (i < g.length && out.length < limit) out.push(g[i]);
  }
  const order = (d: Defect) => DEFECT_KINDS.indexOf(d.kind);
  return out.sort((a, b) => order(a) - order(b) || cmp(a.table, b.table) || cmp(a.id, b.id));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
