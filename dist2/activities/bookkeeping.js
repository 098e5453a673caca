"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.BOOKKEEPING_DDL = exports.BOOKKEEPING_SCHEMA = void 0;
exports.ensureBookkeeping = ensureBookkeeping;
/**
 * The tool's own bookkeeping schema, `stp_migration`. Idempotent DDL: every activity that needs it
 * may call ensureBookkeeping first.
 *  - runs: one row per run; at most one active run per database (the run lease).
 *  - quarantine: legacy rows not migrated (contract section 4); `row_key` is the legacy row's id
 *    (tags: `chunk_id|tag_content`) so copy can anti-join on it.
 *  - checkpoints: last committed key per copy rule, written in the same transaction as the batch.
 *  - batches: one row per committed batch, to prove how many were redone after a crash (indexed
 *    on both keys: every batch looks its keys up there).
 *  - checkpoints.rows_total: the rule's legacy rows, counted once per run (the copy's progress).
 *  - checkpoints.ranges / range_hi: a rule split into key ranges, one checkpoint row per range
 *    (activities/copy-ranges.ts); taken_by and batches.worker name the worker that copied.
 */
exports.BOOKKEEPING_SCHEMA = 'stp_migration';
exports.BOOKKEEPING_DDL = `
create schema if not exists stp_migration;
create table if not exists stp_migration.runs (
  run_id text primary key,
  workflow_id text,
  status text not null,
  plan jsonb,
  created_objects jsonb not null default '[]',
  report jsonb,
  started_at timestamptz not null default now(),
  finished_at timestamptz);
create unique index if not exists runs_one_active on stp_migration.runs ((true))
  where status in ('running', 'rolling_back');
create table if not exists stp_migration.quarantine (
  run_id text not null,
  source_table text not null,
  kind text not null,
  reason text not null,
  row jsonb not null,
  row_key text not null,
  quarantined_at timestamptz not null default now());
create index if not exists quarantine_key on stp_migration.quarantine (run_id, source_table, row_key);
create table if not exists stp_migration.checkpoints (
  run_id text not null,
  rule text not null,
  last_key text,
  rows_done bigint not null default 0,
  batches bigint not null default 0,
  finished boolean not null default false,
  updated_at timestamptz not null default now(),
  primary key (run_id, rule));
create table if not exists stp_migration.batches (
  run_id text not null,
  rule text not null,
  batch_no bigint not null,
  first_key text,
  last_key text,
  rows bigint not null,
  committed_at timestamptz not null default clock_timestamp());
do $$ begin
  -- checked first: ALTER and CREATE INDEX take their table lock even when there is nothing to do
  if not exists (select 1 from pg_attribute where attrelid = 'stp_migration.checkpoints'::regclass and attname = 'rows_total') then
    alter table stp_migration.checkpoints add column rows_total bigint;
  end if;
  -- key ranges (plan.copy.parallelism): a range's row is '<rule>#<n>', its bound range_hi; the
  -- rule's own row keeps how many ranges it was split into; taken_by/worker: the worker that copied
  if not exists (select 1 from pg_attribute where attrelid = 'stp_migration.checkpoints'::regclass and attname = 'range_hi') then
    alter table stp_migration.checkpoints add column range_hi text, add column ranges int, add column taken_by text;
  end if;
  if not exists (select 1 from pg_attribute where attrelid = 'stp_migration.batches'::regclass and attname = 'worker') then
    alter table stp_migration.batches add column worker text;
  end if;
  if to_regclass('stp_migration.batches_last_key') is null then
    create index batches_last_key on stp_migration.batches (run_id, rule, last_key);
  end if;
  if to_regclass('stp_migration.batches_first_key') is null then
    create index batches_first_key on stp_migration.batches (run_id, rule, first_key);
  end if;
end $$;
`;
async function ensureBookkeeping(client) {
    // Concurrent `create … if not exists` can still race on the catalog; serialise on a lock.
    await client.query(`select pg_advisory_xact_lock(hashtextextended('stp_migration.ddl', 0)); ${exports.BOOKKEEPING_DDL}`);
}
//# sourceMappingURL=bookkeeping.js.map