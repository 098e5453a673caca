"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.INCOMPLETE = exports.PARTIAL = void 0;
exports.runBackup = runBackup;
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const errors_1 = require("../../common/errors");
const heartbeat_1 = require("../heartbeat");
const db_1 = require("../db");
const manifest_1 = require("./manifest");
const artifacts_1 = require("./artifacts");
const restore_1 = require("./restore");
const space_1 = require("./space");
const tools_1 = require("./tools");
/** Suffix of a dump being written; only a finished, summed dump gets its final name. */
exports.PARTIAL = '.partial';
/** Left in the run directory when a failed attempt could not remove what it wrote. */
exports.INCOMPLETE = 'INCOMPLETE';
/** One backup attempt, heartbeating from start to end (a size query may wait on a lock, pg_dump on anything). */
async function runBackup(input) {
    const beat = { phase: 'prepare', bytes: 0 };
    return (0, heartbeat_1.heartbeating)(beat, () => attempt(input, beat));
}
async function attempt({ pool, url, dir, runId, plan }, beat) {
    const { backup, schema } = plan;
    const server = (await pool.query(`select current_setting('server_version') as v, current_setting('server_version_num') as n`)).rows[0];
    const serverMajor = Math.floor(Number(server.n) / 10000);
    const dumpTool = await checkTool(backup.pgDump, 'plan.backup.pgDump', 'pg_dump', serverMajor, server.v);
    const restoreTool = backup.testRestore
        ? await checkTool(backup.pgRestore, 'plan.backup.pgRestore', 'pg_restore', serverMajor, server.v)
        : undefined;
    await (0, artifacts_1.checkArtifactPaths)({ config: backup.config, binary: backup.binary });
    const tables = await touchedTables(pool, plan);
    if (tables.length === 0) {
        throw new errors_1.PreconditionError(`none of the legacy tables of the plan exist in schema "${schema}": nothing to back up`);
    }
    const needed = await (0, space_1.estimateDumpBytes)(pool, schema, tables);
    const outOfSpace = async (err) => {
        throw (0, space_1.isNoSpace)(err) ? (0, space_1.noSpace)(backup.dir, needed, await (0, space_1.freeBytes)(backup.dir).catch(() => 0), true) : err;
    };
    await (0, space_1.prepareBackupDir)(backup.dir).catch(outOfSpace);
    // a retry after a crash finds a partial directory: start it over (and count its space as free)
    await (0, space_1.bounded)(backup.dir, 'removing an earlier attempt', () => node_fs_1.default.promises.rm(dir, { recursive: true, force: true }));
    (0, space_1.checkSpace)(backup.dir, needed, await (0, space_1.freeBytes)(backup.dir));
    const name = `${plan.database}.dump`;
    const file = node_path_1.default.join(dir, name);
    beat.phase = 'dump';
    try {
        await (0, space_1.bounded)(backup.dir, `mkdir ${dir}`, () => node_fs_1.default.promises.mkdir(dir, { mode: 0o700 }));
        await node_fs_1.default.promises.chmod(dir, 0o700);
        const { digest, stats } = await dump({ pool, url, schema, tables, file: file + exports.PARTIAL, pgDump: backup.pgDump, major: dumpTool.major, stats: Boolean(restoreTool), beat });
        const files = [{ file: name, ...digest }];
        beat.phase = 'artifacts';
        const artifacts = await (0, artifacts_1.backupArtifacts)(dir, backup);
        await (0, manifest_1.writePrivateFile)(node_path_1.default.join(dir, manifest_1.SUMS), (0, manifest_1.sumsText)([...files, ...artifacts]));
        await node_fs_1.default.promises.rename(file + exports.PARTIAL, file);
        await fsyncPath(dir, 'r');
        let warnings;
        if (restoreTool && stats) {
            beat.phase = 'restore';
            ({ warnings } = await (0, restore_1.testRestore)({ source: pool, url, runId, schema, tables, file, pgRestore: backup.pgRestore, expected: stats }));
        }
        beat.phase = 'manifest';
        const manifest = {
            format: 1,
            run_id: runId,
            database: plan.database,
            server_version: server.v,
            server_version_num: Number(server.n),
            pg_dump_version: dumpTool.text,
            ...(restoreTool ? { pg_restore_version: restoreTool.text } : {}),
            schema,
            tables: tables.map((t) => `${schema}.${t}`),
            ...(stats ? { table_stats: stats } : {}),
            files,
            ...(artifacts.length > 0 ? { artifacts } : {}),
            created_at: new Date().toISOString(),
            restore_tested: Boolean(restoreTool),
            ...(warnings?.length ? { restore_warnings: warnings } : {}),
        };
        await (0, manifest_1.writePrivateFile)(node_path_1.default.join(dir, manifest_1.MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
        return { dir, files, restoreTested: manifest.restore_tested, ...(artifacts.length > 0 ? { artifacts } : {}) };
    }
    catch (err) {
        await discard(backup.dir, dir, err);
        return outOfSpace(err);
    }
}
/**
 * pg_dump reads the snapshot this transaction exported, so the dump and the stats compared after
 * the restore see exactly the same rows while users keep writing.
 */
async function dump(input) {
    const conn = (0, tools_1.childConnection)(input.url);
    return (0, db_1.withClient)(input.pool, async (client) => {
        await client.query('begin transaction isolation level repeatable read, read only');
        try {
            const snapshot = (await client.query('select pg_export_snapshot() as s')).rows[0].s;
            const args = ['--format=custom', compression(input.major), '--no-password', `--snapshot=${snapshot}`, `--dbname=${conn.dbname}`];
            for (const t of input.tables)
                args.push('--table', (0, db_1.qualified)(input.schema, t));
            const { tap, digest } = (0, tools_1.hashingTap)((bytes) => (input.beat.bytes = bytes));
            const out = node_fs_1.default.createWriteStream(input.file, { flags: 'wx', mode: 0o600 });
            await (0, tools_1.runTool)(input.pgDump, args, conn.env, { stdout: [tap, out] });
            await fsyncPath(input.file, 'r+');
            const stats = input.stats ? await (0, restore_1.tableStats)(client, input.schema, input.tables) : undefined;
            return { digest: digest(), stats };
        }
        catch (err) {
            throw err instanceof Error && 'severity' in err ? new Error((0, db_1.describePgError)(err)) : err;
        }
        finally {
            await client.query('rollback').catch(() => undefined);
        }
    });
}
/**
 * After a failed attempt nothing may look like a backup: the run directory goes (it holds only
 * this attempt's files); when even that fails, an INCOMPLETE file says why.
 */
async function discard(baseDir, dir, cause) {
    try {
        await (0, space_1.bounded)(baseDir, 'removing the unfinished backup', () => node_fs_1.default.promises.rm(dir, { recursive: true, force: true }));
    }
    catch (err) {
        const text = `This backup did not finish and is not usable: ${cause?.message ?? String(cause)}\n` +
            `Removing it failed too (${err.message}). Delete this directory.\n`;
        await (0, space_1.bounded)(baseDir, 'writing the INCOMPLETE marker', () => node_fs_1.default.promises.writeFile(node_path_1.default.join(dir, exports.INCOMPLETE), text)).catch(() => undefined);
    }
}
async function checkTool(bin, setting, tool, serverMajor, serverVersion) {
    const v = await (0, tools_1.toolVersion)(bin, setting);
    if (v.major !== serverMajor) {
        throw new errors_1.PreconditionError(`${setting} "${bin}" is ${tool} ${v.major} ("${v.text}") but the server runs PostgreSQL ${serverVersion}: ` +
            `set ${setting} to a ${tool} of major version ${serverMajor} (for example /usr/lib/postgresql/${serverMajor}/bin/${tool}, ` +
            `or ~/.cache/stp-upgrade/bin/${tool} made by scripts/install.sh)`);
    }
    return v;
}
/** Legacy tables of the plan that exist, then the target tables if this or an earlier run made them. */
async function touchedTables(pool, plan) {
    const wanted = [...new Set([...Object.values(plan.legacy), ...Object.values(plan.target)])];
    const { rows } = await pool.query(`select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relname = any($2) and c.relkind in ('r', 'p')`, [plan.schema, wanted]);
    const found = new Set(rows.map((r) => r.relname));
    if (!Object.values(plan.legacy).some((t) => found.has(t)))
        return [];
    return wanted.filter((t) => found.has(t));
}
/** pg_dump's default gzip level is several times slower than zstd:1, which also compresses vectors better. */
function compression(major) {
    return major >= 16 ? '--compress=zstd:1' : '--compress=1';
}
/** fsync of a file, or of a directory (so a rename in it survives a power cut). */
async function fsyncPath(p, flags) {
    const fh = await node_fs_1.default.promises.open(p, flags);
    try {
        await fh.sync();
    }
    finally {
        await fh.close();
    }
}
//# sourceMappingURL=run.js.map