"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.snapshotDatabase = snapshotDatabase;
exports.assertSnapshotsEqual = assertSnapshotsEqual;
const strict_1 = __importDefault(require("node:assert/strict"));
const USER_NAMESPACES = `n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'`;
async function list(client, sql) {
    const { rows } = await client.query(sql);
    return rows.map((r) => r.v);
}
async function snapshotDatabase(pool) {
    const client = await pool.connect();
    try {
        const schemas = await list(client, `select n.nspname as v from pg_namespace n where ${USER_NAMESPACES} order by 1`);
        const relations = await list(client, `select n.nspname || '.' || c.relname || ' ' || c.relkind::text as v from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where ${USER_NAMESPACES} order by 1`);
        const indexes = await list(client, `select schemaname || '.' || indexname || ': ' || indexdef as v from pg_indexes where schemaname not in ('pg_catalog', 'information_schema') and schemaname not like 'pg\\_toast%' order by 1`);
        const constraints = await list(client, `select n.nspname || '.' || coalesce(c.conrelid::regclass::text, '-') || '.' || c.conname || ': ' || pg_get_constraintdef(c.oid) || case when c.convalidated then '' else ' NOT VALID' end as v
         from pg_constraint c join pg_namespace n on n.oid = c.connamespace where ${USER_NAMESPACES} order by 1`);
        const functions = await list(client, `select n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' as v
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace where ${USER_NAMESPACES} order by 1`);
        const extensions = await list(client, `select extname || ' ' || extversion as v from pg_extension order by 1`);
        const hasAge = extensions.some((e) => e.startsWith('age '));
        const graphs = hasAge ? await list(client, `select name::text || ' ' || namespace::text as v from ag_catalog.ag_graph order by 1`) : [];
        const labels = hasAge
            ? await list(client, `select g.name::text || '.' || l.name::text || ' ' || l.kind::text || ' ' || l.relation::text as v from ag_catalog.ag_label l join ag_catalog.ag_graph g on g.graphid = l.graph order by 1`)
            : [];
        const rows = {};
        const tables = await client.query(`select format('%I.%I', n.nspname, c.relname) as t, c.relkind::text as kind from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where ${USER_NAMESPACES} and c.relkind in ('r', 'p', 'S', 'm') order by 1`);
        for (const { t, kind } of tables.rows) {
            const sql = kind === 'S'
                ? `select last_value::text || ' ' || is_called::text as v from ${t}`
                : `select count(*)::text || ' ' || coalesce(md5(string_agg(x::text, E'\\n' order by x::text collate "C")), '-') as v from ${t} x`;
            rows[t] = (await client.query(sql)).rows[0].v;
        }
        return { schemas, relations, indexes, constraints, functions, extensions, graphs, labels, rows };
    }
    finally {
        client.release();
    }
}
/** Asserts two snapshots are equal, naming the first part that differs. */
function assertSnapshotsEqual(after, before, what = 'database') {
    for (const key of Object.keys(before)) {
        strict_1.default.deepEqual(after[key], before[key], `${what}: ${key} differ from the snapshot taken before the run`);
    }
}
//# sourceMappingURL=snapshot.js.map