"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.beginSnapshot = beginSnapshot;
exports.syncMark = syncMark;
exports.pendingChanges = pendingChanges;
const db_1 = require("../db");
const sync_1 = require("../sync");
const HOLD_MS = 2000;
const ATTEMPTS = 3;
/**
 * Opens the verify's REPEATABLE READ snapshot on `client`. While forward capture is on (blue
 * still writes), the snapshot is taken under a short hold of blue's writes, right after the last
 * recorded changes were replayed: legacy and target then describe the same moment and no key is
 * pending. When the hold cannot be had (a long writer, a backlog that does not drain in time),
 * the snapshot is taken without it and the keys still pending are reported, not counted as
 * mismatches. Returns a warning to add to the report, or undefined.
 */
async function beginSnapshot(pool, client, runId, plan) {
    const begin = async () => {
        await client.query('begin isolation level repeatable read, read only');
        await client.query('select 1'); // the snapshot is taken by the first statement
    };
    const live = await (0, sync_1.captureActive)(client, runId, plan, 'f').catch(() => false);
    if (live && plan.sync.replayUnderHold === 'holding-connection') {
        // one transaction at a time on this server: no snapshot under a hold, pending keys are listed
        await begin();
        return undefined;
    }
    if (!live) {
        await begin();
        return undefined;
    }
    let reason = '';
    for (let i = 0; i < ATTEMPTS; i++) {
        const held = await (0, sync_1.withWritesHeld)(pool, runId, plan, Math.max(HOLD_MS, plan.sync.cutover.maxHoldMs), async () => begin());
        if (held.held)
            return undefined;
        reason = held.reason ?? '';
        await new Promise((r) => setTimeout(r, 500));
    }
    await begin();
    return `verify ran without holding blue's writes (${reason}): changed keys not yet replayed are listed as pending`;
}
/** The replay's key log position in this snapshot (see the cut-over's recheck). */
async function syncMark(client, runId) {
    if (!(await (0, db_1.relationExists)(client, 'stp_migration.sync_keys')))
        return undefined;
    const { rows } = await client.query(`select max(id)::text as m from stp_migration.sync_keys where run_id = $1`, [runId]);
    return Number(rows[0].m ?? 0);
}
/** Forward changes not yet replayed in this snapshot: counted, and the first keys listed. */
async function pendingChanges(client, runId) {
    if (!(await (0, db_1.relationExists)(client, 'stp_migration.changes')))
        return undefined;
    const { rows } = await client.query(`select count(*)::int as n,
            (array_agg(tbl || ':' || coalesce(k, ok)::text || coalesce(':' || coalesce(k2, ok2), '') order by id))[1:20] as keys
       from stp_migration.changes where run_id = $1 and dir = 'f'`, [runId]);
    return { changes: rows[0].n, keys: rows[0].keys ?? [] };
}
//# sourceMappingURL=snapshot.js.map