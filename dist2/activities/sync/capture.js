"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SYNC_DDL = void 0;
exports.ensureSyncTables = ensureSyncTables;
exports.triggerName = triggerName;
exports.capturedTables = capturedTables;
exports.installTriggers = installTriggers;
exports.lockCaptured = lockCaptured;
exports.dropTriggers = dropTriggers;
exports.captureActive = captureActive;
exports.backlog = backlog;
const node_crypto_1 = require("node:crypto");
const db_1 = require("../db");
/**
 * Change capture with triggers (pg-osc's way, not logical decoding): it works on managed
 * PostgreSQL without `wal_level = logical`, and there is no replication slot to forget and fill
 * the disk. The triggers are tiny — statement level, they append the keys of the changed rows to
 * stp_migration.changes in one insert per application statement, in the writer's own transaction —
 * and the replay does the work (pgroll's lesson, their #389).
 *
 *  - dir 'f' (forward): the six migrated legacy tables, from before the first copied batch.
 *  - dir 'r' (reverse): the two target tables, from the cut-over (installed under the write hold).
 *
 * `txid` lets the replay take whole writer transactions, so a parent and its children, or a text's
 * chunks and embeddings, are never applied half. The tool's own writes (copy, replay) set
 * `stp_migration.replaying` for their transaction and are not recorded: no echo.
 */
/**
 * What each captured table records: the key columns (k, k2) of the rows a statement wrote, under
 * the role name the replay knows; a target chunk also keeps its old version.
 */
const ROLE_KEYS = [
    { role: 'chunks', tbl: 'chunks', k: 'id' },
    { role: 'templates', tbl: 'templates', k: 'id' },
    { role: 'slots', tbl: 'slots', k: 'id' },
    { role: 'instances', tbl: 'instances', k: 'slot_id' },
    { role: 'tags', tbl: 'tags', k: 'chunk_id', k2: 'tag_content' },
    { role: 'embeddings', tbl: 'embeddings', k: 'chunk_id', k2: 'model_name' },
    {
        role: 'target_chunks', tbl: 'chunks', k: 'id',
        old: `jsonb_build_object('is_template', o.is_template, 'is_slot', o.is_slot, 'text_id', o.text_id, 'content', o.content, 'metadata', o.metadata)`,
    },
];
/** The trigger function's branch for one role: new keys from new_rows, old keys (and version) from old_rows. */
function branchSql(r) {
    return `  when '${r.role}' then
    if TG_OP <> 'DELETE' then
      insert into stp_migration.changes (run_id, dir, tbl, op, k, k2)
      select TG_ARGV[0], TG_ARGV[1], '${r.tbl}', left(TG_OP, 1), n.${r.k}, ${r.k2 ? `n.${r.k2}` : 'null'} from new_rows n;
    end if;
    if TG_OP <> 'INSERT' then
      insert into stp_migration.changes (run_id, dir, tbl, op, ok, ok2, old)
      select TG_ARGV[0], TG_ARGV[1], '${r.tbl}', left(TG_OP, 1), o.${r.k}, ${r.k2 ? `o.${r.k2}` : 'null'}, ${r.old ?? 'null'} from old_rows o;
    end if;`;
}
exports.SYNC_DDL = `
create schema if not exists stp_migration;
create table if not exists stp_migration.changes (
  id bigint generated always as identity primary key,
  run_id text not null,
  dir "char" not null,
  tbl text not null,
  op "char" not null,
  k uuid,
  k2 text,
  ok uuid,
  ok2 text,
  old jsonb,
  txid xid8 not null default pg_current_xact_id(),
  at timestamptz not null default clock_timestamp());
create index if not exists changes_queue on stp_migration.changes (run_id, dir, id);
create index if not exists changes_txid on stp_migration.changes (run_id, dir, txid);
create table if not exists stp_migration.sync_keys (
  id bigint generated always as identity primary key,
  run_id text not null,
  tbl text not null,
  k uuid not null,
  k2 text);
create table if not exists stp_migration.sync_state (
  run_id text not null,
  dir "char" not null,
  replayed bigint not null default 0,
  batches bigint not null default 0,
  live_defects bigint not null default 0,
  updated_at timestamptz not null default now(),
  primary key (run_id, dir));
create or replace function stp_migration.capture() returns trigger language plpgsql as $fn$
begin
  if current_setting('stp_migration.replaying', true) = 'on' then
    return null;
  end if;
  -- Statement level, with transition tables: one insert per application statement, however many
  -- rows it wrote. TG_ARGV: run id, direction, role. plpgsql prepares each statement on first use,
  -- so a branch naming another table's columns (or a transition table this trigger has not) is
  -- never prepared here. An update records the old keys and the new keys (a key may change); a
  -- target row's old version is kept (a deleted row tells which legacy rows it came from).
  case TG_ARGV[2]
${ROLE_KEYS.map(branchSql).join('\n')}
  end case;
  return null;
end
$fn$;
`;
async function ensureSyncTables(client) {
    await client.query(`select pg_advisory_xact_lock(hashtextextended('stp_migration.ddl', 0)); ${exports.SYNC_DDL}`);
}
/** The trigger's name on every captured table of a run (one run per database, but names stay per run). */
function triggerName(runId, dir) {
    return `stp_capture_${dir}_${(0, node_crypto_1.createHash)('md5').update(runId).digest('hex').slice(0, 12)}`;
}
/** [role, qualified table] of each direction. */
function capturedTables(plan, dir) {
    const q = (t) => (0, db_1.qualified)(plan.schema, t);
    const L = plan.legacy;
    if (dir === 'f') {
        return [
            ['chunks', q(L.chunks)],
            ['templates', q(L.templates)],
            ['slots', q(L.slots)],
            ['instances', q(L.instances)],
            ['tags', q(L.tags)],
            ['embeddings', q(L.embeddings)],
        ];
    }
    return [
        ['target_chunks', q(plan.target.chunks)],
        ['embeddings', q(plan.target.embeddings)],
    ];
}
const literal = (s) => `'${s.replace(/'/g, "''")}'`;
/** One statement-level trigger per event: PostgreSQL allows transition tables only on single-event triggers. */
const TRIGGER_EVENTS = [
    ['i', 'insert', 'new table as new_rows'],
    ['u', 'update', 'old table as old_rows new table as new_rows'],
    ['d', 'delete', 'old table as old_rows'],
];
/**
 * Creates the direction's triggers unless they exist (idempotent, one transaction with the
 * caller's). CREATE TRIGGER takes a SHARE ROW EXCLUSIVE lock: writers wait a moment, never fail;
 * lock_timeout keeps us from queueing behind a long transaction.
 */
