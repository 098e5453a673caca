import { BadInputError, PreconditionError } from '../../../common/errors';
import type { Plan } from '../../../common/plan';
import { releasePlanOf } from '../../../common/release';
import type { StepInput } from '../../../common/steps';
import { ensureBookkeeping } from '../../bookkeeping';
import { ident, qualified, withClient } from '../../db';
import { ensureIndex } from '../../schema/finish';
import { heartbeat, type ReleaseDeps } from './context';

/** The runbook's "Index Optimization" indexes, named after plan.target.chunks. */
export function extraIndexes(plan: Plan): { name: string; sql: string }[] {
  const t = plan.target.chunks;
  const table = qualified(plan.schema, t);
  const defs = [
    { name: `idx_${t}_content_search`, using: `gin (to_tsvector('english', content))` },
    { name: `idx_${t}_metadata_tags`, using: `gin ((metadata->'tags'))` },
  ];
  return defs.map(({ name, using }) => {
    if (name.length > 63) throw new BadInputError(`index name ${name} is longer than 63 characters: shorten plan.target.chunks`);
    return { name, sql: `create index concurrently ${ident(name)} on ${table} using ${using}` };
  });
}

export function createOptimizeSteps({ pools }: ReleaseDeps) {
  return {
    /**
     * ANALYZE of the target tables and the runbook's extra GIN indexes, built CONCURRENTLY (so on
     * an idle connection, never in a transaction) while blue still serves. An INVALID index left by
     * a killed build is dropped and rebuilt. Each index is recorded as created by the run before it
     * is built, so dropTargetSchema removes it on rollback; one that existed before is left alone.
     */
    async optimizeDatabase({ runId, plan }: StepInput): Promise<{ analyzed: string[]; indexes: string[]; built: string[] }> {
      const opt = releasePlanOf(plan).optimize;
      return withClient(pools.get(plan.database), async (client) => {
        const tables = [plan.target.chunks, plan.target.embeddings];
        for (const t of tables) {
          const { rows } = await client.query<{ reg: string | null }>(`select to_regclass($1)::text as reg`, [qualified(plan.schema, t)]);
          if (!rows[0].reg) throw new PreconditionError(`target table ${plan.schema}.${t} does not exist: the data steps must run first`);
        }
        const built: string[] = [];
        const indexes: string[] = [];
        if (opt.extraIndexes) {
          await ensureBookkeeping(client);
          for (const idx of extraIndexes(plan)) {
            if (await ensureIndex(client, runId, plan.schema, idx, heartbeat)) built.push(idx.name);
            indexes.push(idx.name);
          }
        }
        const analyzed: string[] = [];
        if (opt.analyze) {
          for (const t of tables) {
            heartbeat({ analyze: t });
            await client.query(`analyze ${qualified(plan.schema, t)}`);
            analyzed.push(t);
          }
        }
        return { analyzed, indexes, built };
      });
    },
  };
}
