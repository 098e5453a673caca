"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.replayReverseBatch = replayReverseBatch;
const db_1 = require("../db");
const slots_1 = require("../rules/slots");
const forward_1 = require("./forward");
const yielding_1 = require("./yielding");
/**
 * Reverse replay (contract section 6, rules R1-R5): one batch of green's recorded writes to the
 * target tables, applied to the legacy tables from the *current* target state, in the caller's
 * transaction, with the claimed change rows deleted in the same commit. The writes are made with
 * `stp_migration.replaying` set, so the forward capture does not record them again (no echo).
 */
async function replayReverseBatch(tx, runId, plan, limit) {
    const q = (t) => (0, db_1.qualified)(plan.schema, t);
    const L = plan.legacy;
    const LC = q(L.chunks), LT = q(L.templates), LS = q(L.slots), LI = q(L.instances), LG = q(L.tags), LE = q(L.embeddings);
    const T = q(plan.target.chunks), TE = q(plan.target.embeddings);
    const dm = plan.embeddings.defaultModel;
    const run = async (sql, params = []) => tx.query(sql, params);
    await run(`set local stp_migration.replaying = 'on'; set local timezone = 'UTC'`);
    await run(forward_1.SYNC_LOCK_SQL, [runId]);
    await (0, yielding_1.yieldLocks)(tx); // blue's users write these rows too: on a lock wait, we give up first (yielding.ts)
    await run(`create temp table _rclaim (tbl text, op "char", k uuid, k2 text, ok uuid, ok2 text, old jsonb, id bigint) on commit drop`);
    const claimed = await run(`with head as (select distinct txid from (select txid from stp_migration.changes where run_id = $1 and dir = 'r' order by id limit $2) h),
          d as (delete from stp_migration.changes c using head h where c.run_id = $1 and c.dir = 'r' and c.txid = h.txid
                returning tbl, op, k, k2, ok, ok2, old, id)
     insert into _rclaim select * from d`, [runId, limit]);
    const changes = claimed.rowCount ?? 0;
    if (changes === 0)
        return { changes: 0, quarantined: 0, targetRows: 0 };
    // chunk keys with the target rows' earlier versions (a deleted row says which legacy rows it came from)
    await run(`create temp table _rk on commit drop as
             select x as id, coalesce(jsonb_agg(old order by id) filter (where old is not null), '[]'::jsonb) as olds
               from _rclaim, lateral (values (k), (ok)) v(x) where tbl = 'chunks' and x is not null group by x`);
    const regular = `not u.is_template and not u.is_slot and coalesce(u.metadata ->> 'type', '') <> 'tag'`;
    const present = `u.id in (select id from _rk)`;
    // R1: regular chunks
    await run(`insert into ${LC} as c (id, text_id, content, parent_chunk_id, indent_level, sequence_number, created_at, updated_at)
             select u.id, u.text_id, u.content, u.parent_chunk_id, u.indent_level, u.sequence_number, u.created_at, u.updated_at
               from ${T} u where ${present} and ${regular}
             on conflict (id) do update set text_id = excluded.text_id, content = excluded.content, parent_chunk_id = excluded.parent_chunk_id,
               indent_level = excluded.indent_level, sequence_number = excluded.sequence_number, created_at = excluded.created_at, updated_at = excluded.updated_at
              where (c.text_id, c.content, c.parent_chunk_id, c.indent_level, c.sequence_number, c.created_at, c.updated_at)
                is distinct from (excluded.text_id, excluded.content, excluded.parent_chunk_id, excluded.indent_level,
                                  excluded.sequence_number, excluded.created_at, excluded.updated_at)`);
    // R2: templates
    await run(`insert into ${LT} as c (id, text_id, content, created_at, updated_at)
             select u.id, u.text_id, u.content, u.created_at, u.updated_at from ${T} u where ${present} and u.is_template
             on conflict (id) do update set text_id = excluded.text_id, content = excluded.content, created_at = excluded.created_at, updated_at = excluded.updated_at
              where (c.text_id, c.content, c.created_at, c.updated_at) is distinct from (excluded.text_id, excluded.content, excluded.created_at, excluded.updated_at)`);
    // R3: slots; a slot_value rule 3 would not derive gets one instance row that makes it derive it
    await run(`insert into ${LS} as c (id, template_id, slot_name, slot_order, created_at, updated_at)
             select u.id, u.parent_chunk_id, u.content, u.sequence_number, u.created_at, u.updated_at from ${T} u where ${present} and u.is_slot
             on conflict (id) do update set template_id = excluded.template_id, slot_name = excluded.slot_name, slot_order = excluded.slot_order,
               created_at = excluded.created_at, updated_at = excluded.updated_at
              where (c.template_id, c.slot_name, c.slot_order, c.created_at, c.updated_at)
                is distinct from (excluded.template_id, excluded.slot_name, excluded.slot_order, excluded.created_at, excluded.updated_at)`);
    await run(`insert into ${LI} as i (id, slot_id, slot_value, created_at, updated_at)
             select md5('stp-rev-instance:' || u.id || ':' || coalesce(u.updated_at::text, ''))::uuid, u.id, u.slot_value, u.updated_at, u.updated_at
               from ${T} u
               left join (select i.slot_id, ${(0, slots_1.slotValueSql)('i')} as v from ${LI} i where i.slot_id in (select id from _rk) group by i.slot_id) a
                 on a.slot_id = u.id
              where ${present} and u.is_slot and coalesce(a.v, '') is distinct from coalesce(u.slot_value, '')
             on conflict (id) do update set slot_value = excluded.slot_value`);
    // R4: tag chunks <-> tag rows; pairs listed before and no longer are deleted
    await run(`create temp table _rtd on commit drop as
             select distinct x.cid::uuid as chunk_id, u.content as tag, u.updated_at as at
               from ${T} u, jsonb_array_elements_text(u.metadata -> 'original_chunk_ids') x(cid)
              where ${present} and u.metadata ->> 'type' = 'tag'`);
    await run(`create temp table _rto on commit drop as
             select distinct x.cid::uuid as chunk_id, o ->> 'content' as tag
               from _rk, jsonb_array_elements(olds) o, jsonb_array_elements_text(o -> 'metadata' -> 'original_chunk_ids') x(cid)
              where o -> 'metadata' ->> 'type' = 'tag'`);
    await run(`delete from ${LG} t using _rto o where t.chunk_id = o.chunk_id and t.tag_content = o.tag
               and not exists (select 1 from _rtd d where d.chunk_id = o.chunk_id and d.tag = o.tag)`);
    await run(`insert into ${LG} (chunk_id, tag_content, created_at)
             select d.chunk_id, d.tag, d.at from _rtd d
              where not exists (select 1 from ${LG} t where t.chunk_id = d.chunk_id and t.tag_content = d.tag)`);
    // deletes: a target row that is gone removes the legacy rows it came from
    await run(`create temp table _rgone on commit drop as
             select k.id, k.olds -> 0 as o from _rk k
              where jsonb_array_length(k.olds) > 0 and not exists (select 1 from ${T} u where u.id = k.id)`);
    await run(`delete from ${LC} where id in (select id from _rgone where not (o ->> 'is_template')::bool and not (o ->> 'is_slot')::bool
               and coalesce(o -> 'metadata' ->> 'type', '') <> 'tag')`);
    await run(`delete from ${LT} where id in (select id from _rgone where (o ->> 'is_template')::bool)`);
    await run(`delete from ${LI} where slot_id in (select id from _rgone where (o ->> 'is_slot')::bool)`);
    await run(`delete from ${LS} where id in (select id from _rgone where (o ->> 'is_slot')::bool)`);
    // R5: embeddings, per (chunk, model): the v2 row becomes the legacy row rule 6 keeps
    await run(`create temp table _rke on commit drop as
             select distinct x.chunk_id, coalesce(x.model, $1) as model
               from _rclaim, lateral (values (k, k2), (ok, ok2)) x(chunk_id, model) where tbl = 'embeddings' and x.chunk_id is not null`, [dm]);
    await run(`insert into ${LE} as e (id, chunk_id, vector, model_name, created_at)
             select v.id, v.chunk_id, v.vector, v.model_name, v.created_at from ${TE} v join _rke a on a.chunk_id = v.chunk_id and a.model = v.model_name
             on conflict (id) do update set chunk_id = excluded.chunk_id, vector = excluded.vector, model_name = excluded.model_name, created_at = excluded.created_at
              where (e.chunk_id, e.vector, e.model_name, e.created_at) is distinct from (excluded.chunk_id, excluded.vector, excluded.model_name, excluded.created_at)`);
    await run(`delete from ${LE} e using _rke a where e.chunk_id = a.chunk_id and coalesce(e.model_name, $1) = a.model
               and not exists (select 1 from ${TE} v where v.chunk_id = a.chunk_id and v.model_name = a.model
                                and (v.id = e.id or (coalesce(e.created_at, '-infinity'), e.id) < (coalesce(v.created_at, '-infinity'), v.id)))`, [dm]);
    await run(`insert into stp_migration.sync_state as s (run_id, dir, replayed, batches) values ($1, 'r', $2, 1)
     on conflict (run_id, dir) do update set replayed = s.replayed + $2, batches = s.batches + 1, updated_at = now()`, [runId, changes]);
    return { changes, quarantined: 0, targetRows: 0 };
}
//# sourceMappingURL=reverse.js.map