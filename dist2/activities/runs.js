"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.BOOKKEEPING_OBJECT = exports.ACTIVE_STATUSES = exports.recordCreatedObject = exports.createdObjects = void 0;
exports.createRunActivities = createRunActivities;
const errors_1 = require("../common/errors");
const bookkeeping_1 = require("./bookkeeping");
const db_1 = require("./db");
var created_1 = require("./schema/created");
Object.defineProperty(exports, "createdObjects", { enumerable: true, get: function () { return created_1.createdObjects; } });
Object.defineProperty(exports, "recordCreatedObject", { enumerable: true, get: function () { return created_1.recordCreatedObject; } });
/** Statuses that hold the lease (the partial unique index runs_one_active enforces one). */
exports.ACTIVE_STATUSES = ['running', 'rolling_back'];
/** created_objects entry marking that this run created stp_migration itself. */
exports.BOOKKEEPING_OBJECT = { kind: 'schema', name: 'stp_migration' };
/** Serialises lease changes per database; held to the end of the transaction. */
async function lockLease(client) {
    await client.query(`select pg_advisory_xact_lock(hashtextextended('stp-upgrade:' || current_database(), 0))`);
}
async function bookkeepingExists(client) {
    const { rows } = await client.query(`select to_regnamespace('stp_migration') is not null as ok`);
    return rows[0].ok;
}
/** Every stp_migration table with a run_id column (other families add their own, e.g. graph maps). */
async function runTables(client) {
    const { rows } = await client.query(`select c.oid::regclass::text as t
       from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attname = 'run_id' and not a.attisdropped
      where c.relnamespace = 'stp_migration'::regnamespace and c.relkind in ('r', 'p')`);
    return rows.map((r) => r.t);
}
function createRunActivities({ pools }) {
    return {
        /**
         * The run lease: at most one active run per database. Creates stp_migration when absent and
         * records the run as `running`. Idempotent for the same run id (a retry keeps the row and
         * still answers createdBookkeeping truthfully, from the row); a finished run id started
         * again starts from a clean slate. PreconditionError names the run that holds the lease.
         */
        async acquireRun({ runId, plan, workflowId }) {
            return (0, db_1.withClient)(pools.get(plan.database), (client) => (0, db_1.inTransaction)(client, async (tx) => {
                await lockLease(tx);
                const existed = await bookkeepingExists(tx);
                await (0, bookkeeping_1.ensureBookkeeping)(tx);
                const { rows: active } = await tx.query(`select run_id, workflow_id, status, started_at from stp_migration.runs
              where status = any($2::text[]) and run_id <> $1`, [runId, exports.ACTIVE_STATUSES]);
                if (active.length) {
                    const r = active[0];
                    throw new errors_1.PreconditionError(`another upgrade run is active on database ${plan.database}: run ${r.run_id} (workflow ${r.workflow_id ?? r.run_id}, ` +
                        `${r.status} since ${r.started_at.toISOString()}); wait for it to finish or abort it`);
                }
                // A finished run id started again (a reused workflow id) starts clean: its old checkpoints
                // would make the copy skip work, its old quarantine would hide rows.
                const { rows: old } = await tx.query(`select status from stp_migration.runs where run_id = $1`, [runId]);
                if (old.length && !exports.ACTIVE_STATUSES.includes(old[0].status)) {
                    for (const t of await runTables(tx))
                        if (t !== 'stp_migration.runs')
                            await tx.query(`delete from ${t} where run_id = $1`, [runId]);
                }
                const mark = JSON.stringify(existed ? [] : [exports.BOOKKEEPING_OBJECT]);
                const { rows } = await tx.query(`insert into stp_migration.runs as r (run_id, workflow_id, status, plan, created_objects)
             values ($1, $2, 'running', $3, $4::jsonb)
             on conflict (run_id) do update
               set status = 'running', workflow_id = excluded.workflow_id, plan = excluded.plan,
                   created_objects = case when r.status = any($5::text[]) then r.created_objects else excluded.created_objects end,
                   report = case when r.status = any($5::text[]) then r.report end,
                   finished_at = null,
                   started_at = case when r.status = any($5::text[]) then r.started_at else now() end
             returning created_objects @> $6::jsonb as created`, [runId, workflowId, JSON.stringify(plan), mark, exports.ACTIVE_STATUSES, JSON.stringify([exports.BOOKKEEPING_OBJECT])]).catch((err) => {
                    // a row written without the lease lock (recordCreatedObject of a step run on its own)
                    if (err.code === '23505' && err.constraint === 'runs_one_active') {
                        throw new errors_1.PreconditionError(`another upgrade run is active on database ${plan.database}; wait for it to finish or abort it`);
                    }
                    throw err;
                });
                return { createdBookkeeping: rows[0].created };
            }));
        },
        /** Marks the run finished (completed | rolled_back | rollback_failed) or rolling_back, with its report. */
        async releaseRun({ runId, plan, status, report }) {
            await (0, db_1.withClient)(pools.get(plan.database), async (client) => {
                if (!(await bookkeepingExists(client)))
                    return;
                await (0, bookkeeping_1.ensureBookkeeping)(client);
                await client.query(`update stp_migration.runs
              set status = $2, report = coalesce($3::jsonb, report),
                  finished_at = case when $2 = any($4::text[]) then null else coalesce(finished_at, now()) end
            where run_id = $1`, [runId, status, report === undefined ? null : JSON.stringify(report), exports.ACTIVE_STATUSES]);
            });
        },
        /**
         * Compensation of acquireRun: removes the run's rows from every bookkeeping table; with
         * dropBookkeeping (this run created stp_migration) drops the schema once no run is left in it.
         */
        async forgetRun({ runId, plan, dropBookkeeping }) {
            await (0, db_1.withClient)(pools.get(plan.database), (client) => (0, db_1.inTransaction)(client, async (tx) => {
                await lockLease(tx);
                if (!(await bookkeepingExists(tx)))
                    return;
                await (0, bookkeeping_1.ensureBookkeeping)(tx);
                for (const t of await runTables(tx))
                    await tx.query(`delete from ${t} where run_id = $1`, [runId]);
                if (!dropBookkeeping)
                    return;
                const { rows } = await tx.query(`select count(*)::int as n from stp_migration.runs`);
                if (rows[0].n === 0)
                    await tx.query(`drop schema stp_migration cascade`);
            }));
        },
    };
}
//# sourceMappingURL=runs.js.map