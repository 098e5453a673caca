"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.graphRule = void 0;
exports.countCsv = countCsv;
const errors_1 = require("../../common/errors");
const age_1 = require("../graph/age");
const age_copy_1 = require("../graph/age-copy");
const csv_copy_1 = require("../graph/csv-copy");
const csv_1 = require("../graph/csv");
/**
 * Rule 7: every legacy vertex and edge recreated in plan.graph.target with the same properties,
 * from the legacy AGE graph or from the two CSV exports. prepareGraph (activities/graph.ts) makes
 * the target graph and its labels first; when it skipped the graph (AGE absent, plan.graph.optional)
 * this rule has nothing to do.
 */
exports.graphRule = {
    rule: 'graph',
    async total(client, input) {
        if (await skipped(client, input))
            return 0;
        const source = input.plan.graph.source;
        if (source.kind === 'csv')
            return (await countCsv(source.nodesFile)) + (await countCsv(source.edgesFile));
        if (!(await (0, age_1.graphInfo)(client, source.graph)))
            throw new errors_1.PreconditionError(`legacy graph "${source.graph}" does not exist`);
        const { vertices, edges } = await (0, age_1.labelCounts)(client, await (0, age_1.graphLabels)(client, source.graph));
        return vertices + edges;
    },
    async batch(client, input, afterKey, limit) {
        if (await skipped(client, input))
            return { rows: 0, lastKey: null };
        await (0, age_1.useAge)(client);
        // graphid/agtype estimates are rough: JIT would compile every batch for nothing.
        await client.query('set local jit = off');
        const source = input.plan.graph.source;
        return source.kind === 'csv'
            ? (0, csv_copy_1.csvBatch)(client, input, source, afterKey, limit)
            : (0, age_copy_1.ageBatch)(client, input, source.graph, afterKey, limit);
    },
};
async function skipped(client, { plan }) {
    if (await (0, age_1.ageInstalled)(client))
        return false;
    if (plan.graph.optional)
        return true;
    throw new errors_1.PreconditionError('the age extension is not installed: install Apache AGE or set plan.graph.optional');
}
/** Data records of a CSV file (header excluded), streamed in bounded chunks. */
async function countCsv(file) {
    let offset = 0;
    let n = -1; // the header
    for (;;) {
        const chunk = await (0, csv_1.readCsv)(file, offset, 10_000);
        n += chunk.records.length;
        offset = chunk.next;
        if (chunk.eof)
            return Math.max(0, n);
    }
}
//# sourceMappingURL=graph.js.map