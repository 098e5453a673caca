"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ruleImpl = ruleImpl;
const errors_1 = require("../../common/errors");
const chunks_1 = require("./chunks");
const embeddings_1 = require("./embeddings");
const graph_1 = require("./graph");
const slots_1 = require("./slots");
const tags_1 = require("./tags");
const templates_1 = require("./templates");
/** The registry the copy engine resolves rules from: rules 1-5 here, 6 (embeddings) and 7 (graph). */
const RULES = {
    chunks: chunks_1.chunksRule,
    templates: templates_1.templatesRule,
    slots: slots_1.slotsRule,
    tags: tags_1.tagsRule,
    embeddings: embeddings_1.embeddingsRule,
    graph: graph_1.graphRule,
};
function ruleImpl(rule) {
    const impl = Object.hasOwn(RULES, rule) ? RULES[rule] : undefined;
    if (!impl)
        throw new errors_1.BadInputError(`unknown copy rule ${JSON.stringify(rule)}`);
    return impl;
}
//# sourceMappingURL=index.js.map