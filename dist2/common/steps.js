"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.COPY_RULES = exports.DEFECT_KINDS = void 0;
exports.describeDefects = describeDefects;
exports.DEFECT_KINDS = [
    'id_collision',
    'orphan_text',
    'orphan_parent',
    'cycle',
    'orphan_slot',
    'orphan_instance',
    'orphan_tag',
    'orphan_embedding',
    'superseded_embedding',
    'orphan_graph_edge',
];
/**
 * The operator's view of preflight defects (DefectsFoundError message under policy `block`): the
 * counts per kind and the first `max` defects listed. Pure, so the workflow can call it.
 */
function describeDefects(counts, sample, max = 20) {
    const kinds = exports.DEFECT_KINDS.filter((k) => (counts[k] ?? 0) > 0);
    const total = kinds.reduce((n, k) => n + (counts[k] ?? 0), 0);
    const lines = [`legacy data has ${total} defect(s): ${kinds.map((k) => `${k} ${counts[k]}`).join(', ')}`];
    for (const d of sample.slice(0, max))
        lines.push(`  ${d.kind} ${d.table} ${d.id}: ${d.reason}`);
    if (total > Math.min(max, sample.length))
        lines.push(`  ... ${total - Math.min(max, sample.length)} more`);
    lines.push('fix them in the legacy data, or set plan.defects.policy: quarantine to migrate everything else and keep them in stp_migration.quarantine');
    return lines.join('\n');
}
/** The copy rules of the contract, in the order the saga runs them. */
exports.COPY_RULES = ['chunks', 'templates', 'slots', 'tags', 'embeddings', 'graph'];
//# sourceMappingURL=steps.js.map