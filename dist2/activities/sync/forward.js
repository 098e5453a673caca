"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SYNC_LOCK_SHARED_SQL = exports.SYNC_LOCK_SQL = void 0;
exports.replayForwardBatch = replayForwardBatch;
exports.forwardBatch = forwardBatch;
const db_1 = require("../db");
const slots_1 = require("../rules/slots");
const tags_1 = require("../rules/tags");
const stage_1 = require("../rules/stage");
const yielding_1 = require("./yielding");
/**
 * Forward replay (contract section 6): one batch of recorded legacy changes, in the caller's
 * transaction. For every affected key the target rows are recomputed from the *current* legacy
 * state by rules 1-6 and the defect policy, so a replay is idempotent and independent of how it
 * interleaves with the copy; the claimed change rows are deleted in the same transaction, which is
 * the committed checkpoint (a crash loses the whole batch or keeps it, never half).
 *
 * The copy's batches take the same advisory lock shared (copyOneBatch): a copy statement whose
 * snapshot predates a change cannot commit after that change's replay and bring back an old row.
 */
exports.SYNC_LOCK_SQL = `select pg_advisory_xact_lock(hashtextextended('stp-sync:' || $1, 0))`;
exports.SYNC_LOCK_SHARED_SQL = `select pg_advisory_xact_lock_shared(hashtextextended('stp-sync:' || $1, 0))`;
/** Target chunk columns in insert order. */
const COLS = `id, text_id, content, is_template, is_slot, parent_chunk_id, template_chunk_id, slot_value,
              indent_level, sequence_number, metadata, created_at, updated_at`;
/** An upsert that only writes a row that differs (no dead tuples, no reverse echo to filter). */
const UPSERT = `on conflict (id) do update set
  text_id = excluded.text_id, content = excluded.content, is_template = excluded.is_template, is_slot = excluded.is_slot,
  parent_chunk_id = excluded.parent_chunk_id, template_chunk_id = excluded.template_chunk_id, slot_value = excluded.slot_value,
  indent_level = excluded.indent_level, sequence_number = excluded.sequence_number, metadata = excluded.metadata,
  created_at = excluded.created_at, updated_at = excluded.updated_at
 where (u.text_id, u.content, u.is_template, u.is_slot, u.parent_chunk_id, u.template_chunk_id, u.slot_value,
        u.indent_level, u.sequence_number, u.metadata, u.created_at, u.updated_at)
   is distinct from (excluded.text_id, excluded.content, excluded.is_template, excluded.is_slot, excluded.parent_chunk_id,
        excluded.template_chunk_id, excluded.slot_value, excluded.indent_level, excluded.sequence_number, excluded.metadata,
        excluded.created_at, excluded.updated_at)`;
