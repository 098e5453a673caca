"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.isQ = exports.notQ = exports.literal = void 0;
exports.tablesOf = tablesOf;
exports.kindSql = kindSql;
exports.one = one;
const db_1 = require("../db");
const sql_1 = require("../rules/sql");
function tablesOf(plan) {
    const q = (name) => (0, db_1.qualified)(plan.schema, name);
    return {
        texts: q(plan.legacy.texts),
        chunks: q(plan.legacy.chunks),
        templates: q(plan.legacy.templates),
        slots: q(plan.legacy.slots),
        instances: q(plan.legacy.instances),
        tags: q(plan.legacy.tags),
        embeddings: q(plan.legacy.embeddings),
        target: q(plan.target.chunks),
        targetEmbeddings: q(plan.target.embeddings),
    };
}
/** A SQL string literal; only for names the plan or the catalog gave (validated identifiers, AGE labels). */
const literal = (s) => `'${s.replace(/'/g, "''")}'`;
exports.literal = literal;
/** The legacy row keyed `keyExpr` of table `table` is not in the quarantine of run $1. */
const notQ = (table, keyExpr) => (0, sql_1.notQuarantined)('$1', (0, exports.literal)(table), keyExpr);
exports.notQ = notQ;
const isQ = (table, keyExpr) => `not ${(0, exports.notQ)(table, keyExpr)}`;
exports.isQ = isQ;
function kindSql(kind, u = 'u') {
    const tpl = `coalesce(${u}.is_template, false)`;
    const slot = `coalesce(${u}.is_slot, false)`;
    const tag = `(${u}.metadata ->> 'type') is not distinct from 'tag'`;
    switch (kind) {
        case 'templates':
            return tpl;
        case 'slots':
            return `(${slot} and not ${tpl})`;
        case 'tags':
            return `(not ${tpl} and not ${slot} and ${tag})`;
        case 'chunks':
            return `(not ${tpl} and not ${slot} and not ${tag})`;
    }
}
/** One row; $1 is the quarantine run when the SQL uses it (an unused parameter has no type and fails). */
async function one(ctx, sql, params = []) {
    const { rows } = await ctx.client.query(sql, /\$1\b/.test(sql) ? [ctx.quarantineRun, ...params] : params);
    return rows[0];
}
//# sourceMappingURL=context.js.map