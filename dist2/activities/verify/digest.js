"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.vectorBytes = exports.md5Row = exports.md5Of = exports.digestSql = void 0;
exports.digestAgg = digestAgg;
/**
 * The order-independent digest of a set of row md5s (see checksums.ts): the count and the sums,
 * as numeric, of both 64-bit halves of every md5. Rows whose `h` is NULL are left out, so one
 * scan can digest several subsets of a table (`case when <subset> then md5(…) end`).
 */
function digestAgg(h) {
    const half = (from) => `coalesce(sum(('x' || substr(${h}, ${from}, 16))::bit(64)::bigint::numeric), 0)`;
    return { n: `count(${h})::int`, digest: `md5(count(${h}) || ':' || ${half(1)} || ':' || ${half(17)})` };
}
/** `n` and `digest` of the column `h` of the rows of `rowsSql`. */
const digestSql = (rowsSql) => {
    const d = digestAgg('h');
    return `select ${d.n} as n, ${d.digest} as digest from (${rowsSql}) r`;
};
exports.digestSql = digestSql;
/** One md5 per row over `row(cols)::text`. */
const md5Of = (cols) => `md5(row(${cols})::text)`;
exports.md5Of = md5Of;
const md5Row = (cols) => `${(0, exports.md5Of)(cols)} as h`;
exports.md5Row = md5Row;
/**
 * A vector column as it enters a row md5: the md5 of its binary form (vector_send, every byte of
 * every float) rather than its text form, which costs more to print than the rest of the row.
 * `vectorSchema` is the schema of the vector extension (resolved once per report).
 */
const vectorBytes = (vectorSchema, expr) => `md5(${vectorSchema}.vector_send(${expr}))`;
exports.vectorBytes = vectorBytes;
//# sourceMappingURL=digest.js.map