"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.tableStats = tableStats;
exports.scratchDatabaseName = scratchDatabaseName;
exports.testRestore = testRestore;
const node_crypto_1 = __importDefault(require("node:crypto"));
const node_fs_1 = __importDefault(require("node:fs"));
const pg_1 = __importDefault(require("pg"));
const errors_1 = require("../../common/errors");
const db_1 = require("../db");
const tools_1 = require("./tools");
/**
 * Counts and fingerprints tables (sum of the first 60 bits of md5 over each row's text). Call it
 * inside a transaction: it pins the output settings locally so both sides print rows alike.
 */
async function tableStats(client, schema, tables) {
    await client.query(`select set_config('timezone', 'UTC', true), set_config('extra_float_digits', '1', true),
                             set_config('datestyle', 'ISO, MDY', true), set_config('bytea_output', 'hex', true)`);
    const stats = {};
    for (const table of tables) {
        const { rows } = await client.query(`select count(*)::text as n, coalesce(sum(('x' || left(md5(t::text), 15))::bit(60)::bigint), 0)::text as f
         from ${(0, db_1.qualified)(schema, table)} t`);
        stats[table] = { rows: Number(rows[0].n), fingerprint: rows[0].f };
        (0, tools_1.heartbeat)({ phase: 'fingerprint', table });
    }
    return stats;
}
/** The scratch database of a run's restore test: stable per run, so a retry finds and drops a leftover. */
function scratchDatabaseName(runId) {
    return `stp_restore_${node_crypto_1.default.createHash('sha256').update(runId).digest('hex').slice(0, 12)}`;
}
const quoteCatalog = (name) => `"${name.replace(/"/g, '""')}"`;
/** Extensions owning the column types of the dumped tables (pg_dump -t does not dump them). */
async function neededExtensions(client, schema, tables) {
    const { rows } = await client.query(`select distinct e.extname, en.nspname
       from pg_attribute a
       join pg_class c on c.oid = a.attrelid
       join pg_namespace cn on cn.oid = c.relnamespace
       join pg_type ty on ty.oid = a.atttypid
       join pg_depend d on d.classid = 'pg_type'::regclass and d.deptype = 'e'
                       and d.objid in (ty.oid, ty.typelem)
       join pg_extension e on e.oid = d.refobjid
       join pg_namespace en on en.oid = e.extnamespace
      where cn.nspname = $1 and c.relname = any($2) and a.attnum > 0 and not a.attisdropped`, [schema, tables]);
    return rows;
}
/**
 * Restores the dump into a scratch database on the same server and compares every table with the
 * dump's snapshot. The scratch database is dropped on every path. Returns post-data warnings (an
 * index or trigger that does not restore in isolation), which do not fail the test.
 */
async function testRestore(input) {
    const scratch = scratchDatabaseName(input.runId);
    const dropScratch = () => input.source.query(`drop database if exists ${(0, db_1.ident)(scratch)} with (force)`);
    await dropScratch();
    await input.source.query(`create database ${(0, db_1.ident)(scratch)} template template0`).catch((err) => {
        if (err.code !== '42501')
            throw err;
        throw new errors_1.PreconditionError(`the restore test needs to create a scratch database (${err.message}): grant CREATEDB to the worker's role or set plan.backup.testRestore to false`);
    });
    try {
        const exts = await neededExtensions(input.source, input.schema, input.tables);
        const conn = (0, tools_1.childConnection)(input.url, scratch);
        const scratchUrl = new URL(input.url);
        scratchUrl.pathname = `/${scratch}`;
        const client = new pg_1.default.Client({ connectionString: scratchUrl.toString() });
        client.on('error', () => undefined); // a dropped connection fails the query in flight, not the worker
        await client.connect();
        try {
            for (const s of new Set([input.schema, ...exts.map((e) => e.nspname)])) {
                await client.query(`create schema if not exists ${quoteCatalog(s)}`);
            }
            for (const e of exts) {
                await client.query(`create extension if not exists ${quoteCatalog(e.extname)} with schema ${quoteCatalog(e.nspname)}`);
            }
            const base = ['--no-password', `--dbname=${conn.dbname}`, '--no-owner', '--no-privileges'];
            (0, tools_1.heartbeat)({ phase: 'restore' });
            await (0, tools_1.runTool)(input.pgRestore, [...base, '--exit-on-error', '--section=pre-data', '--section=data'], conn.env, {
                stdin: node_fs_1.default.createReadStream(input.file),
            });
            const warnings = [];
            await (0, tools_1.runTool)(input.pgRestore, [...base, '--section=post-data'], conn.env, { stdin: node_fs_1.default.createReadStream(input.file) }).catch((err) => warnings.push(`post-data objects did not all restore in the scratch database: ${err.message}`));
            const restored = await (0, db_1.inTransaction)(client, (c) => tableStats(c, input.schema, input.tables));
            const diffs = input.tables.filter((t) => restored[t]?.rows !== input.expected[t]?.rows || restored[t]?.fingerprint !== input.expected[t]?.fingerprint);
            if (diffs.length) {
                const what = diffs.map((t) => `${t}: dumped ${input.expected[t]?.rows} rows, restored ${restored[t]?.rows}`);
                throw new errors_1.VerificationError(`the backup does not restore to the same rows (${what.join('; ')})`);
            }
            return { warnings };
        }
        finally {
            await client.end().catch(() => undefined);
        }
    }
    finally {
        await dropScratch();
    }
}
//# sourceMappingURL=restore.js.map