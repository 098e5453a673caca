import type pg from 'pg';

/**
 * SQL shared by the rules. Quarantine (contract section 4): a legacy row listed in
 * stp_migration.quarantine for this run under its table name and `row_key` (its id as lowercase
 * text; tags `chunk_id|tag_content`) is not migrated. Under the block policy the table holds
 * nothing for the run, so the anti-join is harmless and always present.
 */
export function notQuarantined(runIdParam: string, tableParam: string, keyExpr: string): string {
  return `not exists (select 1 from stp_migration.quarantine q
                       where q.run_id = ${runIdParam} and q.source_table = ${tableParam} and q.row_key = ${keyExpr})`;
}

/** The upper bound of a key range (activities/copy-ranges.ts): inclusive, a null parameter means none. */
export function upToSql(keyExpr: string, param: string): string {
  return `(${param}::uuid is null or ${keyExpr} <= ${param}::uuid)`;
}

/** Row key of a tag row in stp_migration.quarantine. */
export function tagRowKeySql(alias: string): string {
  return `${alias}.chunk_id::text || '|' || ${alias}.tag_content`;
}

/**
 * A timestamp as JSON text, independent of the session's TimeZone (to_jsonb(timestamptz) is not:
 * it prints the offset of the session, so the copy and a later verify could disagree byte-wise).
 * UTC, microseconds, e.g. "2024-05-01T10:00:00.123456Z"; NULL stays JSON null.
 */
export function jsonTimestampSql(expr: string): string {
  return `to_jsonb(to_char((${expr}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))`;
}

export async function countSql(client: pg.ClientBase, sql: string, params: unknown[]): Promise<number> {
  const { rows } = await client.query<{ n: string }>(sql, params);
  return Number(rows[0].n);
}
