import type pg from 'pg';
import type { Plan } from '../../common/plan';
import { DEFECT_KINDS, type Defect, type DefectKind } from '../../common/steps';
import { beating } from './beat';
import { defectSelect, legacyNames, setDefaultModel } from './context';
import { ageOrphanEdgesSql, csvOrphanEdges, toDefect } from './graph';
import { tuneForHierarchy } from './hierarchy';
import { tableDefects } from './tables';

export { tableDefects } from './tables';
export { cycleSql, tuneForHierarchy } from './hierarchy';
export { ageGraphExists, ageOrphanEdgesSql, csvOrphanEdges } from './graph';
export { defectSelect, legacyNames, setDefaultModel, type LegacyNames, type TableDefect } from './context';

/** Which legacy graph to check: an AGE graph, the CSV files, or none (skipped). */
export type GraphCheck = { kind: 'age'; graph: string } | { kind: 'csv'; nodesFile: string; edgesFile: string } | null;

export interface DefectScan {
  defects: Defect[];
  counts: Partial<Record<DefectKind, number>>;
}

/**
 * Every defect of contract section 4: complete counts per kind, and a sample of at most `limit`
 * rows shared fairly between the kinds. Read-only; call inside one repeatable-read
 * transaction so that all counts come from one snapshot.
 */
export async function scanDefects(client: pg.ClientBase, plan: Plan, graph: GraphCheck, limit: number): Promise<DefectScan> {
  const t = legacyNames(plan);
  await setDefaultModel(client, plan.embeddings.defaultModel);
  await tuneForHierarchy(client, t);
  const groups: { kind: DefectKind; total: number; rows: Defect[] }[] = [];
  for (const d of tableDefects(t)) {
    const { rows } = await beating({ preflight: d.kind, table: t.name[d.role] }, () =>
      client.query<{ row_key: string; reason: string; total: string }>(
        `select row_key, reason, count(*) over ()::text as total from (${defectSelect(t, d, false)}) d
          order by row_key collate "C" limit $1`,
        [Math.max(limit, 1)],
      ),
    );
    const total = Number(rows[0]?.total ?? 0);
    groups.push({ kind: d.kind, total, rows: rows.map((r) => ({ kind: d.kind, table: t.name[d.role], id: r.row_key, reason: r.reason })) });
  }
  if (graph?.kind === 'age') {
    const { rows } = await beating({ preflight: 'orphan_graph_edge' }, () =>
      client.query<{ source_table: string; row_key: string; reason: string; total: string }>(
        `select *, count(*) over ()::text as total from (${ageOrphanEdgesSql(graph.graph, false)}) d
          order by source_table collate "C", row_key collate "C" limit $1`,
        [Math.max(limit, 1)],
      ),
    );
    groups.push({ kind: 'orphan_graph_edge', total: Number(rows[0]?.total ?? 0), rows: rows.map(toDefect) });
  } else if (graph?.kind === 'csv') {
    const rows: Defect[] = [];
    let total = 0;
    for await (const o of csvOrphanEdges(graph)) {
      total++;
      if (rows.length < limit) rows.push(toDefect(o));
    }
    groups.push({ kind: 'orphan_graph_edge', total, rows });
  }
  const counts: Partial<Record<DefectKind, number>> = {};
  for (const g of groups) if (g.total > 0) counts[g.kind] = (counts[g.kind] ?? 0) + g.total;
  const byKind = DEFECT_KINDS.map((k) => groups.filter((g) => g.kind === k).flatMap((g) => g.rows));
  return { defects: fairSample(byKind, limit), counts };
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
