"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MAX_DEPTH = void 0;
exports.hierarchyChecks = hierarchyChecks;
const context_1 = require("./context");
/** Hierarchies deeper than this many levels are reported (the runbook's limit). */
exports.MAX_DEPTH = 15;
/**
 * The structural checks of contract section 5 on the parent hierarchy of chunks_unified:
 *  - cycles: chunks not reachable from a root (a row without parent, or whose parent is missing);
 *    every such chunk is on a parent cycle or hangs below one. Walked top-down from the roots:
 *    a row has one parent, so the walk reaches it at most once (count(*), no distinct) and ends
 *    even when cycles exist.
 *  - deep_hierarchies: roots whose hierarchy has more than MAX_DEPTH levels (root = level 1).
 * Each level looks its children up in the parent index (finishTargetSchema builds it) instead of
 * hash-joining a fresh scan of the whole table per level, so the walk costs one probe per row.
 * Without that index (a verify before the schema was finished) the planner chooses as it likes.
 */
async function hierarchyChecks(ctx) {
    const { t, client } = ctx;
    const { rows } = await client.query(`select exists (select 1 from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
                     where i.indrelid = to_regclass($1) and a.attname = 'parent_chunk_id' and i.indisvalid) as indexed`, [t.target]);
    if (rows[0].indexed)
        await client.query(`set local enable_hashjoin = off; set local enable_mergejoin = off`);
    try {
        const tree = await (0, context_1.one)(ctx, `with recursive walk(id, root, lvl) as (
         select u.id, u.id, 1 from ${t.target} u
          where u.parent_chunk_id is null or not exists (select 1 from ${t.target} p where p.id = u.parent_chunk_id)
         union all
         select c.id, w.root, w.lvl + 1 from walk w join ${t.target} c on c.parent_chunk_id = w.id)
       select (select count(*) from ${t.target})::int - (select count(*) from walk)::int as unreached,
              (select count(distinct root) from walk where lvl > ${exports.MAX_DEPTH})::int as deep`);
        return { cycles: tree.unreached, deep_hierarchies: tree.deep };
    }
    finally {
        if (rows[0].indexed)
            await client.query(`set local enable_hashjoin = on; set local enable_mergejoin = on`);
    }
}
//# sourceMappingURL=checks.js.map