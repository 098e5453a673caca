"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.templateName = exports.admin = void 0;
exports.ensureTemplate = ensureTemplate;
exports.cloneTemplate = cloneTemplate;
const pg_1 = __importDefault(require("pg"));
const generate_1 = require("../fixtures/generate");
const pg_2 = require("../test/helpers/pg");
const admin = (fn) => (0, pg_2.withPgClient)(fn);
exports.admin = admin;
const templateName = (k) => `stp_bench_tpl_${k.chunks}_s${k.seed}_d${k.dim}`;
exports.templateName = templateName;
async function exists(name) {
    return (0, exports.admin)(async (c) => (await c.query(`select 1 from pg_database where datname = $1`, [name])).rowCount === 1);
}
/** The template database of `k`, generated (with every defect kind, no graph) unless it exists. */
async function ensureTemplate(k, log) {
    const name = (0, exports.templateName)(k);
    if (await exists(name))
        return { name, generatedMs: null };
    const partial = `${name}_partial`;
    await (0, exports.admin)(async (c) => {
        await c.query(`drop database if exists "${partial}" with (force)`);
        await c.query(`create database "${partial}"`);
    });
    const pool = new pg_1.default.Pool({ connectionString: (0, pg_2.urlFor)(partial), max: 2 });
    pool.on('error', () => undefined);
    const started = Date.now();
    try {
        await pool.query(`set client_min_messages = warning; create extension if not exists vector; create extension if not exists age`);
        await (0, generate_1.generateFixtures)(pool, { chunks: k.chunks, dim: k.dim, seed: k.seed, defects: true, graph: false, log: (l) => log(`  fixture ${k.chunks}: ${l}`) });
    }
    finally {
        await pool.end();
    }
    await (0, exports.admin)((c) => c.query(`alter database "${partial}" rename to "${name}"`));
    return { name, generatedMs: Date.now() - started };
}
/** A fresh copy of a template; `drop` removes it. */
async function cloneTemplate(template, name) {
    const db = `${process.env.STP_TEST_DB_PREFIX ?? 'stp_bench'}_${name}`;
    await (0, exports.admin)(async (c) => {
        await c.query(`drop database if exists "${db}" with (force)`);
        await c.query(`create database "${db}" template "${template}"`);
    });
    const pool = new pg_1.default.Pool({ connectionString: (0, pg_2.urlFor)(db), max: 3 });
    pool.on('error', () => undefined);
    return {
        name: db,
        url: (0, pg_2.urlFor)(db),
        pool,
        drop: async () => {
            await pool.end().catch(() => undefined);
            await (0, exports.admin)((c) => c.query(`drop database if exists "${db}" with (force)`));
        },
    };
}
//# sourceMappingURL=fixture-cache.js.map