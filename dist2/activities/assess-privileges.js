"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_NEEDS = void 0;
exports.needsOf = needsOf;
exports.readPrivileges = readPrivileges;
exports.privilegeWarnings = privilegeWarnings;
const plan_1 = require("../common/plan");
const age_1 = require("./graph/age");
const legacyGraphOf = (plan) => (plan.graph.source.kind === 'age' ? plan.graph.source.graph : null);
/** A bare assess: the default plan's data run. */
const DEFAULT_NEEDS = (schema = 'public', legacy = plan_1.LegacyTables.parse({})) => {
    const defaults = (0, plan_1.parsePlan)({});
    const graph = defaults.ok ? legacyGraphOf(defaults.plan) : null;
    return { schema, legacy, steps: plan_1.DATA_STEPS, sync: true, testRestore: true, graph };
};
exports.DEFAULT_NEEDS = DEFAULT_NEEDS;
/** What a plan needs. */
function needsOf(plan) {
    return { schema: plan.schema, legacy: plan.legacy, steps: plan.steps, sync: plan.sync.enabled, testRestore: plan.backup.testRestore, graph: legacyGraphOf(plan) };
}
const q = (s) => `"${s.replace(/"/g, '""')}"`;
/**
 * The privileges the connecting role lacks for the run, each with what needs it and the GRANT
 * that gives it (README: "A dedicated role"). Read-only, catalog functions only, so it works for
 * any role. A superuser lacks nothing (and is reported, so the operator can move to a role).
 */
async function readPrivileges(client, needs) {
    const { rows: [role] } = await client.query(`select current_user as name, r.rolsuper as superuser, r.rolcreatedb as createdb, current_database() as db,
            has_database_privilege(current_database(), 'CREATE') as db_create,
            to_regnamespace('stp_migration') is not null as bookkeeping,
            case when to_regnamespace('stp_migration') is not null then has_schema_privilege('stp_migration', 'CREATE') and has_schema_privilege('stp_migration', 'USAGE') end as bk_create,
            case when to_regnamespace($1) is not null then has_schema_privilege($1, 'CREATE') and has_schema_privilege($1, 'USAGE') end as schema_create
       from pg_roles r where r.rolname = current_user`, [needs.schema]);
    const missing = [];
    const add = (privilege, neededFor, grant) => {
        const same = missing.find((m) => m.privilege === privilege);
        if (same)
            same.neededFor += `; ${neededFor}`;
        else
            missing.push({ privilege, neededFor, grant });
    };
    const has = (s) => needs.steps.includes(s);
    const dbName = q(role.db);
    const roleName = q(role.name);
    if (!role.superuser) {
        if (!role.bookkeeping && !role.db_create)
            add(`CREATE on database ${role.db}`, 'the tool\'s bookkeeping schema stp_migration (created on first run)', `grant create on database ${dbName} to ${roleName};`);
        if (role.bookkeeping && !role.bk_create)
            add('CREATE, USAGE on schema stp_migration', 'the run lease, checkpoints, quarantine and capture', `grant create, usage on schema stp_migration to ${roleName};`);
        if (has('graph') && !role.db_create)
            add(`CREATE on database ${role.db}`, 'graph: AGE creates the target graph as a schema', `grant create on database ${dbName} to ${roleName};`);
        if (has('graph'))
            for (const m of await missingForAge(client, needs.graph, roleName))
                add(m.privilege, m.neededFor, m.grant);
        if (has('schema') && role.schema_create === false)
            add(`CREATE, USAGE on schema ${needs.schema}`, 'schema: the target tables and their indexes', `grant create, usage on schema ${q(needs.schema)} to ${roleName};`);
        if (has('backup') && needs.testRestore && !role.createdb)
            add('CREATEDB', 'backup: the restore test restores into a scratch database', `alter role ${roleName} createdb;`);
        // texts is shared and read, not captured (README: Live writes); the other six are captured.
        for (const [key, table] of Object.entries(needs.legacy)) {
            const captured = needs.sync && key !== 'texts';
            const tablePrivs = ['SELECT', ...(captured && has('copy') ? ['TRIGGER'] : []), ...(captured && has('switch') ? ['INSERT', 'UPDATE', 'DELETE'] : [])];
            const { rows } = await client.query(`select p as privilege from unnest($2::text[]) p
          where to_regclass($1) is not null and not has_table_privilege(to_regclass($1), p)`, [`${q(needs.schema)}.${q(table)}`, tablePrivs]);
            if (rows.length === 0)
                continue;
            const privs = rows.map((r) => r.privilege);
            const why = [
                privs.includes('SELECT') ? 'reading it (copy, verify, backup)' : '',
                privs.includes('TRIGGER') ? 'capturing live writes (copy)' : '',
                privs.some((p) => p !== 'SELECT' && p !== 'TRIGGER') ? 'the cut-over\'s write hold and the reverse sync (switch)' : '',
            ].filter(Boolean).join('; ');
            add(`${privs.join(', ')} on ${needs.schema}.${table}`, why, `grant ${privs.join(', ').toLowerCase()} on ${q(needs.schema)}.${q(table)} to ${roleName};`);
        }
    }
    return { role: role.name, superuser: role.superuser, missing };
}
/**
 * What a role other than a superuser lacks for the graph step on AGE (nothing when the extension is
 * not installed: prepareGraph then skips or refuses on its own). Verified on PostgreSQL 17 + AGE 1.5:
 * no LOAD and no preload is needed (useAge loads the library through a function call), the target
 * graph's schema is owned by the role that creates it (so the rollback may drop it), and the legacy
 * graph is read with plain SQL on its label tables. Its schema has the graph's name (AGE's rule).
 */
