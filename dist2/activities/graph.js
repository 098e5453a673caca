"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createGraphActivities = createGraphActivities;
const errors_1 = require("../common/errors");
const bookkeeping_1 = require("./bookkeeping");
const created_1 = require("./schema/created");
const db_1 = require("./db");
const heartbeat_1 = require("./heartbeat");
const age_1 = require("./graph/age");
const csv_copy_1 = require("./graph/csv-copy");
const csv_1 = require("./graph/csv");
function createGraphActivities({ pools }) {
    // keepAlive: creating labels and their indexes takes seconds on a big graph; heartbeat meanwhile.
    return (0, heartbeat_1.keepAliveAll)({
        /**
         * Creates the target graph and every label the source has, plus a unique index on each label
         * table's id (AGE makes none on label tables; the copy's `on conflict (id)` and the endpoint
         * lookups need it). Idempotent: a graph this run created is completed, one it did not create
         * is refused rather than merged into.
         */
        async prepareGraph({ runId, plan }) {
            return (0, db_1.withClient)(pools.get(plan.database), (client) => (0, db_1.inTransaction)(client, async () => {
                const skip = (reason) => {
                    if (plan.graph.optional)
                        return { skipped: true, reason };
                    throw new errors_1.PreconditionError(`${reason}; fix that, or set plan.graph.optional to skip the graph step`);
                };
                if (!(await (0, age_1.ageInstalled)(client)))
                    return skip(`the age extension is not installed in database "${plan.database}"`);
                await (0, age_1.useAge)(client);
                await (0, bookkeeping_1.ensureBookkeeping)(client);
                const source = plan.graph.source;
                let labels;
                if (source.kind === 'age') {
                    if (!(await (0, age_1.graphInfo)(client, source.graph)))
                        return skip(`the legacy graph "${source.graph}" does not exist`);
                    labels = (await (0, age_1.graphLabels)(client, source.graph)).filter((l) => !l.name.startsWith('_ag_label'));
                }
                else {
                    await (0, csv_1.readCsvHeader)(source.nodesFile, csv_1.NODE_COLUMNS);
                    await (0, csv_1.readCsvHeader)(source.edgesFile, csv_1.EDGE_COLUMNS);
                    labels = [{ name: csv_copy_1.CSV_LABELS.vertex, kind: 'v' }, { name: csv_copy_1.CSV_LABELS.edge, kind: 'e' }];
                    await client.query(csv_copy_1.CSV_MAP_DDL);
                }
                await createOwnedGraph(client, runId, plan.graph.target);
                const existing = new Set((await (0, age_1.graphLabels)(client, plan.graph.target)).map((l) => l.name));
                for (const l of labels) {
                    if (existing.has(l.name))
                        continue;
                    await client.query(`select ag_catalog.${l.kind === 'v' ? 'create_vlabel' : 'create_elabel'}($1, $2)`, [plan.graph.target, l.name]);
                }
                for (const l of await (0, age_1.graphLabels)(client, plan.graph.target)) {
                    if (l.name.startsWith('_ag_label'))
                        continue; // these have a primary key already
                    await client.query(`create unique index if not exists ${(0, age_1.quoteName)(`${l.name}_id_uq`.slice(0, 63))} on ${l.table} (id)`);
                }
                return { skipped: false };
            }));
        },
        /** Compensation of prepareGraph: drops the target graph only if this run created it. */
        async dropTargetGraph({ runId, plan }) {
            await (0, db_1.withClient)(pools.get(plan.database), (client) => (0, db_1.inTransaction)(client, async () => {
                if (!(await (0, age_1.ageInstalled)(client)))
                    return;
                await (0, age_1.useAge)(client);
                const info = await (0, age_1.graphInfo)(client, plan.graph.target);
                if (info && (await (0, age_1.graphOwner)(client, info.schema)) === (0, age_1.ownerComment)(runId)) {
                    await client.query(`select ag_catalog.drop_graph($1, true)`, [plan.graph.target]);
                }
                const { rows } = await client.query(`select to_regclass('stp_migration.graph_csv_vertices')::text as reg`);
                if (rows[0].reg) {
                    await client.query(`delete from stp_migration.graph_csv_vertices where run_id = $1 and graph = $2`, [runId, plan.graph.target]);
                }
            }));
        },
    });
}
async function createOwnedGraph(client, runId, graph) {
    // Two attempts of prepareGraph must not both see "absent" and both create.
    await client.query(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [`stp-upgrade:graph:${graph}`]);
    const info = await (0, age_1.graphInfo)(client, graph);
    if (info) {
        const owner = await (0, age_1.graphOwner)(client, info.schema);
        if (owner !== (0, age_1.ownerComment)(runId)) {
            throw new errors_1.PreconditionError(`graph "${graph}" already exists and was not created by this run (${owner ?? 'no stp-upgrade mark'}); ` +
                `drop it (select ag_catalog.drop_graph('${graph}', true)) or choose another plan.graph.target`);
        }
        return;
    }
    await client.query(`select ag_catalog.create_graph($1)`, [graph]);
    const created = await (0, age_1.graphInfo)(client, graph);
    const { rows } = await client.query(`select format('comment on schema %s is %L', $1::text, $2::text) as sql`, [
        created.schema,
        (0, age_1.ownerComment)(runId),
    ]);
    await client.query(rows[0].sql);
    await (0, created_1.recordCreatedObject)(client, runId, 'graph', graph);
}
//# sourceMappingURL=graph.js.map