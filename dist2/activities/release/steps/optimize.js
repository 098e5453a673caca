"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.extraIndexes = extraIndexes;
exports.createOptimizeSteps = createOptimizeSteps;
const errors_1 = require("../../../common/errors");
const release_1 = require("../../../common/release");
const bookkeeping_1 = require("../../bookkeeping");
const db_1 = require("../../db");
const finish_1 = require("../../schema/finish");
const context_1 = require("./context");
/** The runbook's "Index Optimization" indexes, named after plan.target.chunks. */
function extraIndexes(plan) {
    const t = plan.target.chunks;
    const table = (0, db_1.qualified)(plan.schema, t);
    const defs = [
        { name: `idx_${t}_content_search`, using: `gin (to_tsvector('english', content))` },
        { name: `idx_${t}_metadata_tags`, using: `gin ((metadata->'tags'))` },
    ];
    return defs.map(({ name, using }) => {
        if (name.length > 63)
            throw new errors_1.BadInputError(`index name ${name} is longer than 63 characters: shorten plan.target.chunks`);
        return { name, sql: `create index concurrently ${(0, db_1.ident)(name)} on ${table} using ${using}` };
    });
}
function createOptimizeSteps({ pools }) {
    return {
        /**
         * ANALYZE of the target tables and the runbook's extra GIN indexes, built CONCURRENTLY (so on
         * an idle connection, never in a transaction) while blue still serves. An INVALID index left by
         * a killed build is dropped and rebuilt. Each index is recorded as created by the run before it
         * is built, so dropTargetSchema removes it on rollback; one that existed before is left alone.
         */
        async optimizeDatabase({ runId, plan }) {
            const opt = (0, release_1.releasePlanOf)(plan).optimize;
            return (0, db_1.withClient)(pools.get(plan.database), async (client) => {
                const tables = [plan.target.chunks, plan.target.embeddings];
                for (const t of tables) {
                    const { rows } = await client.query(`select to_regclass($1)::text as reg`, [(0, db_1.qualified)(plan.schema, t)]);
                    if (!rows[0].reg)
                        throw new errors_1.PreconditionError(`target table ${plan.schema}.${t} does not exist: the data steps must run first`);
                }
                const built = [];
                const indexes = [];
                if (opt.extraIndexes) {
                    await (0, bookkeeping_1.ensureBookkeeping)(client);
                    for (const idx of extraIndexes(plan)) {
                        if (await (0, finish_1.ensureIndex)(client, runId, plan.schema, idx, context_1.heartbeat))
                            built.push(idx.name);
                        indexes.push(idx.name);
                    }
                }
                const analyzed = [];
                if (opt.analyze) {
                    for (const t of tables) {
                        (0, context_1.heartbeat)({ analyze: t });
                        await client.query(`analyze ${(0, db_1.qualified)(plan.schema, t)}`);
                        analyzed.push(t);
                    }
                }
                return { analyzed, indexes, built };
            });
        },
    };
}
//# sourceMappingURL=optimize.js.map