"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createPreflightActivities = createPreflightActivities;
const errors_1 = require("../common/errors");
const assess_1 = require("./assess");
const assess_privileges_1 = require("./assess-privileges");
const db_1 = require("./db");
const heartbeat_1 = require("./heartbeat");
const defects_1 = require("./defects");
const preconditions_1 = require("./defects/preconditions");
const legacy_columns_1 = require("./legacy-columns");
function createPreflightActivities({ pools }) {
    return (0, heartbeat_1.keepAliveAll)({
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
        async preflight({ runId, plan, defectLimit, deferDefects }) {
            const pool = pools.get(plan.database);
            try {
                return await (0, db_1.withLongSession)(pool, { runId, activity: 'preflight', signal: (0, heartbeat_1.cancellationSignal)() }, async (client) => {
                    await client.query('begin isolation level repeatable read, read only');
                    try {
                        const assessment = await (0, assess_1.readAssessment)(client, { database: plan.database, schema: plan.schema, legacy: plan.legacy, needs: (0, assess_privileges_1.needsOf)(plan) });
                        const pre = await (0, preconditions_1.checkPreconditions)(client, runId, plan, assessment);
                        const columns = await (0, legacy_columns_1.checkLegacyColumns)(client, plan);
                        assessment.warnings.push(...columns.warnings);
                        const problems = [...pre.problems, ...columns.problems];
                        if (problems.length) {
                            throw new errors_1.PreconditionError(`preflight refused the run on database ${plan.database}:\n- ${problems.join('\n- ')}`);
                        }
                        const scan = deferDefects ? { defects: [], counts: {} } : await (0, defects_1.scanDefects)(client, plan, pre.check, defectLimit ?? defects_1.DEFAULT_DEFECT_LIMIT);
                        return { assessment, defects: scan.defects, defectCounts: scan.counts, graph: pre.graph };
                    }
                    finally {
                        await client.query('rollback').catch(() => undefined);
                    }
                });
            }
            catch (err) {
                throw (0, assess_1.connectionError)(plan.database, err);
            }
        },
    });
}
//# sourceMappingURL=preflight.js.map