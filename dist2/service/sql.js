"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TEXT_COLUMNS = exports.MissingTableError = void 0;
exports.withTx = withTx;
exports.page = page;
exports.count = count;
exports.requireTables = requireTables;
exports.vectorDimension = vectorDimension;
exports.insertText = insertText;
exports.selectText = selectText;
const config_1 = require("./config");
/** Helpers shared by the v1 and v2 data layers. */
async function withTx(pool, fn) {
    const c = await pool.connect();
    try {
        await c.query('begin');
        const out = await fn(c);
        await c.query('commit');
        return out;
    }
    catch (err) {
        await c.query('rollback').catch(() => undefined);
        throw err;
    }
    finally {
        c.release();
    }
}
async function page(pool, table, columns, order, limit, offset) {
    const [rows, count] = await Promise.all([
        pool.query(`select ${columns} from ${(0, config_1.q)(table)} order by ${order} limit $1 offset $2`, [limit, offset]),
        pool.query(`select count(*)::int as n from ${(0, config_1.q)(table)}`),
    ]);
    return { rows: rows.rows, total: count.rows[0].n };
}
async function count(pool, sql) {
    const { rows } = await pool.query(sql);
    return rows[0].n;
}
class MissingTableError extends Error {
    constructor(message) {
        super(message);
        this.name = 'MissingTableError';
    }
}
exports.MissingTableError = MissingTableError;
/** Connectivity plus the existence of the tables a version needs. */
async function requireTables(pool, tables) {
    const { rows } = await pool.query(`select name from unnest($1::text[]) as name where to_regclass(quote_ident(name)) is null`, [tables]);
    if (rows.length)
        throw new MissingTableError(`missing tables: ${rows.map((r) => r.name).join(', ')}`);
}
/** The dimension of a pgvector column (its typmod), or null when the column has none. */
async function vectorDimension(pool, table) {
    const { rows } = await pool.query(`select atttypmod as dim from pg_attribute where attrelid = to_regclass(quote_ident($1)) and attname = 'vector'`, [table]);
    const dim = rows[0]?.dim;
    return dim && dim > 0 ? dim : null;
}
exports.TEXT_COLUMNS = 'id, title, content, created_at, updated_at';
async function insertText(c, table, id, title, content) {
    await c.query(`insert into ${(0, config_1.q)(table)} (id, title, content) values ($1, $2, $3)`, [id, title, content]);
}
async function selectText(pool, table, id) {
    const { rows } = await pool.query(`select ${exports.TEXT_COLUMNS} from ${(0, config_1.q)(table)} where id = $1`, [id]);
    return rows[0] ?? null;
}
//# sourceMappingURL=sql.js.map