import type { PreflightResult, StepInput } from '../common/steps';
import { PreconditionError } from '../common/errors';
import { connectionError, readAssessment } from './assess';
import { needsOf } from './assess-privileges';
import { type Pools, withLongSession } from './db';
import { cancellationSignal, keepAliveAll } from './heartbeat';
import { DEFAULT_DEFECT_LIMIT, scanDefects } from './defects';
import { checkPreconditions } from './defects/preconditions';
import { checkLegacyColumns } from './legacy-columns';
import { releaseConfigProblem } from './release/config';

export function createPreflightActivities({ pools }: { pools: Pools }) {
  return keepAliveAll({
    /**
     * The assessment plus every legacy defect of contract section 4 (complete counts per kind, at
     * most `defectLimit` listed). Read-only: one repeatable-read, read-only transaction.
     *
     * Throws PreconditionError (every problem with its fix) when a legacy table or the vector
     * extension is missing, AGE or the legacy graph is missing and plan.graph.optional is false,
     * a target table or graph exists that this run did not create, or another run is active.
     * Defects never make it throw: it returns them, and the workflow decides (policy `block`:
     * it fails the run with DefectsFoundError and describeDefects()), so the full list reaches the
     * workflow's progress. With `deferDefects` (policy `quarantine`) it lists none: the defects
     * are detected once, by quarantineDefects under the forward capture, which must re-detect
     * anyway (rows change between this snapshot and the capture) and reports them then.
     * Heartbeats throughout; after a crash it is simply redone (an earlier attempt's scan still
     * running is terminated first).
     */
    async preflight({ runId, plan, defectLimit, deferDefects }: StepInput & { defectLimit?: number; deferDefects?: boolean }): Promise<PreflightResult> {
      const pool = pools.get(plan.database);
      try {
        return await withLongSession(pool, { runId, activity: 'preflight', signal: cancellationSignal() }, async (client) => {
          await client.query('begin isolation level repeatable read, read only');
          try {
            const assessment = await readAssessment(client, { database: plan.database, schema: plan.schema, legacy: plan.legacy, needs: needsOf(plan) });
            const pre = await checkPreconditions(client, runId, plan, assessment);
            const columns = await checkLegacyColumns(client, plan);
            assessment.warnings.push(...columns.warnings);
            const problems = [...pre.problems, ...columns.problems, ...releaseConfigProblems(plan)];
            if (problems.length) {
              throw new PreconditionError(`preflight refused the run on database ${plan.database}:\n- ${problems.join('\n- ')}`);
            }
            const scan = deferDefects ? { defects: [], counts: {} } : await scanDefects(client, plan, pre.check, defectLimit ?? DEFAULT_DEFECT_LIMIT);
            return { assessment, defects: scan.defects, defectCounts: scan.counts, graph: pre.graph };
          } finally {
            await client.query('rollback').catch(() => undefined);
          }
        });
      } catch (err) {
        throw connectionError(plan.database, err);
      }
    },
  });
}

/** The new config.yaml green will run with, checked before anything changes (deploy checks it again). */
function releaseConfigProblems(plan: StepInput['plan']): string[] {
  if (!plan.release || !plan.steps.includes('deploy')) return [];
  const problem = releaseConfigProblem(plan.release);
  return problem ? [problem] : [];
}