async function installTriggers(tx, runId, plan, dir) {
    const name = triggerName(runId, dir);
    let created = 0;
    for (const [role, table] of capturedTables(plan, dir)) {
        for (const [suffix, event, refs] of TRIGGER_EVENTS) {
            const { rows } = await tx.query(`select count(*)::int as n from pg_trigger where tgrelid = to_regclass($1) and tgname = $2`, [table, `${name}_${suffix}`]);
            if (rows[0].n > 0)
                continue;
            await tx.query(`create trigger ${(0, db_1.ident)(`${name}_${suffix}`)} after ${event} on ${table} referencing ${refs}
           for each statement execute function stp_migration.capture(${literal(runId)}, ${literal(dir)}, ${literal(role)})`);
            created += 1;
        }
    }
    return created;
}
/**
 * Locks the direction's tables that exist, all in one statement, in the mode CREATE TRIGGER
 * (SHARE ROW EXCLUSIVE) or DROP TRIGGER (ACCESS EXCLUSIVE) takes. Taking them one by one, trigger
 * after trigger, would hold the first table while waiting for the next: an application transaction
 * that wrote the next table and then wants the first one would wait on us while we wait on it, and
 * the deadlock detector could pick the application. Called with a yielding lock_timeout (runYielding).
 */
async function lockCaptured(tx, runId, plan, dirs, mode) {
    const dropping = mode === 'access exclusive';
    const tables = [];
    for (const dir of dirs) {
        for (const [, table] of capturedTables(plan, dir)) {
            // dropping: only the tables that still carry a trigger of the run (readers wait on this mode)
            const { rows } = await tx.query(`select to_regclass($1) is not null and (not $3 or exists (select 1 from pg_trigger where tgrelid = to_regclass($1) and left(tgname, length($2)) = $2)) as ok`, [table, `${triggerName(runId, dir)}_`, dropping]);
            if (rows[0].ok)
                tables.push(table);
        }
    }
    if (tables.length)
        await tx.query(`lock table ${tables.join(', ')} in ${mode} mode`);
}
/** Drops the direction's triggers where they exist (tables may be gone already). */
async function dropTriggers(tx, runId, plan, dir) {
    const name = triggerName(runId, dir);
    let dropped = 0;
    for (const [, table] of capturedTables(plan, dir)) {
        const { rows } = await tx.query(`select to_regclass($1)::text as reg`, [table]);
        if (!rows[0].reg)
            continue;
        for (const [suffix] of TRIGGER_EVENTS) {
            const r = await tx.query(`select 1 from pg_trigger where tgrelid = to_regclass($1) and tgname = $2`, [table, `${name}_${suffix}`]);
            if (!r.rowCount)
                continue;
            await tx.query(`drop trigger if exists ${(0, db_1.ident)(`${name}_${suffix}`)} on ${table}`);
            dropped += 1;
        }
    }
    return dropped;
}
/** Whether the run's capture of that direction is installed (on the first table of the direction). */
async function captureActive(client, runId, plan, dir) {
    const [, table] = capturedTables(plan, dir)[0];
    const { rows } = await client.query(`select count(*)::int as n from pg_trigger where tgrelid = to_regclass($1) and tgname = $2`, [table, `${triggerName(runId, dir)}_i`]);
    return rows[0].n > 0;
}
/** The run's backlog of a direction: changes waiting and the age of the oldest. */
async function backlog(client, runId, dir) {
    const { rows } = await client.query(`select count(*)::int as n, (extract(epoch from clock_timestamp() - min(at)) * 1000)::float8 as age
       from stp_migration.changes where run_id = $1 and dir = $2`, [runId, dir]);
    return { n: rows[0].n, oldestAgeMs: rows[0].age === null ? null : Math.round(rows[0].age) };
}
//# sourceMappingURL=capture.js.map