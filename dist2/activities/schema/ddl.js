"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.objectName = objectName;
exports.chunkIndexes = chunkIndexes;
exports.foreignKeys = foreignKeys;
exports.chunksTableDdl = chunksTableDdl;
exports.embeddingsTableDdl = embeddingsTableDdl;
exports.legacyVectorType = legacyVectorType;
const node_crypto_1 = require("node:crypto");
const errors_1 = require("../../common/errors");
const db_1 = require("../db");
/**
 * The target tables of the runbook ("Unified Chunk System Migration", "Embedding System Migration"),
 * without foreign keys and secondary indexes: those come after the copy (finishTargetSchema), so
 * children copied before their parents never fail and the load does not maintain five indexes.
 */
/** `<prefix><table>_<suffix>`, shortened with a hash when it would pass Postgres' 63-byte limit. */
function objectName(prefix, table, suffix) {
    const name = `${prefix}${table}_${suffix}`;
    if (name.length <= 63)
        return name;
    const hash = (0, node_crypto_1.createHash)('md5').update(table).digest('hex').slice(0, 8);
    const room = 63 - prefix.length - suffix.length - hash.length - 2;
    return `${prefix}${table.slice(0, room)}_${hash}_${suffix}`;
}
/** The runbook's indexes on chunks_unified, built CONCURRENTLY after the copy. */
function chunkIndexes(plan) {
    const t = plan.target.chunks;
    const on = (0, db_1.qualified)(plan.schema, t);
    const idx = (suffix, using) => {
        const name = objectName('idx_', t, suffix);
        return { name, sql: `create index concurrently ${(0, db_1.ident)(name)} on ${on} ${using}` };
    };
    return [
        idx('text_id', '(text_id)'),
        idx('parent_id', '(parent_chunk_id)'),
        idx('template_id', '(template_chunk_id)'),
        idx('is_template', '(is_template)'),
        idx('metadata', 'using gin (metadata)'),
    ];
}
/** Foreign keys of the runbook, added NOT VALID then validated. */
function foreignKeys(plan) {
    const c = plan.target.chunks;
    const e = plan.target.embeddings;
    const chunks = (0, db_1.qualified)(plan.schema, c);
    const fk = (table, column, ref, onDelete) => {
        const name = objectName('', table, `${column}_fkey`);
        return {
            table,
            name,
            sql: `alter table ${(0, db_1.qualified)(plan.schema, table)} add constraint ${(0, db_1.ident)(name)}
              foreign key (${(0, db_1.ident)(column)}) references ${ref} on delete ${onDelete} not valid`,
        };
    };
    return [
        fk(c, 'text_id', `${(0, db_1.qualified)(plan.schema, plan.legacy.texts)} (id)`, 'cascade'),
        fk(c, 'parent_chunk_id', `${chunks} (id)`, 'cascade'),
        fk(c, 'template_chunk_id', `${chunks} (id)`, 'set null'),
        fk(e, 'chunk_id', `${chunks} (id)`, 'cascade'),
    ];
}
function chunksTableDdl(plan) {
    return `create table ${(0, db_1.qualified)(plan.schema, plan.target.chunks)} (
    id uuid primary key default gen_random_uuid(),
    text_id uuid,
    content text not null,
    is_template boolean default false,
    is_slot boolean default false,
    parent_chunk_id uuid,
    template_chunk_id uuid,
    slot_value text,
    indent_level integer default 0,
    sequence_number integer,
    metadata jsonb default '{}',
    created_at timestamptz default now(),
    updated_at timestamptz default now())`;
}
function embeddingsTableDdl(plan, vectorType) {
    return `create table ${(0, db_1.qualified)(plan.schema, plan.target.embeddings)} (
    id uuid primary key default gen_random_uuid(),
    chunk_id uuid,
    vector ${vectorType},
    model_name text not null,
    created_at timestamptz default now(),
    unique (chunk_id, model_name))`;
}
/** `vector(D)` with the legacy column's dimension, or `vector` when the legacy column is untyped. */
async function legacyVectorType(client, plan) {
    const { rows } = await client.query(`select t.typname, tn.nspname as typschema, a.atttypmod as typmod
       from pg_attribute a
       join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
       join pg_type t on t.oid = a.atttypid join pg_namespace tn on tn.oid = t.typnamespace
      where n.nspname = $1 and c.relname = $2 and a.attname = 'vector' and not a.attisdropped`, [plan.schema, plan.legacy.embeddings]);
    const col = rows[0];
    if (!col)
        throw new errors_1.PreconditionError(`legacy table ${plan.schema}.${plan.legacy.embeddings} has no column "vector"`);
    if (col.typname !== 'vector') {
        throw new errors_1.PreconditionError(`${plan.schema}.${plan.legacy.embeddings}.vector is of type ${col.typname}, expected pgvector's vector`);
    }
    const type = `${(0, db_1.ident)(col.typschema)}.vector`;
    return col.typmod > 0 ? `${type}(${Number(col.typmod)})` : type;
}
//# sourceMappingURL=ddl.js.map