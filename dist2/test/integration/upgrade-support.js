"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.CACHE_BIN = void 0;
exports.pgTools = pgTools;
exports.randomQueue = randomQueue;
exports.tempDir = tempDir;
exports.writePlan = writePlan;
exports.fixtureTemplate = fixtureTemplate;
exports.cloneDatabase = cloneDatabase;
exports.waitFor = waitFor;
exports.checkpoint = checkpoint;
exports.tableMd5 = tableMd5;
exports.startInProcessWorker = startInProcessWorker;
const node_crypto_1 = require("node:crypto");
const node_child_process_1 = require("node:child_process");
const node_fs_1 = __importDefault(require("node:fs"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const client_1 = require("@temporalio/client");
const worker_1 = require("@temporalio/worker");
const pg_1 = __importDefault(require("pg"));
const yaml_1 = __importDefault(require("yaml"));
const generate_1 = require("../../fixtures/generate");
const pg_2 = require("../helpers/pg");
const processes_1 = require("../helpers/processes");
const temporal_1 = require("../helpers/temporal");
/** Shared by the end-to-end upgrade tests (upgrade-*.test.ts): fixture databases, clones, plans. */
exports.CACHE_BIN = node_path_1.default.join(process.env.STP_CACHE ?? node_path_1.default.join(node_os_1.default.homedir(), '.cache', 'stp-upgrade'), 'bin');
/** The pg_dump/pg_restore wrappers of scripts/install.sh (installed on first use). */
function pgTools() {
    const pgDump = node_path_1.default.join(exports.CACHE_BIN, 'pg_dump');
    const pgRestore = node_path_1.default.join(exports.CACHE_BIN, 'pg_restore');
    if (!node_fs_1.default.existsSync(pgDump) || !node_fs_1.default.existsSync(pgRestore)) {
        const r = (0, node_child_process_1.spawnSync)('bash', [node_path_1.default.join(processes_1.REPO_ROOT, 'scripts', 'install.sh')], { stdio: 'inherit' });
        if (r.status !== 0)
            throw new Error('scripts/install.sh failed');
    }
    return { pgDump, pgRestore };
}
function randomQueue(prefix) {
    return `${prefix}-${(0, node_crypto_1.randomUUID)().slice(0, 8)}`;
}
function tempDir(prefix) {
    return node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), `stp-${prefix}-`));
}
function writePlan(dir, name, plan) {
    const file = node_path_1.default.join(dir, `${name}.yaml`);
    node_fs_1.default.writeFileSync(file, yaml_1.default.stringify(plan));
    return file;
}
const admin = (fn) => (0, pg_2.withPgClient)(fn);
function dbHandle(name) {
    const url = (0, pg_2.urlFor)(name);
    const pool = new pg_1.default.Pool({ connectionString: url, max: 3 });
    pool.on('error', () => undefined);
    return {
        name,
        url,
        pool,
        drop: async () => {
            await pool.end().catch(() => undefined);
            await admin((c) => c.query(`drop database if exists "${name}" with (force)`));
        },
    };
}
/**
 * Generates a fixture once into a template database (no connection is kept to it, so it can be
 * copied with `create database … template`, much faster than generating again).
 */
async function fixtureTemplate(name, opts) {
    const db = await (0, pg_2.createTestDatabase)(name);
    try {
        const summary = await (0, generate_1.generateFixtures)(db.pool, opts);
        await db.pool.end();
        const template = new URL(db.url).pathname.slice(1);
        return { template, summary, drop: () => admin((c) => c.query(`drop database if exists "${template}" with (force)`)).then(() => undefined) };
    }
    catch (err) {
        await db.drop();
        throw err;
    }
}
/** A fresh copy of a template database. */
async function cloneDatabase(template, name) {
    const db = `${process.env.STP_TEST_DB_PREFIX ?? 'stp_test'}_${name}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
    await admin(async (c) => {
        await c.query(`drop database if exists "${db}" with (force)`);
        await c.query(`create database "${db}" template "${template}"`);
    });
    return dbHandle(db);
}
/** Polls until fn() is truthy; fails with `what` after timeoutMs. */
async function waitFor(what, fn, timeoutMs = 60_000, everyMs = 100) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const v = await fn();
        if (v)
            return v;
        if (Date.now() > deadline)
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, everyMs));
    }
}
/** The committed progress of one copy rule, from the copy engine's own checkpoint table. */
async function checkpoint(pool, rule) {
    const { rows } = await pool
        .query(`select batches::int, finished from stp_migration.checkpoints where rule = $1`, [rule])
        .catch(() => ({ rows: [] }));
    return rows[0];
}
/** md5 of every row of a table, ordered by id. */
async function tableMd5(pool, table) {
    const { rows } = await pool.query(`select count(*)::text as n, md5(string_agg(t::text, E'\\n' order by t.id)) as md5 from ${table} t`);
    return `${rows[0].n} ${rows[0].md5}`;
}
/**
 * A worker inside the test process on `taskQueue`, running the real workflows with the given
 * activities (the real ones, wrapped to inject failures or watch calls), and a client of the
 * dev server. stop() shuts the worker down (waiting for it) and closes both connections.
 */
async function startInProcessWorker(taskQueue, activities) {
    const native = await worker_1.NativeConnection.connect({ address: temporal_1.TEMPORAL_ADDRESS });
    const worker = await worker_1.Worker.create({ connection: native, taskQueue, workflowsPath: require.resolve('../../workflows'), activities });
    const running = worker.run().finally(() => native.close());
    const connection = await client_1.Connection.connect({ address: temporal_1.TEMPORAL_ADDRESS });
    return {
        client: new client_1.Client({ connection }),
        stop: async () => {
            worker.shutdown();
            await running;
            await connection.close();
        },
    };
}
//# sourceMappingURL=upgrade-support.js.map