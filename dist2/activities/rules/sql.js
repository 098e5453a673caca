"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.notQuarantined = notQuarantined;
exports.upToSql = upToSql;
exports.tagRowKeySql = tagRowKeySql;
exports.jsonTimestampSql = jsonTimestampSql;
exports.countSql = countSql;
/**
 * SQL shared by the rules. Quarantine (contract section 4): a legacy row listed in
 * stp_migration.quarantine for this run under its table name and `row_key` (its id as lowercase
 * text; tags `chunk_id|tag_content`) is not migrated. Under the block policy the table holds
 * nothing for the run, so the anti-join is harmless and always present.
 */
function notQuarantined(runIdParam, tableParam, keyExpr) {
    return `not exists (select 1 from stp_migration.quarantine q
                       where q.run_id = ${runIdParam} and q.source_table = ${tableParam} and q.row_key = ${keyExpr})`;
}
/** The upper bound of a key range (activities/copy-ranges.ts): inclusive, a null parameter means none. */
function upToSql(keyExpr, param) {
    return `(${param}::uuid is null or ${keyExpr} <= ${param}::uuid)`;
}
/** Row key of a tag row in stp_migration.quarantine. */
function tagRowKeySql(alias) {
    return `${alias}.chunk_id::text || '|' || ${alias}.tag_content`;
}
/**
 * A timestamp as JSON text, independent of the session's TimeZone (to_jsonb(timestamptz) is not:
 * it prints the offset of the session, so the copy and a later verify could disagree byte-wise).
 * UTC, microseconds, e.g. "2024-05-01T10:00:00.123456Z"; NULL stays JSON null.
 */
function jsonTimestampSql(expr) {
    return `to_jsonb(to_char((${expr}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))`;
}
async function countSql(client, sql, params) {
    const { rows } = await client.query(sql, params);
    return Number(rows[0].n);
}
//# sourceMappingURL=sql.js.map