"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createDefectListActivities = createDefectListActivities;
const db_1 = require("./db");
const defects_1 = require("./defects");
const assess_1 = require("./assess");
/** The defect groups of a plan, in contract order: (kind, table) SQL, then the legacy graph's orphan edges. */
async function groups(client, plan) {
    const t = (0, defects_1.legacyNames)(plan);
    const out = (0, defects_1.tableDefects)(t).map((d) => ({ kind: d.kind, table: t.name[d.role], sql: `select row_key, reason from (${(0, defects_1.defectSelect)(t, d, false)}) d` }));
    const source = plan.graph.source;
    if (source.kind === 'age' && (await (0, defects_1.ageGraphExists)(client, source.graph).catch(() => false))) {
        out.push({ kind: 'orphan_graph_edge', table: '', sql: `select source_table || '|' || row_key as row_key, reason from (${(0, defects_1.ageOrphanEdgesSql)(source.graph, false)}) d` });
    }
    else if (source.kind === 'csv')
        out.push({ kind: 'csv' });
    return out;
}
/**
 * Every legacy defect, page by page (`stp-upgrade defects`): keyset over each group's row keys, so
 * a page costs one bounded query and the whole list is had, however long. Read-only. Pages are
 * separate snapshots: a row changed between two pages may be listed by neither or both.
 */
function createDefectListActivities({ pools }) {
    return {
        async listDefects({ plan, cursor, limit }) {
            try {
                return await (0, db_1.withClient)(pools.get(plan.database), async (client) => {
                    await client.query('begin isolation level repeatable read, read only');
                    try {
                        await (0, defects_1.setDefaultModel)(client, plan.embeddings.defaultModel);
                        await (0, defects_1.tuneForHierarchy)(client, (0, defects_1.legacyNames)(plan));
                        const all = await groups(client, plan);
                        const defects = [];
                        for (let g = cursor?.group ?? 0, after = cursor?.after ?? null; g < all.length; g++, after = null) {
                            const group = all[g];
                            const want = limit - defects.length;
                            const rows = group.kind === 'csv' ? await csvPage(plan, after, want) : await sqlPage(client, group, after, want);
                            defects.push(...rows.defects);
                            if (defects.length >= limit)
                                return { defects, next: { group: g, after: rows.last } };
                        }
                        return { defects, next: null };
                    }
                    finally {
                        await client.query('rollback').catch(() => undefined);
                    }
                });
            }
            catch (err) {
                throw (0, assess_1.connectionError)(plan.database, err);
            }
        },
    };
}
async function sqlPage(client, g, after, limit) {
    const { rows } = await client.query(`select row_key, reason from (${g.sql}) p where $1::text is null or row_key collate "C" > $1 order by row_key collate "C" limit $2`, [after, limit]);
    const defects = rows.map((r) => {
        if (g.kind !== 'orphan_graph_edge')
            return { kind: g.kind, table: g.table, id: r.row_key, reason: r.reason };
        const [table, ...id] = r.row_key.split('|');
        return { kind: g.kind, table, id: id.join('|'), reason: r.reason };
    });
    return { defects, last: rows.at(-1)?.row_key ?? after };
}
/** The CSV graph's orphan edges: `after` counts the edges already listed. */
async function csvPage(plan, after, limit) {
    const source = plan.graph.source;
    if (source.kind !== 'csv')
        return { defects: [], last: after };
    const skip = Number(after ?? 0);
    const defects = [];
    let i = 0;
    for await (const o of (0, defects_1.csvOrphanEdges)(source)) {
        if (i++ < skip)
            continue;
        defects.push({ kind: 'orphan_graph_edge', table: o.source_table, id: o.row_key, reason: o.reason });
        if (defects.length >= limit)
            break;
    }
    return { defects, last: String(skip + defects.length) };
}
//# sourceMappingURL=defect-list.js.map