"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_MODEL = exports.TAG_KEY = exports.ROW_KEY = void 0;
exports.legacyNames = legacyNames;
exports.keyOf = keyOf;
exports.setDefaultModel = setDefaultModel;
exports.defectSelect = defectSelect;
const db_1 = require("../db");
function legacyNames(plan) {
    const q = Object.fromEntries(Object.entries(plan.legacy).map(([role, table]) => [role, (0, db_1.qualified)(plan.schema, table)]));
    return { name: plan.legacy, q, defaultModel: plan.embeddings.defaultModel };
}
exports.ROW_KEY = 'r.id::text';
exports.TAG_KEY = `r.chunk_id::text || '|' || r.tag_content`;
function keyOf(d) {
    return d.key ?? exports.ROW_KEY;
}
exports.DEFAULT_MODEL = `current_setting('stp_upgrade.default_model')`;
/** Sets what DEFAULT_MODEL reads, for the current transaction. */
async function setDefaultModel(client, model) {
    await client.query(`select set_config('stp_upgrade.default_model', $1, true)`, [model]);
}
/** `select row_key, reason[, row]` for one table defect. */
function defectSelect(t, d, withRow) {
    return `select ${keyOf(d)} as row_key, ${d.reason} as reason${withRow ? ', to_jsonb(r) as row' : ''}
    from ${t.q[d.role]} r ${d.join ?? ''} where ${d.where}`;
}
//# sourceMappingURL=context.js.map