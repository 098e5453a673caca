/**
 * The order-independent digest of a set of row md5s (see checksums.ts): the count and the exact
 * sums of both 64-bit halves of every md5. Rows whose `h` is NULL are left out, so one
 * scan can digest several subsets of a table (`case when <subset> then md5(…) end`).
 */
export function digestAgg(h: string): { n: string; digest: string } {
  // sum(bigint) is exact (its result is numeric) and adds in 128-bit integers: the same digest as a
  // sum of numerics, without numeric arithmetic per row.
  const half = (from: number) => `coalesce(sum(('x' || substr(${h}, ${from}, 16))::bit(64)::bigint), 0)`;
  return { n: `count(${h})::int`, digest: `md5(count(${h}) || ':' || ${half(1)} || ':' || ${half(17)})` };
}

/** `n` and `digest` of the column `h` of the rows of `rowsSql`. */
export const digestSql = (rowsSql: string) => {
  const d = digestAgg('h');
  return `select ${d.n} as n, ${d.digest} as digest from (${rowsSql}) r`;
};

/** One md5 per row over `row(cols)::text`. */
export const md5Of = (cols: string) => `md5(row(${cols})::text)`;
export const md5Row = (cols: string) => `${md5Of(cols)} as h`;

/**
 * A vector column as it enters a row md5: the md5 of its binary form (vector_send, every byte of
 * every float) rather than its text form, which costs more to print than the rest of the row.
 * `vectorSchema` is the schema of the vector extension (resolved once per report).
 */
export const vectorBytes = (vectorSchema: string, expr: string) => `md5(${vectorSchema}.vector_send(${expr}))`;
