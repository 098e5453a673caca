import type pg from 'pg';
import { DATA_STEPS, LegacyTables, type Plan, type StepName } from '../common/plan';
import type { MissingPrivilege, PrivilegeReport } from '../common/steps';

/** What the run will do, as far as privileges go (a plan's, or the default data run's for a bare assess). */
export interface PrivilegeNeeds {
  schema: string;
  legacy: Record<string, string>;
  steps: readonly StepName[];
  /** plan.sync.enabled: capture triggers on the legacy tables and the write hold. */
  sync: boolean;
  /** plan.backup.testRestore: a scratch database for the restore test. */
  testRestore: boolean;
}

export const DEFAULT_NEEDS = (schema = 'public', legacy: Record<string, string> = LegacyTables.parse({})): PrivilegeNeeds => ({ schema, legacy, steps: DATA_STEPS, sync: true, testRestore: true });

/** What a plan needs. */
export function needsOf(plan: Plan): PrivilegeNeeds {
  return { schema: plan.schema, legacy: plan.legacy, steps: plan.steps, sync: plan.sync.enabled, testRestore: plan.backup.testRestore };
}

const q = (s: string) => `"${s.replace(/"/g, '""')}"`;

/**
 * The privileges the connecting role lacks for the run, each with what needs it and the GRANT
 * that gives it (README: "A dedicated role"). Read-only, catalog functions only, so it works for
 * any role. A superuser lacks nothing (and is reported, so the operator can move to a role).
 */
export async function readPrivileges(client: pg.ClientBase, needs: PrivilegeNeeds): Promise<PrivilegeReport> {
  const { rows: [role] } = await client.query<{ name: string; superuser: boolean; createdb: boolean; db: string; db_create: boolean; bookkeeping: boolean; bk_create: boolean | null; schema_create: boolean | null }>(
    `select current_user as name, r.rolsuper as superuser, r.rolcreatedb as createdb, current_database() as db,
            has_database_privilege(current_database(), 'CREATE') as db_create,
            to_regnamespace('stp_migration') is not null as bookkeeping,
            case when to_regnamespace('stp_migration') is not null then has_schema_privilege('stp_migration', 'CREATE') and has_schema_privilege('stp_migration', 'USAGE') end as bk_create,
            case when to_regnamespace($1) is not null then has_schema_privilege($1, 'CREATE') and has_schema_privilege($1, 'USAGE') end as schema_create
       from pg_roles r where r.rolname = current_user`,
    [needs.schema],
  );
  const missing: MissingPrivilege[] = [];
  const add = (privilege: string, neededFor: string, grant: string) => {
    const same = missing.find((m) => m.privilege === privilege);
    if (same) same.neededFor += `; ${neededFor}`;
    else missing.push({ privilege, neededFor, grant });
  };
  const has = (s: StepName) => needs.steps.includes(s);
  const dbName = q(role.db);
  const roleName = q(role.name);
  if (!role.superuser) {
    if (!role.bookkeeping && !role.db_create) add(`CREATE on database ${role.db}`, 'the tool\'s bookkeeping schema stp_migration (created on first run)', `grant create on database ${dbName} to ${roleName};`);
    if (role.bookkeeping && !role.bk_create) add('CREATE, USAGE on schema stp_migration', 'the run lease, checkpoints, quarantine and capture', `grant create, usage on schema stp_migration to ${roleName};`);
    if (has('graph') && !role.db_create) add(`CREATE on database ${role.db}`, 'graph: AGE creates the target graph as a schema', `grant create on database ${dbName} to ${roleName};`);
    if (has('schema') && role.schema_create === false) add(`CREATE, USAGE on schema ${needs.schema}`, 'schema: the target tables and their indexes', `grant create, usage on schema ${q(needs.schema)} to ${roleName};`);
    if (has('backup') && needs.testRestore && !role.createdb) add('CREATEDB', 'backup: the restore test restores into a scratch database', `alter role ${roleName} createdb;`);
    // texts is shared and read, not captured (README: Live writes); the other six are captured.
    for (const [key, table] of Object.entries(needs.legacy)) {
      const captured = needs.sync && key !== 'texts';
      const tablePrivs = ['SELECT', ...(captured && has('copy') ? ['TRIGGER'] : []), ...(captured && has('switch') ? ['INSERT', 'UPDATE', 'DELETE'] : [])];
      const { rows } = await client.query<{ privilege: string }>(
        `select p as privilege from unnest($2::text[]) p
          where to_regclass($1) is not null and not has_table_privilege(to_regclass($1), p)`,
        [`${q(needs.schema)}.${q(table)}`, tablePrivs],
      );
      if (rows.length === 0) continue;
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

/** The warning lines of a report: one per missing privilege, with its GRANT. */
export function privilegeWarnings(p: PrivilegeReport): string[] {
  const lines = p.missing.map((m) => `role ${p.role} lacks ${m.privilege}, needed for ${m.neededFor}: ${m.grant}`);
  if (p.superuser) lines.push(`role ${p.role} is a superuser: the upgrade does not need one (README: "A dedicated role")`);
  return lines;
}
