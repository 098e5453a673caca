"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createSchemaActivities = createSchemaActivities;
const errors_1 = require("../common/errors");
const bookkeeping_1 = require("./bookkeeping");
const heartbeat_1 = require("./heartbeat");
const db_1 = require("./db");
const stage_1 = require("./rules/stage");
const sync_1 = require("./sync");
const created_1 = require("./schema/created");
const ddl_1 = require("./schema/ddl");
const finish_1 = require("./schema/finish");
const COPY_TABLE_RULES = ['chunks', 'templates', 'slots', 'tags', 'embeddings'];
function tableExists(client, schema, table) {
    return (0, db_1.relationExists)(client, (0, db_1.qualified)(schema, table));
}
function targetTables(plan) {
    return [plan.target.chunks, plan.target.embeddings];
}
function createSchemaActivities({ pools }) {
    return (0, heartbeat_1.keepAliveAll)({
        /**
         * Creates the target tables, each in one transaction with its created_objects record. A table
         * that exists is accepted only when this run created it (a retry); anything else is refused.
         */
        async createTargetSchema({ runId, plan }) {
            return (0, db_1.withClient)(pools.get(plan.database), async (client) => {
                await (0, bookkeeping_1.ensureBookkeeping)(client);
                const vectorType = await (0, ddl_1.legacyVectorType)(client, plan);
                const ddl = {
                    [plan.target.chunks]: (0, ddl_1.chunksTableDdl)(plan),
                    [plan.target.embeddings]: (0, ddl_1.embeddingsTableDdl)(plan, vectorType),
                };
                for (const table of targetTables(plan)) {
                    const name = `${plan.schema}.${table}`;
                    await (0, db_1.inTransaction)(client, async (tx) => {
                        await tx.query(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [`stp-upgrade:schema:${name}`]);
                        if (await tableExists(tx, plan.schema, table)) {
                            const mine = (await (0, created_1.createdObjects)(tx, runId)).some((o) => o.kind === 'table' && o.name === name);
                            if (!mine)
                                throw new errors_1.PreconditionError(`table ${name} already exists and was not created by run ${runId}; drop or rename it, or choose plan.target names`);
                            return;
                        }
                        await tx.query(ddl[table]);
                        await (0, created_1.recordCreatedObject)(tx, runId, 'table', name);
                    });
                }
                return { created: targetTables(plan) };
            });
        },
        /** Compensation: drops exactly what this run recorded, in reverse, and its copy checkpoints. */
        async dropTargetSchema({ runId, plan }) {
            await (0, db_1.withClient)(pools.get(plan.database), async (client) => {
                if (!(await tableExists(client, 'stp_migration', 'runs')))
                    return;
                const objs = (await (0, created_1.createdObjects)(client, runId)).reverse();
                const legacy = new Set(Object.values(plan.legacy).map((t) => `${plan.schema}.${t}`));
                const targets = new Set(targetTables(plan).map((t) => `${plan.schema}.${t}`));
                await (0, db_1.inTransaction)(client, async (tx) => {
                    await tx.query(`set local lock_timeout = '30s'`);
                    for (const o of objs.filter((x) => x.kind === 'constraint')) {
                        const [schema, table, name] = o.name.split('.');
                        await tx.query(`alter table if exists ${(0, db_1.qualified)(schema, table)} drop constraint if exists ${(0, db_1.ident)(name)}`);
                    }
                    for (const o of objs.filter((x) => x.kind === 'index')) {
                        const [schema, name] = o.name.split('.');
                        await tx.query(`drop index if exists ${(0, db_1.qualified)(schema, name)}`);
                    }
                    for (const o of objs.filter((x) => x.kind === 'table' && targets.has(x.name) && !legacy.has(x.name))) {
                        const [schema, name] = o.name.split('.');
                        await tx.query(`drop table if exists ${(0, db_1.qualified)(schema, name)}`);
                    }
                    // The copied rows are gone, so their checkpoints must go too or a rerun would skip them.
                    await (0, stage_1.dropStages)(tx, runId);
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
        async finishTargetSchema({ runId, plan }) {
            const session = { runId, activity: 'finish-schema', signal: (0, heartbeat_1.cancellationSignal)() };
            return (0, db_1.withLongSession)(pools.get(plan.database), session, async (client) => {
                await (0, bookkeeping_1.ensureBookkeeping)(client);
                for (const table of targetTables(plan)) {
                    if (!(await tableExists(client, plan.schema, table))) {
                        throw new errors_1.PreconditionError(`target table ${plan.schema}.${table} does not exist: run the schema step first`);
                    }
                }
                const indexes = await (0, finish_1.ensureIndexes)(client, runId, plan, heartbeat_1.heartbeat);
                const constraints = await (0, finish_1.ensureForeignKeys)(client, runId, plan, heartbeat_1.heartbeat, () => (0, sync_1.catchUpForward)(pools.get(plan.database), client, runId, plan));
                await (0, finish_1.analyzeTargets)(client, plan, heartbeat_1.heartbeat);
                return { indexes, constraints };
            });
        },
    });
}
//# sourceMappingURL=schema.js.map