"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.missingAttributes = missingAttributes;
exports.registerAttributes = registerAttributes;
exports.startDecorations = startDecorations;
const proto_1 = require("@temporalio/proto");
const search_attributes_1 = require("../common/search-attributes");
const INDEXED = {
    KEYWORD: proto_1.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    INT: proto_1.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
};
/** The stp attributes the namespace lacks (all of them when the server will not say). */
async function missingAttributes(client) {
    try {
        const r = await client.withDeadline(Date.now() + 5000, () => client.connection.operatorService.listSearchAttributes({ namespace: client.options.namespace }));
        const have = r.customAttributes ?? {};
        return search_attributes_1.SEARCH_ATTRIBUTES.filter((k) => have[k.name] === undefined).map((k) => k.name);
    }
    catch {
        return search_attributes_1.SEARCH_ATTRIBUTES.map((k) => k.name);
    }
}
/** Registers the missing attributes; idempotent. Returns those it added. */
async function registerAttributes(client) {
    const missing = await missingAttributes(client);
    if (missing.length === 0)
        return [];
    const searchAttributes = Object.fromEntries(search_attributes_1.SEARCH_ATTRIBUTES.filter((k) => missing.includes(k.name)).map((k) => [k.name, INDEXED[k.type]]));
    await client.connection.operatorService.addSearchAttributes({ namespace: client.options.namespace, searchAttributes });
    return missing;
}
/**
 * What `start` adds to a run: its initial attributes, only when the namespace knows all of them
 * (a workflow upserts only when its start carried them, see workflows/upgrade/search.ts), and a
 * static summary and details for the Temporal UI's run page (no secret: the plan names a database).
 */
async function startDecorations(client, plan) {
    const missing = await missingAttributes(client);
    const release = plan.release ? `, release: green :${plan.release.deployer.green.port}, traffic ${plan.release.traffic.kind}` : '';
    return {
        ...(missing.length === 0
            ? { typedSearchAttributes: [{ key: search_attributes_1.StpDatabase, value: plan.database }, { key: search_attributes_1.StpPhase, value: 'starting' }, { key: search_attributes_1.StpOutcome, value: 'running' }] }
            : {}),
        staticSummary: `STP upgrade of database ${plan.database}: ${plan.steps.join(' → ')}`,
        staticDetails: [
            `**database** \`${plan.database}\` · schema \`${plan.schema}\``,
            '',
            `**steps** ${plan.steps.map((s) => `\`${s}\``).join(' → ')}`,
            '',
            `**policy** defects \`${plan.defects.policy}\` · batch ${plan.copy.batchSize} · throttle ${plan.copy.throttleMs} ms · index \`${plan.embeddings.index.kind}\`${release}`,
            '',
            `**tables** ${plan.legacy.chunks} → ${plan.target.chunks}, ${plan.legacy.embeddings} → ${plan.target.embeddings}`,
        ].join('\n'),
    };
}
//# sourceMappingURL=search-attributes.js.map