import type pg from 'pg';
import type { Plan } from '../common/plan';
import type { StepInput } from '../common/steps';
import { ident, qualified, type Pools, withLongSession } from './db';
import { cancellationSignal, heartbeat, heartbeating, keepAliveAll } from './heartbeat';
import { ensureBookkeeping } from './bookkeeping';
import { recordCreatedObject } from './schema/created';

export { heartbeat, heartbeating } from './heartbeat';

/** The vector index's name: `<table>_vector_idx`, shortened to fit PostgreSQL's 63 bytes. */
export function vectorIndexName(table: string): string {
  return `${table.slice(0, 63 - '_vector_idx'.length)}_vector_idx`;
}

/**
 * ivfflat lists: the plan's value, else pgvector's advice (README, "IVFFlat": "a good place to
 * start is rows / 1000 for up to 1M rows and sqrt(rows) for over 1M rows"), at least 10.
 */
export function ivfflatLists(rows: number, planned?: number): number {
  if (planned) return planned;
  const derived = rows <= 1_000_000 ? Math.floor(rows / 1000) : Math.floor(Math.sqrt(rows));
  return Math.max(10, derived);
}

/**
 * maintenance_work_mem for the build: HNSW builds far faster when the graph fits in it (pgvector
 * warns otherwise). Estimated from rows x vector bytes with some room, between 64 MB and 1 GB.
 */
export function maintenanceWorkMemMb(rows: number, dim: number): number {
  const mb = Math.ceil((rows * (dim * 4 + 64) * 1.5) / (1024 * 1024));
  return Math.min(1024, Math.max(64, mb));
}

interface IndexState {
  valid: boolean;
  am: string;
}

async function indexState(client: pg.PoolClient, schema: string, name: string): Promise<IndexState | null> {
  const { rows } = await client.query<IndexState>(
    `select i.indisvalid as valid, am.amname as am
       from pg_class c join pg_index i on i.indexrelid = c.oid
       join pg_namespace n on n.oid = c.relnamespace join pg_am am on am.oid = c.relam
      where n.nspname = $1 and c.relname = $2`,
    [schema, name],
  );
  return rows[0] ?? null;
}

/** The start of the build statement, as pg_stat_activity shows it: how a retry finds a build left running. */
function indexDdlPrefix(plan: Plan, name: string): string {
  return `create index concurrently ${ident(name)} on ${qualified(plan.schema, plan.target.embeddings)} using `;
}

function indexDdl(plan: Plan, name: string, lists: number | undefined): string {
  const { kind, m, efConstruction } = plan.embeddings.index;
  const using = kind === 'hnsw'
    ? `hnsw (vector vector_cosine_ops) with (m = ${Number(m)}, ef_construction = ${Number(efConstruction)})`
    : `ivfflat (vector vector_cosine_ops) with (lists = ${Number(lists)})`;
  return `${indexDdlPrefix(plan, name)}${using}`;
}

export function createEmbeddingsActivities({ pools }: { pools: Pools }) {
  return keepAliveAll({
    /**
     * Builds the vector index after the load, CONCURRENTLY so the table stays writable. A build an
     * earlier attempt left running (its worker died; the backend goes on until the statement ends)
     * is terminated first; an INVALID index (a build that crashed or was cancelled) is dropped and
     * rebuilt; a valid one of the planned kind is kept, so a retry changes nothing. Heartbeats
     * throughout; on cancellation the build is cancelled in the server. Returns null when the plan
     * asks for none.
     */
    async buildVectorIndex({ runId, plan }: StepInput): Promise<{ index: string; kind: string; lists?: number } | null> {
      const kind = plan.embeddings.index.kind;
      if (kind === 'none') return null;
      const name = vectorIndexName(plan.target.embeddings);
      const table = qualified(plan.schema, plan.target.embeddings);
      const session = { runId, activity: 'vector-index', queryPrefix: indexDdlPrefix(plan, name), signal: cancellationSignal() };
      return withLongSession(pools.get(plan.database), session, async (client) => {
        // Two attempts of this activity (a retry while the first still builds) must not race.
        const lockKey = `stp-upgrade:index:${plan.schema}.${name}`;
        await ensureBookkeeping(client);
        await client.query('select pg_advisory_lock(hashtextextended($1, 0))', [lockKey]);
        try {
          const { rows } = await client.query<{ n: string; dim: number }>(
            `select (select count(*) from ${table})::text as n,
                    (select atttypmod from pg_attribute where attrelid = $1::regclass and attname = 'vector') as dim`,
            [table],
          );
          const count = Number(rows[0].n);
          const lists = kind === 'ivfflat' ? ivfflatLists(count, plan.embeddings.index.lists) : undefined;
          const state = await indexState(client, plan.schema, name);
          if (state?.valid && state.am === kind) return { index: name, kind, ...(lists ? { lists } : {}) };
          if (state) await client.query(`drop index concurrently if exists ${qualified(plan.schema, name)}`);
          // Recorded before the build: CREATE INDEX CONCURRENTLY cannot share a transaction with the record.
          await recordCreatedObject(client, runId, 'index', `${plan.schema}.${name}`);
          await client.query(`set maintenance_work_mem = '${maintenanceWorkMemMb(count, Math.max(1, rows[0].dim))}MB'`);
          await heartbeating({ building: name, rows: count }, () => client.query(indexDdl(plan, name, lists)));
          await client.query('reset maintenance_work_mem');
          const { rows: c } = await client.query<{ sql: string }>(
            `select format('comment on index %s is %L', $1::text, $2::text) as sql`,
            [qualified(plan.schema, name), `created by stp-upgrade run ${runId}`],
          );
          await client.query(c[0].sql);
          return { index: name, kind, ...(lists ? { lists } : {}) };
        } finally {
          // after a failed build the connection may be gone, and the lock with it: keep the build's error
          await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [lockKey]).catch(() => undefined);
        }
      });
    },
  });
}