async function missingForAge(client, graph, roleName) {
    const { rows: [age] } = await client.query(`with ext as (select exists (select 1 from pg_extension where extname = 'age') as installed),
          g as (select to_regnamespace($1) as nsp)
     select ext.installed,
            case when ext.installed then has_schema_privilege('ag_catalog', 'USAGE') end as usage,
            -- by oid: a table name in a schema the role may not use is an error, not a false
            (select bool_and(has_table_privilege(c.oid, 'SELECT')) from pg_class c
              where c.relnamespace = to_regnamespace('ag_catalog') and c.relname in ('ag_graph', 'ag_label')) as catalog,
            case when g.nsp is not null then has_schema_privilege(g.nsp, 'USAGE') end as legacy_usage,
            case when g.nsp is not null then not exists (select 1 from pg_class c where c.relnamespace = g.nsp and c.relkind in ('r', 'p')
                                                            and not has_table_privilege(c.oid, 'SELECT')) end as legacy_select
       from ext, g`, [graph === null ? null : q(graph)]);
    if (!age.installed)
        return [];
    const grants = (0, age_1.ageCatalogGrants)(roleName);
    const out = [];
    if (!age.usage)
        out.push({ privilege: 'USAGE on schema ag_catalog', neededFor: 'graph: AGE\'s functions and types (they load its library without LOAD, which only a superuser may run)', grant: grants.usage });
    if (!age.catalog)
        out.push({ privilege: 'SELECT on ag_catalog.ag_graph, ag_catalog.ag_label', neededFor: 'graph: finding the graphs and their labels (preflight, copy, verify, rollback)', grant: grants.select });
    if (graph !== null && age.legacy_usage === false)
        out.push({ privilege: `USAGE on schema ${graph}`, neededFor: 'graph: reading the legacy graph (preflight, copy, verify)', grant: `grant usage on schema ${q(graph)} to ${roleName};` });
    if (graph !== null && age.legacy_select === false) {
        out.push({ privilege: `SELECT on all tables in schema ${graph}`, neededFor: 'graph: the legacy graph\'s label tables (preflight, copy, verify)', grant: `grant select on all tables in schema ${q(graph)} to ${roleName};` });
    }
    return out;
}
/** The warning lines of a report: one per missing privilege, with its GRANT. */
function privilegeWarnings(p) {
    const lines = p.missing.map((m) => `role ${p.role} lacks ${m.privilege}, needed for ${m.neededFor}: ${m.grant}`);
    if (p.superuser)
        lines.push(`role ${p.role} is a superuser: the upgrade does not need one (README: "A dedicated role")`);
    return lines;
}
//# sourceMappingURL=assess-privileges.js.map