function names(plan) {
    const q = (t) => (0, db_1.qualified)(plan.schema, t);
    const L = plan.legacy;
    return {
        texts: q(L.texts), chunks: q(L.chunks), templates: q(L.templates), slots: q(L.slots),
        instances: q(L.instances), tags: q(L.tags), embeddings: q(L.embeddings),
        target: q(plan.target.chunks), targetEmb: q(plan.target.embeddings),
    };
}
/** `exists` a quarantine row of this run ($1) for a legacy table and key. */
const inQ = (tableParam, key) => `exists (select 1 from stp_migration.quarantine q where q.run_id = $1 and q.source_table = ${tableParam} and q.row_key = ${key})`;
async function replayForwardBatch(tx, runId, plan, limit) {
    return forwardBatch(tx, runId, plan, { kind: 'changes', limit });
}
async function forwardBatch(tx, runId, plan, source) {
    const n = names(plan);
    const L = plan.legacy;
    let targetRows = 0;
    const writesTarget = (sql) => [n.target, n.targetEmb].some((t) => sql.trimStart().startsWith(`delete from ${t} `) || sql.trimStart().startsWith(`insert into ${t} `));
    const run = async (sql, params = []) => {
        const r = await tx.query(sql, params);
        if (writesTarget(sql))
            targetRows += r.rowCount ?? 0; // what the batch wrote to the target
        return r;
    };
    await run(`set local stp_migration.replaying = 'on'; set local timezone = 'UTC'`);
    await run(exports.SYNC_LOCK_SQL, [runId]);
    await (0, yielding_1.yieldLocks)(tx); // a lock wait shared with the application's writes ends on our side (yielding.ts)
    // a second batch in the same transaction (a recheck under the hold) starts clean
    await run(`drop table if exists _claim, _ac, _at, _as, _ar, _ag, _ae, _dc, _dt, _ds, _dg, _de`);
    await run(`create temp table _claim (tbl text, op "char", k uuid, k2 text, ok uuid, ok2 text) on commit drop`);
    const claimed = source.kind === 'changes'
        // Claim whole writer transactions: the first `limit` changes and every change of their transactions.
        ? await run(`with head as (select distinct txid from (select txid from stp_migration.changes where run_id = $1 and dir = 'f' order by id limit $2) h),
            d as (delete from stp_migration.changes c using head h where c.run_id = $1 and c.dir = 'f' and c.txid = h.txid
                  returning tbl, op, k, k2, ok, ok2)
       insert into _claim select * from d`, [runId, source.limit])
        : await run(`insert into _claim select distinct tbl, 'U', k, k2, null::uuid, null::text from stp_migration.sync_keys where run_id = $1 and id > $2`, [runId, source.sinceMark]);
    const changes = claimed.rowCount ?? 0;
    if (changes === 0)
        return { changes: 0, quarantined: 0, targetRows: 0 };
    if (source.kind === 'changes') {
        // what this batch touched, for the recheck at the cut-over (keys changed since the last verify)
        await run(`insert into stp_migration.sync_keys (run_id, tbl, k, k2)
               select distinct $1, tbl, x.k, x.k2 from _claim, lateral (values (k, k2), (ok, ok2)) x(k, k2) where x.k is not null`, [runId]);
    }
    const p1 = [runId];
    const dm = plan.embeddings.defaultModel;
    // ---- affected keys -----------------------------------------------------------------------
    await run(`create temp table _ac (id uuid primary key) on commit drop;
             create temp table _at (id uuid primary key) on commit drop;
             create temp table _as (id uuid primary key) on commit drop;
             create temp table _ar (chunk_id uuid, tag text, primary key (chunk_id, tag)) on commit drop;
             create temp table _ag (text_id uuid, tag text collate "C", primary key (text_id, tag)) on commit drop;
             create temp table _ae (chunk_id uuid, model text, primary key (chunk_id, model)) on commit drop`);
    const keysOf = (tbls) => `select x from _claim, lateral (values (k), (ok)) v(x) where tbl in (${tbls}) and x is not null`;
    await run(`insert into _ac ${keysOf(`'chunks', 'tags'`)} on conflict do nothing`);
    await run(`insert into _at ${keysOf(`'templates'`)} on conflict do nothing`);
    await run(`insert into _as ${keysOf(`'slots', 'instances'`)} on conflict do nothing`);
    const has = async (tbl) => ((await run(`select 1 from _claim where tbl = $1 limit 1`, [tbl])).rowCount ?? 0) > 0;
    const chunkChanges = await has('chunks');
    if (chunkChanges) {
        // a deleted or moved chunk changes what its children hang off (orphan_parent / cascade)
        await run(`insert into _ac select u.id from ${n.target} u
                where u.parent_chunk_id in (select ok from _claim where tbl = 'chunks' and ok is not null) on conflict do nothing`);
    }
    if (await has('templates')) {
        await run(`insert into _as select s.id from ${n.slots} s where s.template_id in (select id from _at) on conflict do nothing`);
        await run(`insert into _as select u.id from ${n.target} u where u.is_slot and u.parent_chunk_id in (select id from _at) on conflict do nothing`);
    }
    await run(`insert into _ar select k, k2 from _claim where tbl = 'tags' and k is not null
             union select ok, ok2 from _claim where tbl = 'tags' and ok is not null on conflict do nothing`);
    if (chunkChanges) {
        await run(`insert into _ar select t.chunk_id, t.tag_content from ${n.tags} t
                where t.chunk_id in (select x from _claim, lateral (values (k), (ok)) v(x) where tbl = 'chunks' and x is not null)
               on conflict do nothing`);
    }
    // the tag chunk of (text of the tagged chunk, content): text from legacy or, for a deleted chunk, the target
    await run(`insert into _ag select distinct x.text_id, r.tag from _ar r
               cross join lateral (select c.text_id from ${n.chunks} c where c.id = r.chunk_id
                                   union select u.text_id from ${n.target} u where u.id = r.chunk_id) x
              where x.text_id is not null on conflict do nothing`);
    await run(`insert into _ae select k, coalesce(k2, $1) from _claim where tbl = 'embeddings' and k is not null
             union select ok, coalesce(ok2, $1) from _claim where tbl = 'embeddings' and ok is not null on conflict do nothing`, [dm]);
    if (chunkChanges || (await has('templates')) || (await has('slots'))) {
        // an embedding's orphan / cascade state follows its chunk
        await run(`insert into _ae select e.chunk_id, coalesce(e.model_name, $1) from ${n.embeddings} e
                where e.chunk_id in (select x from _claim, lateral (values (k), (ok)) v(x) where tbl in ('chunks', 'templates', 'slots') and x is not null)
               on conflict do nothing`, [dm]);
        await run(`insert into _ae select v.chunk_id, v.model_name from ${n.targetEmb} v
                where v.chunk_id in (select x from _claim, lateral (values (k), (ok)) v(x) where tbl in ('chunks', 'templates', 'slots') and x is not null)
               on conflict do nothing`);
    }
    const { rows: sizes } = await run(`select (select count(*) from _ac)::int as c, (select count(*) from _at)::int as t,
                                           (select count(*) from _as)::int as s, (select count(*) from _ar)::int as r,
                                           (select count(*) from _ae)::int as e`);
    const size = sizes[0];
    let quarantined = 0;
    const requarantine = async (table, keys, insert, params = [], keyParams = []) => {
        await run(`delete from stp_migration.quarantine q where q.run_id = $1 and q.source_table = $2 and ${keys}`, [runId, table, ...keyParams]);
        const r = await run(`insert into stp_migration.quarantine (run_id, source_table, kind, reason, row, row_key) ${insert}`, [runId, table, ...params]);
        quarantined += r.rowCount ?? 0;
    };
    // ---- rule 1 + 5: chunks -------------------------------------------------------------------
    if (size.c > 0) {
        await run(`create temp table _dc on commit drop as
       select c.id, c.text_id, c.content, c.parent_chunk_id, c.indent_level, c.sequence_number, c.created_at, c.updated_at,
              to_jsonb(c) as row,
              case when exists (select 1 from ${n.templates} x where x.id = c.id) or exists (select 1 from ${n.slots} x where x.id = c.id) then 'id_collision'
                   when not exists (select 1 from ${n.texts} x where x.id = c.text_id) then 'orphan_text'
                   when c.parent_chunk_id = c.id then 'cycle'
                   when c.parent_chunk_id is not null and not exists (select 1 from ${n.chunks} p where p.id = c.parent_chunk_id) then 'orphan_parent'
                   when c.parent_chunk_id is not null and ${inQ('$2', 'c.parent_chunk_id::text')} then 'cascade'
              end as defect
         from ${n.chunks} c where c.id in (select id from _ac)`, [runId, L.chunks]);
        await run(`delete from ${n.target} u where u.id in (select id from _ac) and not u.is_template and not u.is_slot
                 and coalesce(u.metadata ->> 'type', '') <> 'tag'
                 and not exists (select 1 from _dc d where d.id = u.id and d.defect is null)`);
        // metadata.tags in one pass over the tags table (it has no index on chunk_id, and we add none)
        await run(`insert into ${n.target} as u (${COLS})
       select d.id, d.text_id, d.content, false, false, d.parent_chunk_id, null, null, d.indent_level, d.sequence_number,
              case when g.tags is null then '{}'::jsonb else jsonb_build_object('tags', g.tags) end, d.created_at, d.updated_at
         from _dc d
         left join (select t.chunk_id, jsonb_agg(distinct t.tag_content collate "C" order by t.tag_content collate "C") as tags
                      from ${n.tags} t where t.chunk_id in (select id from _dc where defect is null) group by t.chunk_id) g on g.chunk_id = d.id
        where d.defect is null
       ${UPSERT}`);
        await requarantine(L.chunks, `q.row_key in (select id::text from _ac)`, `select $1, $2, d.defect, 'live write: ' || case d.defect
          when 'id_collision' then 'id ' || d.id || ' is also a template or slot id'
          when 'orphan_text' then 'text_id ' || coalesce(d.text_id::text, 'null') || ' is not in texts'
          when 'cycle' then 'chunk is its own parent'
          when 'orphan_parent' then 'parent_chunk_id ' || d.parent_chunk_id || ' is not a chunk'
          else 'parent chunk ' || d.parent_chunk_id || ' is quarantined' end, d.row, d.id::text
         from _dc d where d.defect is not null`);
    }
    // ---- rule 2: templates --------------------------------------------------------------------
    if (size.t > 0) {
        await run(`create temp table _dt on commit drop as
       select x.id, x.text_id, x.content, x.created_at, x.updated_at, to_jsonb(x) as row,
              case when exists (select 1 from ${n.chunks} c where c.id = x.id) or exists (select 1 from ${n.slots} s where s.id = x.id) then 'id_collision'
                   when not exists (select 1 from ${n.texts} t where t.id = x.text_id) then 'orphan_text' end as defect
         from ${n.templates} x where x.id in (select id from _at)`);
        await run(`delete from ${n.target} u where u.id in (select id from _at) and u.is_template
                 and not exists (select 1 from _dt d where d.id = u.id and d.defect is null)`);
        await run(`insert into ${n.target} as u (${COLS})
               select d.id, d.text_id, d.content, true, false, null, null, null, 0, 0, '{}'::jsonb, d.created_at, d.updated_at
                 from _dt d where d.defect is null ${UPSERT}`);
        await requarantine(L.templates, `q.row_key in (select id::text from _at)`, `select $1, $2, d.defect, 'live write: ' || case d.defect when 'id_collision' then 'id ' || d.id || ' is also a chunk or slot id'
          else 'text_id ' || coalesce(d.text_id::text, 'null') || ' is not in texts' end, d.row, d.id::text
         from _dt d where d.defect is not null`);
    }
    // ---- rule 3: slots with their instances ---------------------------------------------------
    if (size.s > 0) {
        await run(`create temp table _ds on commit drop as
       select s.id, s.template_id, s.slot_name, s.slot_order, s.created_at, s.updated_at, p.text_id, to_jsonb(s) as row,
              case when exists (select 1 from ${n.chunks} c where c.id = s.id) or exists (select 1 from ${n.templates} x where x.id = s.id) then 'id_collision'
                   when p.id is null then 'orphan_slot'
                   when ${inQ('$2', 's.template_id::text')} then 'cascade' end as defect
         from ${n.slots} s left join ${n.templates} p on p.id = s.template_id
        where s.id in (select id from _as)`, [runId, L.templates]);
        await run(`delete from ${n.target} u where u.id in (select id from _as) and u.is_slot
                 and not exists (select 1 from _ds d where d.id = u.id and d.defect is null)`);
        await run(`insert into ${n.target} as u (${COLS})
       select d.id, d.text_id, d.slot_name, false, true, d.template_id, d.template_id, coalesce(a.v, ''), 1, d.slot_order,
              case when a.n >= 2 then jsonb_build_object('slot_instances', a.inst) else '{}'::jsonb end, d.created_at, d.updated_at
         from _ds d
         left join (select i.slot_id, ${(0, slots_1.slotValueSql)('i')} as v, count(*)::int as n, ${(0, slots_1.slotInstancesSql)('i')} as inst
                      from ${n.instances} i where i.slot_id in (select id from _ds where defect is null) group by i.slot_id) a on a.slot_id = d.id
        where d.defect is null
       ${UPSERT}`);
        await requarantine(L.slots, `q.row_key in (select id::text from _as)`, `select $1, $2, d.defect, 'live write: ' || case d.defect when 'id_collision' then 'id ' || d.id || ' is also a chunk or template id'
          when 'orphan_slot' then 'template ' || d.template_id || ' does not exist' else 'template ' || d.template_id || ' is quarantined' end,
          d.row, d.id::text
         from _ds d where d.defect is not null`);
        await requarantine(L.instances, `q.row ->> 'slot_id' in (select id::text from _as)`, `select $1, $2, case when s.id is null then 'orphan_instance' else 'cascade' end,
              'live write: slot ' || i.slot_id || case when s.id is null then ' does not exist' else ' is quarantined' end, to_jsonb(i), i.id::text
         from ${n.instances} i left join ${n.slots} s on s.id = i.slot_id
        where i.slot_id in (select id from _as) and not exists (select 1 from _ds d where d.id = i.slot_id and d.defect is null)`);
    }
    // ---- rule 4: tag chunks, and the tag rows' quarantine ---------------------------------------
    if (size.r > 0) {
        await requarantine(L.tags, `q.row_key in (select chunk_id::text || '|' || tag from _ar)`, `select distinct on (t.chunk_id, t.tag_content) $1, $2, case when c.id is null then 'orphan_tag' else 'cascade' end,
              'live write: chunk ' || t.chunk_id || case when c.id is null then ' does not exist' else ' is quarantined' end,
              to_jsonb(t), t.chunk_id::text || '|' || t.tag_content
         from ${n.tags} t join _ar r on r.chunk_id = t.chunk_id and r.tag = t.tag_content
         left join ${n.chunks} c on c.id = t.chunk_id
        where c.id is null or ${inQ('$3', 'c.id::text')}
        order by t.chunk_id, t.tag_content, t.created_at`, [L.chunks]);
        await run(`create temp table _dg on commit drop as
       select c.text_id, t.tag_content collate "C" as tag, min(t.created_at) as at, jsonb_agg(distinct t.chunk_id order by t.chunk_id) as ids
         from ${n.tags} t join ${n.chunks} c on c.id = t.chunk_id
        where t.tag_content in (select tag from _ag) and (c.text_id, t.tag_content) in (select text_id, tag from _ag)
          and not ${inQ('$2', 'c.id::text')}
        group by c.text_id, t.tag_content collate "C"`, [runId, L.chunks]);
        await run(`delete from ${n.target} u where u.id in (select ${(0, tags_1.tagIdSql)('g.text_id', 'g.tag')} from _ag g)
                 and u.id not in (select ${(0, tags_1.tagIdSql)('d.text_id', 'd.tag')} from _dg d)`);
        await run(`insert into ${n.target} as u (${COLS})
               select ${(0, tags_1.tagIdSql)('d.text_id', 'd.tag')}, d.text_id, d.tag, false, false, null, null, null, 0, 0,
                      jsonb_build_object('type', 'tag', 'original_chunk_ids', d.ids), d.at, d.at
                 from _dg d ${UPSERT}`);
        // the copy's staged groups are a snapshot: drop the ones replay now owns
        const stage = (0, stage_1.stageTable)(runId, 'tag_groups');
        if ((await run(`select to_regclass($1) is not null as ok`, [stage])).rows[0].ok) {
            await run(`delete from ${stage} s where (s.text_id, s.tag_content) in (select text_id, tag from _ag)`);
        }
    }
    // ---- rule 6: embeddings ---------------------------------------------------------------------
    if (size.e > 0) {
        await run(`create temp table _de on commit drop as
       select e.id, e.chunk_id, coalesce(e.model_name, $2) as model, e.vector, e.created_at, to_jsonb(e) as row,
              case when ${inQ('$3', 'e.chunk_id::text')} or ${inQ('$4', 'e.chunk_id::text')} or ${inQ('$5', 'e.chunk_id::text')} then 'cascade'
                   when not exists (select 1 from ${n.chunks} c where c.id = e.chunk_id)
                    and not exists (select 1 from ${n.templates} c where c.id = e.chunk_id)
                    and not exists (select 1 from ${n.slots} c where c.id = e.chunk_id) then 'orphan_embedding'
                   when row_number() over (partition by e.chunk_id, coalesce(e.model_name, $2)
                                           order by coalesce(e.created_at, '-infinity') desc, e.id desc) > 1 then 'superseded_embedding'
              end as defect
         from ${n.embeddings} e join _ae a on a.chunk_id = e.chunk_id and a.model = coalesce(e.model_name, $2)`, [runId, dm, L.chunks, L.templates, L.slots]);
        await run(`delete from ${n.targetEmb} v using _ae a where v.chunk_id = a.chunk_id and v.model_name = a.model
                 and not exists (select 1 from _de d where d.defect is null and d.id = v.id)`);
        await run(`insert into ${n.targetEmb} as v (id, chunk_id, vector, model_name, created_at)
               select id, chunk_id, vector, model, created_at from _de where defect is null
               on conflict (chunk_id, model_name) do update set id = excluded.id, vector = excluded.vector, created_at = excluded.created_at
                where (v.id, v.vector, v.created_at) is distinct from (excluded.id, excluded.vector, excluded.created_at)`);
        await requarantine(L.embeddings, `exists (select 1 from _ae a where a.chunk_id::text = q.row ->> 'chunk_id' and a.model = coalesce(q.row ->> 'model_name', $3))`, `select $1, $2, d.defect, 'live write: ' || case d.defect when 'cascade' then 'chunk ' || d.chunk_id || ' is quarantined'
          when 'orphan_embedding' then 'chunk ' || d.chunk_id || ' is in no migrated table'
          else 'a later embedding of (' || d.chunk_id || ', ' || d.model || ') wins' end, d.row, d.id::text
         from _de d where d.defect is not null`, [], [dm]);
    }
    if (source.kind === 'recheck')
        return { changes, quarantined, targetRows };
    await run(`insert into stp_migration.sync_state as s (run_id, dir, replayed, batches, live_defects) values ($1, 'f', $2, 1, $3)
     on conflict (run_id, dir) do update set replayed = s.replayed + $2, batches = s.batches + 1,
       live_defects = s.live_defects + $3, updated_at = now()`, [...p1, changes, quarantined]);
    return { changes, quarantined, targetRows };
}
//# sourceMappingURL=forward.js.map