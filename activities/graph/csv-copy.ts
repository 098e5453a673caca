import type pg from 'pg';
import { PreconditionError } from '../../common/errors';
import type { StepInput } from '../../common/steps';
import { graphLabels, type Label } from './age';
import { EDGE_COLUMNS, NODE_COLUMNS, propertiesValue, readCsv, readCsvHeader } from './csv';

/**
 * chunk_id -> vertex entry id of a CSV load, so edges (which name chunk ids) find their endpoints
 * by index. Duplicate chunk ids in the nodes file: every record becomes a vertex, edges attach to
 * the first one.
 */
export const CSV_MAP_DDL = `create table if not exists stp_migration.graph_csv_vertices (
  run_id text not null, graph text not null, chunk_id text not null, entry bigint not null,
  primary key (run_id, graph, chunk_id))`;

/** quarantine.source_table of a CSV record is the file as the plan names it; row_key is the record number (1 = first data row). */
export const CSV_LABELS = { vertex: 'Entity', edge: 'RELATES' } as const;

interface CsvKey {
  part: 'nodes' | 'edges';
  offset: number;
  n: number;
}

/**
 * CSV to AGE: each batch parses up to `limit` records from the byte offset in the key. Record
 * number n becomes the entry id, so a replayed batch makes the same graphids and
 * `on conflict (id) do nothing` keeps it from making a second vertex or edge.
 */
export async function csvBatch(
  client: pg.PoolClient,
  { runId, plan }: StepInput,
  files: { nodesFile: string; edgesFile: string },
  afterKey: string | null,
  limit: number,
): Promise<{ rows: number; lastKey: string | null; firstKey?: string | null }> {
  const labels = new Map((await graphLabels(client, plan.graph.target)).map((l) => [l.name, l]));
  const [v, e] = [labels.get(CSV_LABELS.vertex), labels.get(CSV_LABELS.edge)];
  if (!v || !e) throw new PreconditionError(`graph "${plan.graph.target}" lacks its labels: run prepareGraph first`);
  let key: CsvKey = afterKey
    ? (JSON.parse(afterKey) as CsvKey)
    : { part: 'nodes', offset: (await readCsvHeader(files.nodesFile, NODE_COLUMNS)).dataOffset, n: 0 };
  for (;;) {
    const file = key.part === 'nodes' ? files.nodesFile : files.edgesFile;
    const { index } = await readCsvHeader(file, key.part === 'nodes' ? NODE_COLUMNS : EDGE_COLUMNS);
    const chunk = await readCsv(file, key.offset, limit);
    if (chunk.records.length > 0) {
      const col = (r: string[], c: string) => (r[index[c]] === '' ? undefined : r[index[c]]);
      const rows = chunk.records.map((r, i) => {
        const n = key.n + i + 1;
        return key.part === 'nodes'
          ? { n, chunk_id: col(r, 'chunk_id') ?? null, props: { id: col(r, 'chunk_id'), name: col(r, 'entity_name'), type: col(r, 'entity_type'), properties: propertiesValue(r[index.properties]) } }
          : { n, s: col(r, 'source_chunk_id') ?? null, t: col(r, 'target_chunk_id') ?? null, props: { type: col(r, 'relationship_type'), properties: propertiesValue(r[index.properties]) } };
      });
      const args = [JSON.stringify(rows), runId, plan.graph.target, file];
      if (key.part === 'nodes') await insertVertices(client, v, args);
      else await insertEdges(client, v, e, args);
      const last = key.n + rows.length;
      const target = key.part === 'nodes' ? v : e;
      await client.query(`select setval($1::regclass, greatest(coalesce(pg_sequence_last_value($1::regclass), 1), $2::bigint))`, [target.seq, last]);
      return { rows: rows.length, firstKey: JSON.stringify(key), lastKey: JSON.stringify({ part: key.part, offset: chunk.next, n: last } satisfies CsvKey) };
    }
    if (key.part === 'edges') return { rows: 0, lastKey: null };
    key = { part: 'edges', offset: (await readCsvHeader(files.edgesFile, EDGE_COLUMNS)).dataOffset, n: 0 };
  }
}

const notQuarantined = `not exists (select 1 from stp_migration.quarantine q
  where q.run_id = $2 and q.source_table = $4 and q.row_key = x.n::text)`;

async function insertVertices(client: pg.PoolClient, v: Label, args: unknown[]): Promise<void> {
  await client.query(
    `with x as (select * from jsonb_to_recordset($1::jsonb) as x(n bigint, chunk_id text, props jsonb) where ${notQuarantined}),
     ins as (insert into ${v.table} (id, properties)
             select ag_catalog._graphid($5, x.n), x.props::text::ag_catalog.agtype from x
             on conflict (id) do nothing)
     insert into stp_migration.graph_csv_vertices (run_id, graph, chunk_id, entry)
     select $2, $3, x.chunk_id, min(x.n) from x where x.chunk_id is not null group by x.chunk_id
     on conflict do nothing`,
    [...args, v.id],
  );
}

async function insertEdges(client: pg.PoolClient, v: Label, e: Label, args: unknown[]): Promise<void> {
  await client.query(
    `with x as (select * from jsonb_to_recordset($1::jsonb) as x(n bigint, s text, t text, props jsonb) where ${notQuarantined})
     insert into ${e.table} (id, start_id, end_id, properties)
     select ag_catalog._graphid($5, x.n), ag_catalog._graphid($6, ms.entry), ag_catalog._graphid($6, mt.entry),
            x.props::text::ag_catalog.agtype
       from x join stp_migration.graph_csv_vertices ms on ms.run_id = $2 and ms.graph = $3 and ms.chunk_id = x.s
              join stp_migration.graph_csv_vertices mt on mt.run_id = $2 and mt.graph = $3 and mt.chunk_id = x.t
     on conflict (id) do nothing`,
    [...args, e.id, v.id],
  );
}
