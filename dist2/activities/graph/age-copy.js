"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.graphSourceTable = void 0;
exports.ageBatch = ageBatch;
const errors_1 = require("../../common/errors");
const age_1 = require("./age");
/** quarantine.source_table of a legacy graph row: `<graph>.<label>`; row_key is the graphid as text. */
const graphSourceTable = (graph, label) => `${graph}.${label}`;
exports.graphSourceTable = graphSourceTable;
const order = (l) => `${l.kind === 'v' ? 0 : 1}:${l.label ?? l.name}`;
/**
 * AGE to AGE, label table by label table (vertices first, so edge endpoints exist), set-based.
 * A copied row keeps its entry id and gets the target label's id, so edge endpoints map by
 * arithmetic (no id map) and a replayed batch hits `on conflict (id) do nothing`. Each target
 * label sequence is moved past the copied ids so a later cypher CREATE cannot collide.
 * Edges are skipped when quarantined or when an endpoint is not in the target (orphans).
 */
async function ageBatch(client, { runId, plan }, source, afterKey, limit) {
    const target = plan.graph.target;
    const [src, tgt] = [await (0, age_1.graphInfo)(client, source), await (0, age_1.graphInfo)(client, target)];
    if (!src)
        throw new errors_1.PreconditionError(`legacy graph "${source}" does not exist`);
    if (!tgt)
        throw new errors_1.PreconditionError(`target graph "${target}" does not exist: run prepareGraph first`);
    const labels = await (0, age_1.graphLabels)(client, source);
    const tlabels = new Map((await (0, age_1.graphLabels)(client, target)).map((l) => [l.name, l]));
    let key = afterKey ? JSON.parse(afterKey) : null;
    let i = key ? labels.findIndex((l) => order(l) >= order(key)) : 0;
    if (i < 0)
        return { rows: 0, lastKey: null };
    for (; i < labels.length; i++) {
        const l = labels[i];
        const after = key && key.label === l.name && key.kind === l.kind ? key.after : null;
        const t = tlabels.get(l.name);
        if (!t)
            throw new errors_1.PreconditionError(`label "${l.name}" is missing in graph "${target}": run prepareGraph again`);
        const r = l.kind === 'v' ? await copyVertices(client, runId, source, l, t, after, limit) : await copyEdges(client, runId, source, src.oid, tgt.oid, l, t, after, limit);
        if (r.n > 0) {
            if (r.maxEntry)
                await client.query(`select setval($1::regclass, greatest(coalesce(pg_sequence_last_value($1::regclass), 1), $2::bigint))`, [t.seq, r.maxEntry]);
            const at = (after) => JSON.stringify({ kind: l.kind, label: l.name, after });
            return { rows: r.n, firstKey: at(r.first), lastKey: at(r.last) };
        }
        key = null;
    }
    return { rows: 0, lastKey: null };
}
// The key is rebuilt with _graphid from its bigint form: AGE 1.7 (PGlite, 32-bit WASM) rejects a text->graphid cast.
const batchCte = (cols, table) => `b as (select ${cols} from only ${table} where $1::bigint is null or id > ag_catalog._graphid(($1::bigint >> 48)::int, $1::bigint & 281474976710655) order by id limit $2)`;
const notQuarantined = `not exists (select 1 from stp_migration.quarantine q
  where q.run_id = $3 and q.source_table = $4 and q.row_key = b.id::text)`;
const summary = `select (select count(*)::int from b) as n, (select id::text from b order by id limit 1) as first,
  (select id::text from b order by id desc limit 1) as last,
  (select max(${(0, age_1.entrySql)('id')})::text from b) as "maxEntry"`;
async function copyVertices(client, runId, graph, l, t, after, limit) {
    const { rows } = await client.query(`with ${batchCte('id, properties', l.table)},
     ins as (insert into ${t.table} (id, properties)
             select ag_catalog._graphid($5, ${(0, age_1.entrySql)('b.id')}), b.properties from b where ${notQuarantined}
             on conflict (id) do nothing returning 1)
     ${summary}, (select count(*) from ins) as written`, [after, limit, runId, (0, exports.graphSourceTable)(graph, l.name), t.id]);
    return rows[0];
}
async function copyEdges(client, runId, graph, srcOid, tgtOid, l, t, after, limit) {
    const { rows } = await client.query(`with lm as (select s.id::int as sid, d.id::int as tid from ag_catalog.ag_label s
                   join ag_catalog.ag_label d on d.name = s.name and d.graph = $7::oid where s.graph = $6::oid),
     ${batchCte('id, start_id, end_id, properties', l.table)},
     m as (select ag_catalog._graphid($5, ${(0, age_1.entrySql)('b.id')}) as id,
                  ag_catalog._graphid(ls.tid, ${(0, age_1.entrySql)('b.start_id')}) as start_id,
                  ag_catalog._graphid(le.tid, ${(0, age_1.entrySql)('b.end_id')}) as end_id, b.properties
             from b join lm ls on ls.sid = ag_catalog._extract_label_id(b.start_id)::int
                    join lm le on le.sid = ag_catalog._extract_label_id(b.end_id)::int
            where ${notQuarantined}),
     ins as (insert into ${t.table} (id, start_id, end_id, properties)
             select m.id, m.start_id, m.end_id, m.properties from m
              where exists (select 1 from ${vertexTable(t)} v where v.id = m.start_id)
                and exists (select 1 from ${vertexTable(t)} v where v.id = m.end_id)
             on conflict (id) do nothing returning 1)
     ${summary}, (select count(*) from ins) as written`, [after, limit, runId, (0, exports.graphSourceTable)(graph, l.name), t.id, srcOid, tgtOid]);
    return rows[0];
}
/** The parent of every vertex label table of a graph (scans all vertex labels). */
const vertexTable = (l) => `${l.schema}._ag_label_vertex`;
//# sourceMappingURL=age-copy.js.map