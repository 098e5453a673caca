import type pg from 'pg';
import { PreconditionError } from '../common/errors';
import type { Plan } from '../common/plan';
import type { StepInput } from '../common/steps';
import { ensureBookkeeping } from './bookkeeping';
import { cancellationSignal, heartbeat as safeHeartbeat, keepAliveAll } from './heartbeat';
import { ident, inTransaction, type Pools, qualified, relationExists, withClient, withLongSession } from './db';
import { dropStages } from './rules/stage';
import { catchUpForward } from './sync';
import { createdObjects, recordCreatedObject } from './schema/created';
import { chunksTableDdl, embeddingsTableDdl, legacyVectorType } from './schema/ddl';
import { analyzeTargets, ensureForeignKeys, ensureIndexes } from './schema/finish';

const COPY_TABLE_RULES = ['chunks', 'templates', 'slots', 'tags', 'embeddings'];

function tableExists(client: pg.ClientBase, schema: string, table: string): Promise<boolean> {
  return relationExists(client, qualified(schema, table));
}

function targetTables(plan: Plan): string[] {
  return [plan.target.chunks, plan.target.embeddings];
}

export function createSchemaActivities({ pools }: { pools: Pools }) {
  return keepAliveAll({
    /**
     * Creates the target tables, each in one transaction with its created_objects record. A table
     * that exists is accepted only when this run created it (a retry); anything else is refused.
     */
    async createTargetSchema({ runId, plan }: StepInput): Promise<{ created: string[] }> {
      return withClient(pools.get(plan.database), async (client) => {
        await ensureBookkeeping(client);
        const vectorType = await legacyVectorType(client, plan);
        const ddl: Record<string, string> = {
          [plan.target.chunks]: chunksTableDdl(plan),
          [plan.target.embeddings]: embeddingsTableDdl(plan, vectorType),
        };
        for (const table of targetTables(plan)) {
          const name = `${plan.schema}.${table}`;
          await inTransaction(client, async (tx) => {
            await tx.query(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [`stp-upgrade:schema:${name}`]);
            if (await tableExists(tx, plan.schema, table)) {
              const mine = (await createdObjects(tx, runId)).some((o) => o.kind === 'table' && o.name === name);
              if (!mine) throw new PreconditionError(`table ${name} already exists and was not created by run ${runId}; drop or rename it, or choose plan.target names`);
              return;
            }
            await tx.query(ddl[table]);
            await recordCreatedObject(tx, runId, 'table', name);
          });
        }
        return { created: targetTables(plan) };
      });
    },

    /** Compensation: drops exactly what this run recorded, in reverse, and its copy checkpoints. */
    async dropTargetSchema({ runId, plan }: StepInput): Promise<void> {
      await withClient(pools.get(plan.database), async (client) => {
        if (!(await tableExists(client, 'stp_migration', 'runs'))) return;
        const objs = (await createdObjects(client, runId)).reverse();
        const legacy = new Set(Object.values(plan.legacy).map((t) => `${plan.schema}.${t}`));
        const targets = new Set(targetTables(plan).map((t) => `${plan.schema}.${t}`));
        await inTransaction(client, async (tx) => {
          await tx.query(`set local lock_timeout = '30s'`);
          for (const o of objs.filter((x) => x.kind === 'constraint')) {
            const [schema, table, name] = o.name.split('.');
            await tx.query(`alter table if exists ${qualified(schema, table)} drop constraint if exists ${ident(name)}`);
          }
          for (const o of objs.filter((x) => x.kind === 'index')) {
            const [schema, name] = o.name.split('.');
            await tx.query(`drop index if exists ${qualified(schema, name)}`);
          }
          for (const o of objs.filter((x) => x.kind === 'table' && targets.has(x.name) && !legacy.has(x.name))) {
            const [schema, name] = o.name.split('.');
            await tx.query(`drop table if exists ${qualified(schema, name)}`);
          }
          // The copied rows are gone, so their checkpoints must go too or a rerun would skip them.
          await dropStages(tx, runId);
          // A rule's key ranges ('chunks#1', activities/copy-ranges.ts) go with it.
          await tx.query(`delete from stp_migration.checkpoints where run_id = $1 and split_part(rule, '#', 1) = any($2)`, [runId, COPY_TABLE_RULES]);
          await tx.query(`delete from stp_migration.batches where run_id = $1 and split_part(rule, '#', 1) = any($2)`, [runId, COPY_TABLE_RULES]);
        });
      });
    },

    /**
     * After the copy: the runbook's indexes (CONCURRENTLY, outside any transaction), then the FKs.
     * Long statements in a tagged session: a retry terminates what an earlier attempt left running
     * (a VALIDATE holding its lock, an index build), heartbeats throughout, cancels on cancellation.
     */
    async finishTargetSchema({ runId, plan }: StepInput): Promise<{ indexes: string[]; constraints: string[] }> {
      const session = { runId, activity: 'finish-schema', signal: cancellationSignal() };
      return withLongSession(pools.get(plan.database), session, async (client) => {
        await ensureBookkeeping(client);
        for (const table of targetTables(plan)) {
          if (!(await tableExists(client, plan.schema, table))) {
            throw new PreconditionError(`target table ${plan.schema}.${table} does not exist: run the schema step first`);
          }
        }
        const indexes = await ensureIndexes(client, runId, plan, safeHeartbeat);
        const constraints = await ensureForeignKeys(client, runId, plan, safeHeartbeat, () => catchUpForward(pools.get(plan.database), client, runId, plan));
        await analyzeTargets(client, plan, safeHeartbeat);
        return { indexes, constraints };
      });
    },
  });
}
