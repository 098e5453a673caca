import { Context } from '@temporalio/activity';
import { BadInputError } from '../common/errors';
import { parsePlan, type Plan } from '../common/plan';
import { type Pools, withClient } from './db';
import { BOOKKEEPING_OBJECT } from './runs';

export interface LoadedRun {
  status: string;
  plan: Plan;
  createdBookkeeping: boolean;
}

/**
 * What the standalone rollback needs to know about an upgrade run: its record in the database
 * (status and the plan it ran with) and its workflow's status in Temporal.
 */
export function createRollbackActivities({ pools }: { pools: Pools }) {
  return {
    /**
     * The run's row in stp_migration.runs, or null when there is none (a rolled-back run forgets
     * itself). createdBookkeeping: the run created stp_migration (acquireRun recorded it in the
     * row's created_objects), so undoing the run drops the schema once no other run is in it.
     */
    async loadRun({ database, runId }: { database: string; runId: string }): Promise<LoadedRun | null> {
      return withClient(pools.get(database), async (client) => {
        const { rows: ok } = await client.query<{ reg: string | null }>(`select to_regclass('stp_migration.runs')::text as reg`);
        if (!ok[0].reg) return null;
        const { rows } = await client.query<{ status: string; plan: unknown; created: boolean }>(
          `select status, plan, created_objects @> $2::jsonb as created from stp_migration.runs where run_id = $1`,
          [runId, JSON.stringify([BOOKKEEPING_OBJECT])],
        );
        if (!rows[0]) return null;
        const parsed = parsePlan(rows[0].plan);
        if (!parsed.ok) throw new BadInputError(`the stored plan of run ${runId} is not valid for this version:\n  ${parsed.errors.join('\n  ')}`);
        return { status: rows[0].status, plan: parsed.plan, createdBookkeeping: rows[0].created };
      });
    },

    /** RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, ... or NOT_FOUND, through the worker's own client. */
    async describeUpgrade({ workflowId }: { workflowId: string }): Promise<{ status: string }> {
      try {
        const d = await Context.current().client.workflow.getHandle(workflowId).describe();
        return { status: d.status.name };
      } catch (err) {
        if ((err as Error).name === 'WorkflowNotFoundError') return { status: 'NOT_FOUND' };
        throw err;
      }
    },
  };
}

export type RollbackActivities = ReturnType<typeof createRollbackActivities>;
