import type pg from 'pg';
import { PreconditionError } from '../common/errors';
import type { StepInput } from '../common/steps';
import { ensureBookkeeping } from './bookkeeping';
import { recordCreatedObject } from './schema/created';
import { inTransaction, type Pools, withClient } from './db';
import { keepAliveAll } from './heartbeat';
import { ageInstalled, graphInfo, graphLabels, graphOwner, ownerComment, quoteName, useAge } from './graph/age';
import { CSV_LABELS, CSV_MAP_DDL } from './graph/csv-copy';
import { EDGE_COLUMNS, NODE_COLUMNS, readCsvHeader } from './graph/csv';

export function createGraphActivities({ pools }: { pools: Pools }) {
  // keepAlive: creating labels and their indexes takes seconds on a big graph; heartbeat meanwhile.
  return keepAliveAll({
    /**
     * Creates the target graph and every label the source has, plus a unique index on each label
     * table's id (AGE makes none on label tables; the copy's `on conflict (id)` and the endpoint
     * lookups need it). Idempotent: a graph this run created is completed, one it did not create
     * is refused rather than merged into.
     */
    async prepareGraph({ runId, plan }: StepInput): Promise<{ skipped: boolean; reason?: string }> {
      return withClient(pools.get(plan.database), (client) =>
        inTransaction(client, async () => {
          const skip = (reason: string) => {
            if (plan.graph.optional) return { skipped: true, reason };
            throw new PreconditionError(`${reason}; fix that, or set plan.graph.optional to skip the graph step`);
          };
          if (!(await ageInstalled(client))) return skip(`the age extension is not installed in database "${plan.database}"`);
          await useAge(client);
          await ensureBookkeeping(client);
          const source = plan.graph.source;
          let labels: { name: string; kind: 'v' | 'e' }[];
          if (source.kind === 'age') {
            if (!(await graphInfo(client, source.graph))) return skip(`the legacy graph "${source.graph}" does not exist`);
            labels = (await graphLabels(client, source.graph)).filter((l) => !l.name.startsWith('_ag_label'));
          } else {
            await readCsvHeader(source.nodesFile, NODE_COLUMNS);
            await readCsvHeader(source.edgesFile, EDGE_COLUMNS);
            labels = [{ name: CSV_LABELS.vertex, kind: 'v' }, { name: CSV_LABELS.edge, kind: 'e' }];
            await client.query(CSV_MAP_DDL);
          }
          await createOwnedGraph(client, runId, plan.graph.target);
          const existing = new Set((await graphLabels(client, plan.graph.target)).map((l) => l.name));
          for (const l of labels) {
            if (existing.has(l.name)) continue;
            await client.query(`select ag_catalog.${l.kind === 'v' ? 'create_vlabel' : 'create_elabel'}($1, $2)`, [plan.graph.target, l.name]);
          }
          for (const l of await graphLabels(client, plan.graph.target)) {
            if (l.name.startsWith('_ag_label')) continue; // these have a primary key already
            await client.query(`create unique index if not exists ${quoteName(`${l.name}_id_uq`.slice(0, 63))} on ${l.table} (id)`);
          }
          return { skipped: false };
        }),
      );
    },

    /** Compensation of prepareGraph: drops the target graph only if this run created it. */
    async dropTargetGraph({ runId, plan }: StepInput): Promise<void> {
      await withClient(pools.get(plan.database), (client) =>
        inTransaction(client, async () => {
          if (!(await ageInstalled(client))) return;
          await useAge(client);
          const info = await graphInfo(client, plan.graph.target);
          if (info && (await graphOwner(client, info.schema)) === ownerComment(runId)) {
            await client.query(`select ag_catalog.drop_graph($1, true)`, [plan.graph.target]);
          }
          const { rows } = await client.query<{ reg: string | null }>(`select to_regclass('stp_migration.graph_csv_vertices')::text as reg`);
          if (rows[0].reg) {
            await client.query(`delete from stp_migration.graph_csv_vertices where run_id = $1 and graph = $2`, [runId, plan.graph.target]);
          }
        }),
      );
    },
  });
}

async function createOwnedGraph(client: pg.PoolClient, runId: string, graph: string): Promise<void> {
  // Two attempts of prepareGraph must not both see "absent" and both create.
  await client.query(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [`stp-upgrade:graph:${graph}`]);
  const info = await graphInfo(client, graph);
  if (info) {
    const owner = await graphOwner(client, info.schema);
    if (owner !== ownerComment(runId)) {
      throw new PreconditionError(
        `graph "${graph}" already exists and was not created by this run (${owner ?? 'no stp-upgrade mark'}); ` +
          `drop it (select ag_catalog.drop_graph('${graph}', true)) or choose another plan.graph.target`,
      );
    }
    return;
  }
  await client.query(`select ag_catalog.create_graph($1)`, [graph]);
  const created = await graphInfo(client, graph);
  const { rows } = await client.query<{ sql: string }>(`select format('comment on schema %s is %L', $1::text, $2::text) as sql`, [
    created!.schema,
    ownerComment(runId),
  ]);
  await client.query(rows[0].sql);
  await recordCreatedObject(client, runId, 'graph', graph);
}
