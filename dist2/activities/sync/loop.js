"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.changeMark = changeMark;
exports.replayLoop = replayLoop;
const forward_1 = require("./forward");
const reverse_1 = require("./reverse");
const yielding_1 = require("./yielding");
const dirOf = (d) => (d === 'forward' ? 'f' : 'r');
/**
 * The id of the direction's newest change now. Replaying "up to the mark" ends even while the
 * application goes on writing; "until empty" may not, when every batch takes longer than the gap
 * between two writes.
 */
async function changeMark(client, runId, direction) {
    const { rows } = await client.query(`select coalesce(max(id), 0)::text as mark from stp_migration.changes where run_id = $1 and dir = $2`, [runId, dirOf(direction)]);
    return Number(rows[0].mark);
}
/** Whether a change up to `mark` still waits (one committed late, with an earlier id, counts too). */
async function waitingUpTo(client, runId, direction, mark) {
    const { rows } = await client.query(`select exists (select 1 from stp_migration.changes where run_id = $1 and dir = $2 and id <= $3) as any`, [runId, dirOf(direction), mark]);
    return rows[0].any;
}
/**
 * Replays batches of one direction, each its own transaction giving way to the application
 * (yielding.ts), until a batch finds nothing, the mark is reached, or the deadline passes.
 */
async function replayLoop(l) {
    const batch = l.direction === 'forward' ? forward_1.replayForwardBatch : reverse_1.replayReverseBatch;
    let replayed = 0;
    let quarantined = 0;
    for (;;) {
        const b = await (0, yielding_1.runYielding)(l.client, (tx, n) => batch(tx, l.runId, l.plan, n), { pool: l.pool, limit: l.plan.sync.batchSize });
        replayed += b.changes;
        quarantined += b.quarantined;
        l.onBatch?.(replayed);
        if (b.changes === 0)
            return { replayed, quarantined, reachedEnd: true };
        if (l.mark !== undefined && !(await waitingUpTo(l.client, l.runId, l.direction, l.mark)))
            return { replayed, quarantined, reachedEnd: true };
        if (Date.now() >= l.deadline || l.signal?.aborted)
            return { replayed, quarantined, reachedEnd: false };
    }
}
//# sourceMappingURL=loop.js.map