"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ownerComment = exports.entrySql = exports.ENTRY_MASK = exports.ageCatalogGrants = void 0;
exports.useAge = useAge;
exports.ageInstalled = ageInstalled;
exports.graphInfo = graphInfo;
exports.quoteName = quoteName;
exports.graphLabels = graphLabels;
exports.graphOwner = graphOwner;
exports.labelCounts = labelCounts;
const errors_1 = require("../../common/errors");
const db_1 = require("../db");
/**
 * AGE plumbing shared by prepareGraph, the graph rule and verify. Every session that touches AGE
 * types or cypher needs the library loaded and ag_catalog on the search path (graphid's operators
 * live there; without it even creating a label fails with `operator class "graphid_ops" does not
 * exist`). Callers inside a transaction get `set local`, so a pooled client is left as found.
 */
async function useAge(client, local = true) {
    await loadAge(client);
    await client.query(`set ${local ? 'local ' : ''}search_path = ag_catalog, "$user", public`);
}
/** Clients whose session has AGE loaded: a backend never unloads a library, so each is checked once. */
const loadedIn = new WeakSet();
/**
 * Loads AGE into this session unless it is there already (session_preload_libraries, or an earlier
 * call). Only a superuser may `load 'age'` (any other role gets `access to library "age" is not
 * allowed`, even when it is preloaded); but PostgreSQL loads a C function's library on its first
 * call, running AGE's _PG_init (its hooks, cypher included) exactly as LOAD does. So another role
 * calls one of AGE's functions, which needs only USAGE on ag_catalog (README: "A dedicated role").
 */
async function loadAge(client) {
    if (loadedIn.has(client))
        return;
    const { rows: [s] } = await client.query(
    // AGE defines age.enable_containment when loaded; a mere `set age.x` placeholder is not in pg_settings.
    `select exists (select 1 from pg_settings where name = 'age.enable_containment') as loaded,
            r.rolsuper as superuser, current_user as role
       from pg_roles r where r.rolname = current_user`);
    if (s.superuser && !s.loaded)
        await client.query(`load 'age'`);
    else if (!s.loaded)
        await loadThroughFunction(client, s.role);
    loadedIn.add(client);
}
async function loadThroughFunction(client, role) {
    try {
        await client.query(`select ag_catalog.agtype_in('null')`);
    }
    catch (err) {
        if (err.code !== '42501')
            throw err;
        throw new errors_1.PreconditionError(`role ${role} cannot use Apache AGE (${(0, db_1.describePgError)(err)}): as a superuser, ` +
            `${Object.values((0, exports.ageCatalogGrants)(quoteName(role))).join(' ')} (stp-upgrade assess lists what else the role lacks)`);
    }
}
/** What a role other than a superuser needs to load AGE (usage) and find graphs and labels (select); `role` quoted. */
const ageCatalogGrants = (role) => ({
    usage: `grant usage on schema ag_catalog to ${role};`,
    select: `grant select on ag_catalog.ag_graph, ag_catalog.ag_label to ${role};`,
});
exports.ageCatalogGrants = ageCatalogGrants;
/** Whether the age extension is installed in this database (not merely available on the server). */
async function ageInstalled(client) {
    const { rows } = await client.query(`select count(*)::int as n from pg_extension where extname = 'age'`);
    return rows[0].n > 0;
}
async function graphInfo(client, name) {
    const { rows } = await client.query(`select graphid::int8::int as oid, namespace::regnamespace::text as schema from ag_catalog.ag_graph where name = $1`, [name]);
    return rows[0] ?? null;
}
/** Quotes any catalog name (labels are case-sensitive and not restricted like plan identifiers). */
function quoteName(name) {
    return `"${name.replace(/"/g, '""')}"`;
}
/** Labels of a graph, vertex labels first, then edges, each by name (code point order). */
async function graphLabels(client, graph) {
    const { rows } = await client.query(`select l.name::text as name, l.kind::text as kind, l.id::int as id,
            g.namespace::regnamespace::text as schema, l.seq_name::text as seq
       from ag_catalog.ag_label l join ag_catalog.ag_graph g on g.graphid = l.graph
      where g.name = $1
      order by l.kind desc, l.name collate "C"`, [graph]);
    return rows.map((r) => ({
        name: r.name,
        kind: r.kind,
        id: r.id,
        schema: r.schema,
        table: `${r.schema}.${quoteName(r.name)}`,
        seq: `${r.schema}.${quoteName(r.seq)}`,
    }));
}
/** Lower 48 bits of a graphid: the entry id within its label. */
exports.ENTRY_MASK = '281474976710655';
const entrySql = (expr) => `(${expr}::text::bigint & ${exports.ENTRY_MASK})`;
exports.entrySql = entrySql;
/** Comment put on the target graph's schema: it proves which run created the graph. */
const ownerComment = (runId) => `created by stp-upgrade run ${runId}`;
exports.ownerComment = ownerComment;
async function graphOwner(client, schema) {
    const { rows } = await client.query(`select obj_description($1::regnamespace, 'pg_namespace') as c`, [schema]);
    return rows[0]?.c ?? null;
}
/** Vertex/edge label tables of graph `schema` (a graph's schema has the graph's name). */
async function labelCounts(client, labels) {
    let vertices = 0;
    let edges = 0;
    for (const l of labels) {
        const { rows } = await client.query(`select count(*)::text as n from only ${l.table}`);
        if (l.kind === 'v')
            vertices += Number(rows[0].n);
        else
            edges += Number(rows[0].n);
    }
    return { vertices, edges };
}
//# sourceMappingURL=age.js.map