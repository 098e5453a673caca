"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.cascadeInserts = cascadeInserts;
const context_1 = require("./context");
/**
 * The cascades of contract section 4, as `insert … select` statements into stp_migration.quarantine
 * (parameter $1 = run id), run in this order after the defects themselves so that a row already
 * quarantined for a defect keeps its kind. Each skips rows already quarantined for the run.
 */
function cascadeInserts(t) {
    const n = t.name;
    const q = (table, key) => `exists (select 1 from stp_migration.quarantine q where q.run_id = $1 and q.source_table = '${table}' and q.row_key = ${key})`;
    const qAny = (key) => `exists (select 1 from stp_migration.quarantine q where q.run_id = $1
              and q.source_table in ('${n.chunks}', '${n.templates}', '${n.slots}') and q.row_key = ${key})`;
    const insert = (table, reason, key, from) => `insert into stp_migration.quarantine (run_id, source_table, kind, reason, row, row_key)
     select $1, '${table}', 'cascade', ${reason}, to_jsonb(r), ${key} ${from}`;
    return [
        {
            // Down from every quarantined chunk, stopping at chunks quarantined themselves, so `cause`
            // is the nearest quarantined ancestor; UNION makes it terminate whatever the data.
            what: 'descendants',
            sql: insert(n.chunks, `'descendant of quarantined chunk ' || d.cause::text`, 'r.id::text', `from (with recursive d(id, cause) as (
            select c.id, c.parent_chunk_id from ${t.q.chunks} c
             where ${q(n.chunks, 'c.parent_chunk_id::text')} and not ${q(n.chunks, 'c.id::text')}
            union
            select c.id, d.cause from d join ${t.q.chunks} c on c.parent_chunk_id = d.id
             where not ${q(n.chunks, 'c.id::text')}
          ) select distinct on (id) id, cause from d order by id, cause) d
          join ${t.q.chunks} r on r.id = d.id`),
        },
        {
            what: 'slots',
            sql: insert(n.slots, `'slot of quarantined template ' || r.template_id::text`, 'r.id::text', `from ${t.q.slots} r where ${q(n.templates, 'r.template_id::text')} and not ${q(n.slots, 'r.id::text')}`),
        },
        {
            what: 'instances',
            sql: insert(n.instances, `'instance of quarantined slot ' || r.slot_id::text`, 'r.id::text', `from ${t.q.instances} r where ${q(n.slots, 'r.slot_id::text')} and not ${q(n.instances, 'r.id::text')}`),
        },
        {
            what: 'tags',
            sql: insert(n.tags, `'tag of quarantined chunk ' || r.chunk_id::text`, context_1.TAG_KEY, `from ${t.q.tags} r where ${qAny('r.chunk_id::text')} and not ${q(n.tags, context_1.TAG_KEY)}`),
        },
        {
            what: 'embeddings',
            sql: insert(n.embeddings, `'embedding of quarantined chunk ' || r.chunk_id::text`, 'r.id::text', `from ${t.q.embeddings} r where ${qAny('r.chunk_id::text')} and not ${q(n.embeddings, 'r.id::text')}`),
        },
    ];
}
//# sourceMappingURL=cascade.js.map