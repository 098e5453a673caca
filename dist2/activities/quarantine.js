"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.quarantinedKeySql = quarantinedKeySql;
exports.createQuarantineActivities = createQuarantineActivities;
const bookkeeping_1 = require("./bookkeeping");
const db_1 = require("./db");
const heartbeat_1 = require("./heartbeat");
const defects_1 = require("./defects");
const beat_1 = require("./defects/beat");
const cascade_1 = require("./defects/cascade");
const graph_1 = require("./defects/graph");
/**
 * stp_migration.quarantine, one row per legacy row that is not migrated (contract section 4):
 *  - source_table: the legacy table's name as in plan.legacy (not schema-qualified); AGE graph rows
 *    `<graph>.<label>`; CSV edge records the edges file as the plan names it.
 *  - row_key: the legacy id as lowercase text; tags `chunk_id || '|' || tag_content`; AGE rows the
 *    graphid as text; CSV records the record number (1 = first data row).
 *  - kind: the first of the row's defect kinds in contract order, or `cascade` (reason names the
 *    quarantined row it hangs off). row: to_jsonb of the legacy row (CSV: the record by header).
 * The copy rules skip a row with `not exists (… q.run_id = $run and q.source_table = $table and
 * q.row_key = <key>)`: see quarantinedKeySql.
 */
function quarantinedKeySql(runIdParam, sourceTableParam, keyExpr) {
    return `exists (select 1 from stp_migration.quarantine q
                   where q.run_id = ${runIdParam} and q.source_table = ${sourceTableParam} and q.row_key = ${keyExpr})`;
}
function createQuarantineActivities({ pools }) {
    return (0, heartbeat_1.keepAliveAll)({
        /**
         * Policy `quarantine`: detects every legacy defect and writes each defective row and its
         * cascade, in one transaction that first deletes the run's earlier rows, so a retry leaves
         * exactly the same rows. This is the run's only defect detection under this policy (preflight
         * leaves it here): it runs after the forward capture is installed, so a row written or deleted
         * before that (a new defect, or a parent deleted under an untouched child) is seen here, and
         * every later write is the replay's. Returns the defects as preflight reports them (complete
         * counts per kind, a sample of at most `defectLimit`) and the rows quarantined per kind.
         * An earlier attempt's transaction still running (its worker died) is terminated first, so its
         * lock does not hold the retry up. Policy `block`: does nothing and returns nothing found.
         */
        async quarantineDefects({ runId, plan, defectLimit }) {
            if (plan.defects.policy !== 'quarantine')
                return { quarantined: {}, defects: [], defectCounts: {} };
            const session = { runId, activity: 'quarantine', signal: (0, heartbeat_1.cancellationSignal)() };
            return (0, db_1.withLongSession)(pools.get(plan.database), session, async (client) => {
                await (0, bookkeeping_1.ensureBookkeeping)(client);
                const graph = await graphToCheck(client, plan);
                const result = await (0, db_1.inTransaction)(client, async (tx) => {
                    await tx.query(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [`stp-upgrade:quarantine:${runId}`]);
                    await tx.query(`delete from stp_migration.quarantine where run_id = $1`, [runId]);
                    // to_jsonb prints timestamptz in the session's zone: fix it so a retry on any worker writes the same bytes
                    await tx.query(`set local timezone = 'UTC'`);
                    const scan = await (0, defects_1.scanDefects)(tx, plan, graph, defectLimit ?? defects_1.DEFAULT_DEFECT_LIMIT, { runId });
                    for (const c of (0, cascade_1.cascadeInserts)((0, defects_1.legacyNames)(plan)))
                        await (0, beat_1.beating)({ quarantine: 'cascade', of: c.what }, () => tx.query(c.sql, [runId]));
                    const { rows } = await tx.query(`select kind, count(*)::int as n from stp_migration.quarantine where run_id = $1 group by kind order by kind`, [runId]);
                    return { quarantined: Object.fromEntries(rows.map((r) => [r.kind, r.n])), defects: scan.defects, defectCounts: scan.counts };
                });
                // The copy rules anti-join on this table: without fresh statistics the planner scans it once per row.
                await client.query('analyze stp_migration.quarantine');
                return result;
            });
        },
        /** Compensation of quarantineDefects: deletes this run's quarantine rows. */
        async clearQuarantine({ runId, plan }) {
            await (0, db_1.withClient)(pools.get(plan.database), async (client) => {
                const { rows } = await client.query(`select to_regclass('stp_migration.quarantine') is not null as ok`);
                if (rows[0].ok)
                    await client.query(`delete from stp_migration.quarantine where run_id = $1`, [runId]);
            });
        },
    });
}
/** The legacy graph quarantine reads: the AGE graph when it exists, the CSV files when readable. */
async function graphToCheck(client, plan) {
    const src = plan.graph.source;
    if (src.kind === 'csv')
        return { kind: 'csv', nodesFile: src.nodesFile, edgesFile: src.edgesFile };
    const { rows } = await client.query(`select count(*)::int as n from pg_extension where extname = 'age'`);
    return rows[0].n > 0 && (await (0, graph_1.ageGraphExists)(client, src.graph)) ? { kind: 'age', graph: src.graph } : null;
}
//# sourceMappingURL=quarantine.js.map