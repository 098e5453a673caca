"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.ADMIN_URL = void 0;
exports.withPgClient = withPgClient;
exports.urlFor = urlFor;
exports.createTestDatabase = createTestDatabase;
const pg_1 = __importDefault(require("pg"));
/** The admin URL of the dev/test PostgreSQL (dev:up starts it on 127.0.0.1:55432). */
exports.ADMIN_URL = process.env.STP_TEST_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:55432/postgres';
/**
 * `fn` on one short-lived connection to `url` (the admin database of the dev server by default).
 * A dropped connection fails the query in flight, not the process.
 */
async function withPgClient(fn, url = exports.ADMIN_URL) {
    const c = new pg_1.default.Client({ connectionString: url });
    c.on('error', () => undefined);
    await c.connect();
    try {
        return await fn(c);
    }
    finally {
        await c.end();
    }
}
function urlFor(database) {
    const u = new URL(exports.ADMIN_URL);
    u.pathname = `/${database}`;
    return u.toString();
}
/**
 * A fresh database for one test file, with vector (and age when asked) installed.
 * Each test file uses its own database so that files can run in parallel.
 */
async function createTestDatabase(name, opts = {}) {
    const db = `${process.env.STP_TEST_DB_PREFIX ?? 'stp_test'}_${name}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
    const admin = new pg_1.default.Client({ connectionString: exports.ADMIN_URL });
    await admin.connect();
    try {
        await admin.query(`drop database if exists "${db}" with (force)`);
        await admin.query(`create database "${db}"`);
    }
    finally {
        await admin.end();
    }
    const url = urlFor(db);
    const pool = new pg_1.default.Pool({ connectionString: url, max: 4 });
    pool.on('error', () => undefined);
    for (const ext of opts.extensions ?? ['vector', 'age']) {
        await pool.query(`set client_min_messages = warning; create extension if not exists ${ext}`);
    }
    return {
        url,
        pool,
        drop: async () => {
            await pool.end();
            const a = new pg_1.default.Client({ connectionString: exports.ADMIN_URL });
            await a.connect();
            await a.query(`drop database if exists "${db}" with (force)`).finally(() => a.end());
        },
    };
}
//# sourceMappingURL=pg.js.map