"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createRollbackActivities = createRollbackActivities;
const activity_1 = require("@temporalio/activity");
const errors_1 = require("../common/errors");
const plan_1 = require("../common/plan");
const db_1 = require("./db");
const runs_1 = require("./runs");
/**
 * What the standalone rollback needs to know about an upgrade run: its record in the database
 * (status and the plan it ran with) and its workflow's status in Temporal.
 */
function createRollbackActivities({ pools }) {
    return {
        /**
         * The run's row in stp_migration.runs, or null when there is none (a rolled-back run forgets
         * itself). createdBookkeeping: the run created stp_migration (acquireRun recorded it in the
         * row's created_objects), so undoing the run drops the schema once no other run is in it.
         */
        async loadRun({ database, runId }) {
            return (0, db_1.withClient)(pools.get(database), async (client) => {
                const { rows: ok } = await client.query(`select to_regclass('stp_migration.runs')::text as reg`);
                if (!ok[0].reg)
                    return null;
                const { rows } = await client.query(`select status, plan, created_objects @> $2::jsonb as created from stp_migration.runs where run_id = $1`, [runId, JSON.stringify([runs_1.BOOKKEEPING_OBJECT])]);
                if (!rows[0])
                    return null;
                const parsed = (0, plan_1.parsePlan)(rows[0].plan);
                if (!parsed.ok)
                    throw new errors_1.BadInputError(`the stored plan of run ${runId} is not valid for this version:\n  ${parsed.errors.join('\n  ')}`);
                return { status: rows[0].status, plan: parsed.plan, createdBookkeeping: rows[0].created };
            });
        },
        /** RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, ... or NOT_FOUND, through the worker's own client. */
        async describeUpgrade({ workflowId }) {
            try {
                const d = await activity_1.Context.current().client.workflow.getHandle(workflowId).describe();
                return { status: d.status.name };
            }
            catch (err) {
                if (err.name === 'WorkflowNotFoundError')
                    return { status: 'NOT_FOUND' };
                throw err;
            }
        },
    };
}
//# sourceMappingURL=rollback.js.map