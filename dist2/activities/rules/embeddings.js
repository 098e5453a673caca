"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.embeddingsRule = void 0;
const db_1 = require("../db");
const sql_1 = require("./sql");
/**
 * Rule 6: embeddings_v2 gets one row per (chunk_id, COALESCE(model_name, default model)); the row
 * with the latest created_at wins (NULL counts as oldest; ties: greatest legacy id) and keeps its
 * legacy id, vector and created_at.
 *
 * Keyset over the legacy primary key rather than over (chunk_id, model) groups: the legacy table
 * only guarantees an index on `id`, so a group keyset would sort the whole table for every batch.
 * Rows of one group can then land in different batches, so the insert is an upsert that only ever
 * replaces a row by a better one: the final state is the same whatever the batch boundaries, and
 * replaying a batch changes nothing (the same rows are not better than themselves).
 * Excluded: quarantined rows (source_table = legacy table, row_key = id; probed in the quarantine's
 * index per row, `offset 0` keeping the planner from hashing every superseded row of the run for
 * each batch) and embeddings whose chunk
 * is not in the target (orphans; preflight blocks or quarantines them, this is the last guard
 * against an FK violation later).
 */
exports.embeddingsRule = {
    rule: 'embeddings',
    rangeTable: async (_client, { plan }) => (0, db_1.qualified)(plan.schema, plan.legacy.embeddings),
    async total(client, { plan }) {
        const { rows } = await client.query(`select count(*)::text as n from ${(0, db_1.qualified)(plan.schema, plan.legacy.embeddings)}`);
        return Number(rows[0].n);
    },
    async batch(client, { runId, plan }, afterKey, limit, upTo) {
        const legacy = (0, db_1.qualified)(plan.schema, plan.legacy.embeddings);
        const target = (0, db_1.qualified)(plan.schema, plan.target.embeddings);
        const chunks = (0, db_1.qualified)(plan.schema, plan.target.chunks);
        const { rows } = await client.query(`with b as (
         select e.id, e.chunk_id, coalesce(e.model_name, $4) as model_name, e.vector, e.created_at
           from ${legacy} e
          where ($1::uuid is null or e.id > $1::uuid) and ${(0, sql_1.upToSql)('e.id', '$6')}
          order by e.id
          limit $2),
       keep as (
         select distinct on (b.chunk_id, b.model_name) b.*
           from b
          where exists (select 1 from ${chunks} c where c.id = b.chunk_id)
            and not exists (select 1 from stp_migration.quarantine q
                             where q.run_id = $3 and q.source_table = $5 and q.row_key = b.id::text offset 0)
          order by b.chunk_id, b.model_name, coalesce(b.created_at, '-infinity') desc, b.id desc),
       ins as (
         insert into ${target} as t (id, chunk_id, vector, model_name, created_at)
         select id, chunk_id, vector, model_name, created_at from keep
         on conflict (chunk_id, model_name) do update
           set id = excluded.id, vector = excluded.vector, created_at = excluded.created_at
           where (coalesce(excluded.created_at, '-infinity'), excluded.id) > (coalesce(t.created_at, '-infinity'), t.id)
         returning 1)
       select (select count(*)::int from b) as n,
              (select id::text from b order by id limit 1) as first,
              (select id::text from b order by id desc limit 1) as last,
              (select count(*) from ins) as written`, [afterKey, limit, runId, plan.embeddings.defaultModel, plan.legacy.embeddings, upTo ?? null]);
        return { rows: rows[0].n, firstKey: rows[0].first, lastKey: rows[0].last };
    },
};
//# sourceMappingURL=embeddings.js.map