import type pg from 'pg';
import { PreconditionError } from '../../common/errors';
import { describePgError } from '../db';

/**
 * AGE plumbing shared by prepareGraph, the graph rule and verify. Every session that touches AGE
 * types or cypher needs the library loaded and ag_catalog on the search path (graphid's operators
 * live there; without it even creating a label fails with `operator class "graphid_ops" does not
 * exist`). Callers inside a transaction get `set local`, so a pooled client is left as found.
 */
export async function useAge(client: pg.ClientBase, local = true): Promise<void> {
  await loadAge(client);
  await client.query(`set ${local ? 'local ' : ''}search_path = ag_catalog, "$user", public`);
}

/** Clients whose session has AGE loaded: a backend never unloads a library, so each is checked once. */
const loadedIn = new WeakSet<pg.ClientBase>();

/**
 * Loads AGE into this session unless it is there already (session_preload_libraries, or an earlier
 * call). Only a superuser may `load 'age'` (any other role gets `access to library "age" is not
 * allowed`, even when it is preloaded); but PostgreSQL loads a C function's library on its first
 * call, running AGE's _PG_init (its hooks, cypher included) exactly as LOAD does. So another role
 * calls one of AGE's functions, which needs only USAGE on ag_catalog (README: "A dedicated role").
 */
async function loadAge(client: pg.ClientBase): Promise<void> {
  if (loadedIn.has(client)) return;
  const { rows: [s] } = await client.query<{ loaded: boolean; superuser: boolean; role: string }>(
    // AGE defines age.enable_containment when loaded; a mere `set age.x` placeholder is not in pg_settings.
    `select exists (select 1 from pg_settings where name = 'age.enable_containment') as loaded,
            r.rolsuper as superuser, current_user as role
       from pg_roles r where r.rolname = current_user`,
  );
  if (s.superuser && !s.loaded) await client.query(`load 'age'`);
  else if (!s.loaded) await loadThroughFunction(client, s.role);
  loadedIn.add(client);
}

async function loadThroughFunction(client: pg.ClientBase, role: string): Promise<void> {
  try {
    await client.query(`select ag_catalog.agtype_in('null')`);
  } catch (err) {
    if ((err as { code?: string }).code !== '42501') throw err;
    throw new PreconditionError(
      `role ${role} cannot use Apache AGE (${describePgError(err)}): as a superuser, ` +
        `${Object.values(ageCatalogGrants(quoteName(role))).join(' ')} (stp-upgrade assess lists what else the role lacks)`,
    );
  }
}

/** What a role other than a superuser needs to load AGE (usage) and find graphs and labels (select); `role` quoted. */
export const ageCatalogGrants = (role: string) => ({
  usage: `grant usage on schema ag_catalog to ${role};`,
  select: `grant select on ag_catalog.ag_graph, ag_catalog.ag_label to ${role};`,
});

/** Whether the age extension is installed in this database (not merely available on the server). */
export async function ageInstalled(client: pg.ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ n: number }>(`select count(*)::int as n from pg_extension where extname = 'age'`);
  return rows[0].n > 0;
}

export interface GraphInfo {
  oid: number;
  schema: string;
}

export async function graphInfo(client: pg.ClientBase, name: string): Promise<GraphInfo | null> {
  const { rows } = await client.query<GraphInfo>(
    `select graphid::int8::int as oid, namespace::regnamespace::text as schema from ag_catalog.ag_graph where name = $1`,
    [name],
  );
  return rows[0] ?? null;
}

export interface Label {
  name: string;
  kind: 'v' | 'e';
  id: number;
  /** The graph's schema, as regnamespace prints it (quoted when needed). */
  schema: string;
  /** Quoted, schema-qualified label table. */
  table: string;
  /** Quoted, schema-qualified id sequence. */
  seq: string;
}

/** Quotes any catalog name (labels are case-sensitive and not restricted like plan identifiers). */
export function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Labels of a graph, vertex labels first, then edges, each by name (code point order). */
export async function graphLabels(client: pg.ClientBase, graph: string): Promise<Label[]> {
  const { rows } = await client.query<{ name: string; kind: 'v' | 'e'; id: number; schema: string; seq: string }>(
    `select l.name::text as name, l.kind::text as kind, l.id::int as id,
            g.namespace::regnamespace::text as schema, l.seq_name::text as seq
       from ag_catalog.ag_label l join ag_catalog.ag_graph g on g.graphid = l.graph
      where g.name = $1
      order by l.kind desc, l.name collate "C"`,
    [graph],
  );
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
export const ENTRY_MASK = '281474976710655';
export const entrySql = (expr: string) => `(${expr}::text::bigint & ${ENTRY_MASK})`;

/** Comment put on the target graph's schema: it proves which run created the graph. */
export const ownerComment = (runId: string) => `created by stp-upgrade run ${runId}`;

export async function graphOwner(client: pg.ClientBase, schema: string): Promise<string | null> {
  const { rows } = await client.query<{ c: string | null }>(`select obj_description($1::regnamespace, 'pg_namespace') as c`, [schema]);
  return rows[0]?.c ?? null;
}

/** Vertex/edge label tables of graph `schema` (a graph's schema has the graph's name). */
export async function labelCounts(client: pg.ClientBase, labels: Label[]): Promise<{ vertices: number; edges: number }> {
  let vertices = 0;
  let edges = 0;
  for (const l of labels) {
    const { rows } = await client.query<{ n: string }>(`select count(*)::text as n from only ${l.table}`);
    if (l.kind === 'v') vertices += Number(rows[0].n);
    else edges += Number(rows[0].n);
  }
  return { vertices, edges };
}
