import fs from 'node:fs';
import type pg from 'pg';
import { LegacyTables } from '../common/plan';
import type { Assessment } from '../common/steps';
import { DatabaseUnavailableError } from '../common/errors';
import { serviceResources, withResources } from './assess-resources';
import { describePgError, type Pools, withClient } from './db';
import { DEFAULT_NEEDS, privilegeWarnings, readPrivileges, type PrivilegeNeeds } from './assess-privileges';

export interface AssessInput {
  database: string;
  schema?: string;
  legacy?: Partial<Record<keyof ReturnType<typeof LegacyTables.parse>, string>>;
  /** What the run will do (preflight: its plan's); a bare assess assumes a default data run. */
  needs?: PrivilegeNeeds;
  /** Blue's base URL: its memory now and the recommendation during the migration. */
  blueUrl?: string;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', '57P03', '3D000', '28P01', '28000']);

/** Turns "cannot connect" into an error that names the database and the variable to check. */
export function connectionError(database: string, err: unknown): Error {
  const code = (err as { code?: string }).code;
  if (code && CONNECTION_CODES.has(code)) {
    return new DatabaseUnavailableError(
      `database "${database}" is not reachable (${describePgError(err)}). Check that the server runs and ` +
        `that the worker's connection string for "${database}" (STP_DATABASE_URL or STP_DATABASE_URL_<NAME>) is right.`,
    );
  }
  return err instanceof Error ? err : new Error(String(err));
}

export function createAssessActivities({ pools }: { pools: Pools }) {
  return {
    /** The runbook's "System Assessment" and "Resource Planning", read from the database. Read-only. */
    async assess(input: AssessInput): Promise<Assessment> {
      const pool = pools.get(input.database);
      try {
        const report = await withClient(pool, (client) => readAssessment(client, input));
        return input.blueUrl ? withResources(report, await serviceResources(input.blueUrl)) : report;
      } catch (err) {
        throw connectionError(input.database, err);
      }
    },
  };
}

export async function readAssessment(client: pg.PoolClient, input: AssessInput): Promise<Assessment> {
  const schema = input.schema ?? 'public';
  const legacy = LegacyTables.parse(input.legacy ?? {});
  const version = await client.query<{ v: string; n: string }>(
    `select current_setting('server_version') as v, current_setting('server_version_num') as n`,
  );
  const ext = await client.query<{ name: string; installed_version: string | null }>(
    `select name, installed_version from pg_available_extensions where name in ('vector', 'age', 'plpgsql')`,
  );
  const tables: Record<string, number | null> = {};
  let legacySizeBytes = 0;
  for (const table of Object.values(legacy)) {
    const found = await client.query<{ oid: string; bytes: string }>(
      `select c.oid::text, pg_total_relation_size(c.oid)::text as bytes
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relname = $2 and c.relkind in ('r', 'p')`,
      [schema, table],
    );
    if (found.rows.length === 0) {
      tables[table] = null;
      continue;
    }
    const count = await client.query<{ n: string }>(`select count(*)::text as n from "${schema}"."${table}"`);
    tables[table] = Number(count.rows[0].n);
    legacySizeBytes += Number(found.rows[0].bytes);
  }
  const size = await client.query<{ bytes: string }>(`select pg_database_size(current_database())::text as bytes`);
  const warnings: string[] = [];
  const missing = Object.entries(tables).filter(([, n]) => n === null).map(([t]) => t);
  if (missing.length) warnings.push(`legacy tables not found in schema "${schema}": ${missing.join(', ')}`);
  const freeBytes = await freeSpace(client);
  const requiredFreeBytes = legacySizeBytes * 3;
  if (freeBytes === null) {
    warnings.push(`free disk space on the database host is unknown to the worker: make sure ${formatBytes(requiredFreeBytes)} are free (3x the legacy data)`);
  } else if (freeBytes < requiredFreeBytes) {
    warnings.push(`only ${formatBytes(freeBytes)} free on the database's file system; the runbook asks for ${formatBytes(requiredFreeBytes)} (3x the legacy data)`);
  }
  const privileges = await readPrivileges(client, input.needs ?? DEFAULT_NEEDS(schema, legacy));
  warnings.push(...privilegeWarnings(privileges));
  const installed = ext.rows.filter((r) => r.installed_version !== null);
  return {
    database: input.database,
    serverVersion: version.rows[0].v,
    serverVersionNum: Number(version.rows[0].n),
    extensions: Object.fromEntries(installed.map((r) => [r.name, r.installed_version as string])),
    availableExtensions: ext.rows.map((r) => r.name).sort(),
    tables,
    databaseSizeBytes: Number(size.rows[0].bytes),
    legacySizeBytes,
    requiredFreeBytes,
    freeBytes,
    warnings,
    privileges,
  };
}

/** Free bytes under the data directory, when the worker shares the database's file system. */
async function freeSpace(client: pg.PoolClient): Promise<number | null> {
  try {
    const { rows } = await client.query<{ dir: string }>(`select current_setting('data_directory') as dir`);
    const stat = await fs.promises.statfs(rows[0].dir);
    return stat.bavail * stat.bsize;
  } catch {
    return null; // not a superuser, or the server runs elsewhere
  }
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
