"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ensureLegacySchema = ensureLegacySchema;
exports.ensureUnifiedSchema = ensureUnifiedSchema;
const config_1 = require("./config");
/**
 * The schema the reference service reads and writes, for tests and demos. Legacy tables follow
 * MIGRATION-CONTRACT.md section 1; the unified ones follow the guide. Idempotent.
 */
function dimension(dim) {
    if (!Number.isInteger(dim) || dim < 1 || dim > 16000)
        throw new RangeError(`vector dimension out of range: ${dim}`);
    return dim;
}
function textsDdl(t) {
    return `create table if not exists ${(0, config_1.q)(t.texts)} (
    id uuid primary key, title text, content text,
    created_at timestamptz default now(), updated_at timestamptz default now())`;
}
async function ensureLegacySchema(pool, dim, t = config_1.DEFAULT_TABLES) {
    const d = dimension(dim);
    await pool.query(`set client_min_messages = warning; create extension if not exists vector;
    ${textsDdl(t)};
    create table if not exists ${(0, config_1.q)(t.chunks_legacy)} (
      id uuid primary key, text_id uuid not null, content text not null, parent_chunk_id uuid,
      indent_level integer default 0, sequence_number integer,
      created_at timestamptz default now(), updated_at timestamptz default now());
    create table if not exists ${(0, config_1.q)(t.templates_legacy)} (
      id uuid primary key, text_id uuid not null, content text not null,
      created_at timestamptz default now(), updated_at timestamptz default now());
    create table if not exists ${(0, config_1.q)(t.template_slots_legacy)} (
      id uuid primary key, template_id uuid not null, slot_name text not null, slot_order integer,
      created_at timestamptz default now(), updated_at timestamptz default now());
    create table if not exists ${(0, config_1.q)(t.template_slot_instances_legacy)} (
      id uuid primary key, slot_id uuid not null, slot_value text,
      created_at timestamptz default now(), updated_at timestamptz default now());
    create table if not exists ${(0, config_1.q)(t.chunk_tags_legacy)} (
      chunk_id uuid not null, tag_content text not null, created_at timestamptz default now());
    create table if not exists ${(0, config_1.q)(t.embeddings_legacy)} (
      id uuid primary key, chunk_id uuid not null, vector vector(${d}),
      model_name text, created_at timestamptz default now());
    create index if not exists ${(0, config_1.q)(`${t.chunks_legacy}_text_id_idx`)} on ${(0, config_1.q)(t.chunks_legacy)} (text_id);
    create index if not exists ${(0, config_1.q)(`${t.embeddings_legacy}_chunk_id_idx`)} on ${(0, config_1.q)(t.embeddings_legacy)} (chunk_id)`);
}
/**
 * chunks_unified and embeddings_v2 as in the guide. The vector index is HNSW rather than the
 * guide's ivfflat: ivfflat built on an empty table has no useful centroids and misses rows.
 */
async function ensureUnifiedSchema(pool, dim, t = config_1.DEFAULT_TABLES) {
    const d = dimension(dim);
    const cu = (0, config_1.q)(t.chunks_unified);
    await pool.query(`set client_min_messages = warning; create extension if not exists vector;
    ${textsDdl(t)};
    create table if not exists ${cu} (
      id uuid primary key default gen_random_uuid(),
      text_id uuid references ${(0, config_1.q)(t.texts)}(id) on delete cascade,
      content text not null,
      is_template boolean default false,
      is_slot boolean default false,
      parent_chunk_id uuid references ${cu}(id) on delete cascade,
      template_chunk_id uuid references ${cu}(id) on delete set null,
      slot_value text,
      indent_level integer default 0,
      sequence_number integer,
      metadata jsonb default '{}',
      created_at timestamptz default now(),
      updated_at timestamptz default now());
    create index if not exists ${(0, config_1.q)(`idx_${t.chunks_unified}_text_id`)} on ${cu} (text_id);
    create index if not exists ${(0, config_1.q)(`idx_${t.chunks_unified}_parent_id`)} on ${cu} (parent_chunk_id);
    create index if not exists ${(0, config_1.q)(`idx_${t.chunks_unified}_template_id`)} on ${cu} (template_chunk_id);
    create index if not exists ${(0, config_1.q)(`idx_${t.chunks_unified}_is_template`)} on ${cu} (is_template);
    create index if not exists ${(0, config_1.q)(`idx_${t.chunks_unified}_metadata`)} on ${cu} using gin (metadata);
    create table if not exists ${(0, config_1.q)(t.embeddings_v2)} (
      id uuid primary key default gen_random_uuid(),
      chunk_id uuid references ${cu}(id) on delete cascade,
      vector vector(${d}),
      model_name text not null,
      created_at timestamptz default now(),
      unique (chunk_id, model_name));
    create index if not exists ${(0, config_1.q)(`${t.embeddings_v2}_vector_idx`)} on ${(0, config_1.q)(t.embeddings_v2)}
      using hnsw (vector vector_cosine_ops)`);
}
//# sourceMappingURL=schema.js.map