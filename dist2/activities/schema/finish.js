"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ensureIndexes = ensureIndexes;
exports.ensureIndex = ensureIndex;
exports.ensureForeignKeys = ensureForeignKeys;
exports.analyzeTargets = analyzeTargets;
const db_1 = require("../db");
const heartbeat_1 = require("../heartbeat");
const created_1 = require("./created");
const ddl_1 = require("./ddl");
/** Runs one long statement while beating every KEEP_ALIVE_MS, so the activity's heartbeat timeout can be short. */
async function beatingQuery(client, sql, beat, detail) {
    beat(detail);
    const timer = setInterval(() => beat(detail), heartbeat_1.KEEP_ALIVE_MS);
    try {
        await client.query(sql);
    }
    finally {
        clearInterval(timer);
    }
}
async function indexState(client, schema, name) {
    const { rows } = await client.query(`select i.indisvalid and i.indisready as valid
       from pg_class c join pg_namespace n on n.oid = c.relnamespace join pg_index i on i.indexrelid = c.oid
      where n.nspname = $1 and c.relname = $2`, [schema, name]);
    if (!rows[0])
        return 'absent';
    return rows[0].valid ? 'valid' : 'invalid';
}
/**
 * CREATE INDEX CONCURRENTLY cannot run in a transaction, so the client must be idle (autocommit).
 * A build killed half way leaves an INVALID index under the same name: it is dropped
 * (concurrently too) and built again. The object is recorded before the build so a crash during it
 * still leaves the index on the compensation list.
 */
async function ensureIndexes(client, runId, plan, beat) {
    const done = [];
    for (const idx of (0, ddl_1.chunkIndexes)(plan)) {
        await ensureIndex(client, runId, plan.schema, idx, beat);
        done.push(idx.name);
    }
    return done;
}
/**
 * One index as above: built when absent, dropped and rebuilt when INVALID. A build of the same
 * index still running on a dead connection (its worker was killed; the backend goes on until the
 * statement ends) is terminated first: it would otherwise block the drop and the rebuild. Returns
 * whether it was built.
 */
async function ensureIndex(client, runId, schema, idx, beat) {
    await (0, db_1.terminateLeftovers)(client, null, idx.sql);
    const state = await indexState(client, schema, idx.name);
    if (state === 'valid')
        return false;
    await (0, created_1.recordCreatedObject)(client, runId, 'index', `${schema}.${idx.name}`);
    if (state === 'invalid')
        await beatingQuery(client, `drop index concurrently if exists ${(0, db_1.qualified)(schema, idx.name)}`, beat, { drop: idx.name });
    await beatingQuery(client, idx.sql, beat, { index: idx.name });
    return true;
}
async function constraintState(client, schema, table, name) {
    const { rows } = await client.query(`select con.convalidated as validated
       from pg_constraint con join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relname = $2 and con.conname = $3`, [schema, table, name]);
    return rows[0] ? (rows[0].validated ? 'valid' : 'not_valid') : 'absent';
}
/**
 * Each FK is added NOT VALID (a short lock, no scan) and then validated under SHARE UPDATE
 * EXCLUSIVE, which lets writes go on. lock_timeout keeps us from queueing behind a long
 * transaction on `texts` and blocking the application; the activity's retry tries again.
 *
 * `beforeValidate` runs after every FK exists and before the first VALIDATE: under live writes
 * it replays what is left, so a text the application deleted after its chunks were copied is gone
 * from the target too (from then on the FK's ON DELETE CASCADE keeps it so).
 */
async function ensureForeignKeys(client, runId, plan, beat, beforeValidate) {
    const toValidate = [];
    for (const fk of (0, ddl_1.foreignKeys)(plan)) {
        let state = await constraintState(client, plan.schema, fk.table, fk.name);
        if (state === 'absent') {
            await (0, db_1.inTransaction)(client, async (tx) => {
                await tx.query(`set local lock_timeout = '10s'`);
                await tx.query(fk.sql);
                await (0, created_1.recordCreatedObject)(tx, runId, 'constraint', `${plan.schema}.${fk.table}.${fk.name}`);
            });
            state = 'not_valid';
        }
        if (state === 'not_valid')
            toValidate.push(fk);
    }
    if (toValidate.length > 0 && beforeValidate)
        await beforeValidate();
    for (const fk of toValidate) {
        await client.query(`set lock_timeout = '10s'`);
        try {
            await beatingQuery(client, `alter table ${(0, db_1.qualified)(plan.schema, fk.table)} validate constraint ${(0, db_1.ident)(fk.name)}`, beat, { constraint: fk.name });
        }
        finally {
            await client.query(`reset lock_timeout`);
        }
    }
    return (0, ddl_1.foreignKeys)(plan).map((fk) => fk.name);
}
/**
 * Fresh statistics for the target tables before verify plans its joins over them: right after the
 * bulk copy they have none until autovacuum gets there, minutes later. ANALYZE reads a sample
 * (30,000 rows by default), so it costs seconds, not a scan.
 */
async function analyzeTargets(client, plan, beat) {
    for (const table of [plan.target.chunks, plan.target.embeddings]) {
        await beatingQuery(client, `analyze ${(0, db_1.qualified)(plan.schema, table)}`, beat, { analyze: table });
    }
}
//# sourceMappingURL=finish.js.map