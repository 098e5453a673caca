"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.connectionError = connectionError;
exports.createAssessActivities = createAssessActivities;
exports.readAssessment = readAssessment;
exports.formatBytes = formatBytes;
const node_fs_1 = __importDefault(require("node:fs"));
const plan_1 = require("../common/plan");
const errors_1 = require("../common/errors");
const assess_resources_1 = require("./assess-resources");
const db_1 = require("./db");
const assess_privileges_1 = require("./assess-privileges");
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', '57P03', '3D000', '28P01', '28000']);
/** Turns "cannot connect" into an error that names the database and the variable to check. */
function connectionError(database, err) {
    const code = err.code;
    if (code && CONNECTION_CODES.has(code)) {
        return new errors_1.DatabaseUnavailableError(`database "${database}" is not reachable (${(0, db_1.describePgError)(err)}). Check that the server runs and ` +
            `that the worker's connection string for "${database}" (STP_DATABASE_URL or STP_DATABASE_URL_<NAME>) is right.`);
    }
    return err instanceof Error ? err : new Error(String(err));
}
function createAssessActivities({ pools }) {
    return {
        /** The runbook's "System Assessment" and "Resource Planning", read from the database. Read-only. */
        async assess(input) {
            const pool = pools.get(input.database);
            try {
                const report = await (0, db_1.withClient)(pool, (client) => readAssessment(client, input));
                return input.blueUrl ? (0, assess_resources_1.withResources)(report, await (0, assess_resources_1.serviceResources)(input.blueUrl)) : report;
            }
            catch (err) {
                throw connectionError(input.database, err);
            }
        },
    };
}
async function readAssessment(client, input) {
    const schema = input.schema ?? 'public';
    const legacy = plan_1.LegacyTables.parse(input.legacy ?? {});
    const version = await client.query(`select current_setting('server_version') as v, current_setting('server_version_num') as n`);
    const ext = await client.query(`select name, installed_version from pg_available_extensions where name in ('vector', 'age', 'plpgsql')`);
    const tables = {};
    let legacySizeBytes = 0;
    for (const table of Object.values(legacy)) {
        const found = await client.query(`select c.oid::text, pg_total_relation_size(c.oid)::text as bytes
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relname = $2 and c.relkind in ('r', 'p')`, [schema, table]);
        if (found.rows.length === 0) {
            tables[table] = null;
            continue;
        }
        const count = await client.query(`select count(*)::text as n from "${schema}"."${table}"`);
        tables[table] = Number(count.rows[0].n);
        legacySizeBytes += Number(found.rows[0].bytes);
    }
    const size = await client.query(`select pg_database_size(current_database())::text as bytes`);
    const warnings = [];
    const missing = Object.entries(tables).filter(([, n]) => n === null).map(([t]) => t);
    if (missing.length)
        warnings.push(`legacy tables not found in schema "${schema}": ${missing.join(', ')}`);
    const freeBytes = await freeSpace(client);
    const requiredFreeBytes = legacySizeBytes * 3;
    if (freeBytes === null) {
        warnings.push(`free disk space on the database host is unknown to the worker: make sure ${formatBytes(requiredFreeBytes)} are free (3x the legacy data)`);
    }
    else if (freeBytes < requiredFreeBytes) {
        warnings.push(`only ${formatBytes(freeBytes)} free on the database's file system; the runbook asks for ${formatBytes(requiredFreeBytes)} (3x the legacy data)`);
    }
    const privileges = await (0, assess_privileges_1.readPrivileges)(client, input.needs ?? (0, assess_privileges_1.DEFAULT_NEEDS)(schema, legacy));
    warnings.push(...(0, assess_privileges_1.privilegeWarnings)(privileges));
    const installed = ext.rows.filter((r) => r.installed_version !== null);
    return {
        database: input.database,
        serverVersion: version.rows[0].v,
        serverVersionNum: Number(version.rows[0].n),
        extensions: Object.fromEntries(installed.map((r) => [r.name, r.installed_version])),
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
async function freeSpace(client) {
    try {
        const { rows } = await client.query(`select current_setting('data_directory') as dir`);
        const stat = await node_fs_1.default.promises.statfs(rows[0].dir);
        return stat.bavail * stat.bsize;
    }
    catch {
        return null; // not a superuser, or the server runs elsewhere
    }
}
function formatBytes(n) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    let v = n;
    while (v >= 1024 && i < units.length - 1) {
        v /= 1024;
        i++;
    }
    return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
//# sourceMappingURL=assess.js.map