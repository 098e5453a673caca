import type pg from 'pg';
import { BadInputError, PreconditionError } from '../../../common/errors';
import type { Plan } from '../../../common/plan';
import type { StepInput } from '../../../common/steps';
import { ensureBookkeeping } from '../../bookkeeping';
import { ident, inTransaction, qualified, withClient } from '../../db';
import { releaseContext, type ReleaseDeps } from './context';
import { FinalizeError } from './errors';
import { brief, requestJson } from './http';

/**
 * The schema version that serves, one row: bumped by finalize to what the load balancer's health
 * reports (`components.database.schema_version` of the instance that answers), put back by
 * unfinalize. `archived` lists the legacy tables this run renamed, for unfinalize.
 */
export const SCHEMA_VERSION_DDL = `
create table if not exists stp_migration.schema_version (
  singleton boolean primary key default true check (singleton),
  version integer not null,
  previous integer,
  run_id text,
  archived jsonb not null default '[]',
  updated_at timestamptz not null default now())`;

interface VersionRow {
  version: number;
  previous: number | null;
  run_id: string | null;
  archived: Array<{ from: string; to: string }>;
}

/** Legacy tables only; `texts` is shared with the unified schema and is never archived. */
function archivePairs(plan: Plan, suffix: string): Array<{ from: string; to: string }> {
  const { texts: _shared, ...legacy } = plan.legacy;
  return Object.values(legacy).map((from) => {
    const to = `${from}${suffix}`;
    if (to.length > 63) throw new BadInputError(`archived name ${to} is longer than 63 characters: shorten plan.release.finalize.archiveSuffix`);
    return { from, to };
  });
}

async function exists(client: pg.ClientBase, schema: string, table: string): Promise<boolean> {
  const { rows } = await client.query<{ reg: string | null }>(`select to_regclass($1)::text as reg`, [qualified(schema, table)]);
  return rows[0].reg !== null;
}

/** Renames each existing `from` to `to`; a pair already renamed is skipped; both present is refused. */
async function renameAll(client: pg.ClientBase, schema: string, pairs: Array<{ from: string; to: string }>): Promise<string[]> {
  const done: string[] = [];
  for (const { from, to } of pairs) {
    const [a, b] = [await exists(client, schema, from), await exists(client, schema, to)];
    if (a && b) throw new PreconditionError(`both ${schema}.${from} and ${schema}.${to} exist; drop or rename one of them first`);
    if (a) await client.query(`alter table ${qualified(schema, from)} rename to ${ident(to)}`);
    if (a || b) done.push(to);
  }
  return done;
}

export function createFinalizeSteps(deps: ReleaseDeps) {
  return {
    /**
     * Records the schema version green serves (read through the load balancer, so it is the one
     * that actually serves) and, with finalize.legacyTables = archive, renames the legacy tables to
     * `<name><archiveSuffix>`. Idempotent; blue must be stopped before its tables are archived.
     */
    async finalize({ runId, plan }: StepInput): Promise<{ schemaVersion: number; previous: number | null; archived: string[] }> {
      const ctx = releaseContext(deps, plan);
      const green = ctx.target('green');
      const h = await requestJson(`${ctx.lbUrl.replace(/\/$/, '')}/api/v1/health`, 'GET');
      const served = Number(h.body?.components?.database?.schema_version);
      if (h.status !== 200 || h.instance !== green.instance || !Number.isInteger(served)) {
        throw new FinalizeError(`the load balancer ${ctx.lbUrl} does not serve a healthy ${green.instance} (X-STP-Instance ${h.instance ?? 'none'}, ${brief(h)}); switch traffic first`);
      }
      const archive = ctx.release.finalize.legacyTables === 'archive';
      if (archive) {
        const blue = ctx.findHandle('blue');
        if (blue && (await ctx.deployer.isRunning(blue))) {
          throw new PreconditionError(`blue (${blue.instance}) still runs on the legacy tables: stop it (blueAfterSwitch: stop) before archiving them`);
        }
      }
      return withClient(deps.pools.get(plan.database), async (client) => {
        await ensureBookkeeping(client);
        await client.query(SCHEMA_VERSION_DDL);
        return inTransaction(client, async (tx: pg.PoolClient) => {
          await tx.query(`set local lock_timeout = '10s'`);
          const { rows } = await tx.query<VersionRow>(`select version, previous, run_id, archived from stp_migration.schema_version for update`);
          const mine = rows[0]?.run_id === runId;
          const previous = mine ? rows[0].previous : (rows[0]?.version ?? null);
          const archived = archive ? await renameAll(tx, plan.schema, archivePairs(plan, ctx.release.finalize.archiveSuffix)) : [];
          const record = archivePairs(plan, ctx.release.finalize.archiveSuffix).filter((p) => archived.includes(p.to));
          await tx.query(
            `insert into stp_migration.schema_version (singleton, version, previous, run_id, archived, updated_at)
             values (true, $1, $2, $3, $4::jsonb, now())
             on conflict (singleton) do update set version = excluded.version, previous = excluded.previous,
               run_id = excluded.run_id, archived = excluded.archived, updated_at = now()`,
            [served, previous, runId, JSON.stringify(mine ? mergePairs(rows[0].archived, record) : record)],
          );
          return { schemaVersion: served, previous, archived };
        });
      });
    },

    /** Compensation of finalize: the archived tables get their names back and the previous version returns. */
    async unfinalize({ runId, plan }: StepInput): Promise<{ restored: string[]; schemaVersion: number | null }> {
      return withClient(deps.pools.get(plan.database), async (client) => {
        if (!(await exists(client, 'stp_migration', 'schema_version'))) return { restored: [], schemaVersion: null };
        return inTransaction(client, async (tx: pg.PoolClient) => {
          await tx.query(`set local lock_timeout = '10s'`);
          const { rows } = await tx.query<VersionRow>(`select version, previous, run_id, archived from stp_migration.schema_version for update`);
          if (rows[0]?.run_id !== runId) return { restored: [], schemaVersion: rows[0]?.version ?? null };
          const restored = await renameAll(tx, plan.schema, rows[0].archived.map((p) => ({ from: p.to, to: p.from })));
          if (rows[0].previous === null) {
            await tx.query(`delete from stp_migration.schema_version`);
          } else {
            await tx.query(`update stp_migration.schema_version set version = previous, previous = null, run_id = null,
              archived = '[]', updated_at = now()`);
          }
          return { restored, schemaVersion: rows[0].previous };
        });
      });
    },
  };
}

function mergePairs(a: Array<{ from: string; to: string }>, b: Array<{ from: string; to: string }>) {
  const seen = new Map([...a, ...b].map((p) => [p.to, p]));
  return [...seen.values()];
}

/** The recorded schema version, or null when finalize never ran. */
export async function readSchemaVersion(client: pg.ClientBase): Promise<number | null> {
  if (!(await exists(client, 'stp_migration', 'schema_version'))) return null;
  const { rows } = await client.query<{ version: number }>(`select version from stp_migration.schema_version`);
  return rows[0]?.version ?? null;
}
