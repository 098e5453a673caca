"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.lockLegacy = lockLegacy;
exports.replayUntilEmpty = replayUntilEmpty;
exports.withWritesHeld = withWritesHeld;
const capture_1 = require("./capture");
const forward_1 = require("./forward");
const loop_1 = require("./loop");
const yielding_1 = require("./yielding");
/**
 * Holding blue's writes: SHARE locks on the six legacy tables. Readers go on; a writer waits on
 * the lock (a lock wait, never an error) until we commit or roll back. Our lock_timeout stays
 * well under the server's deadlock_timeout, so if a writer already holds one table and wants
 * another we give up first and the deadlock detector never picks the application's transaction.
 */
async function lockLegacy(h, plan) {
    await h.query(`savepoint hold`);
    try {
        await (0, yielding_1.yieldLocks)(h);
        await h.query(`lock table ${(0, capture_1.capturedTables)(plan, 'f').map(([, t]) => t).join(', ')} in share mode`);
        return true;
    }
    catch (err) {
        if (err.code !== '55P03')
            throw err;
        await h.query(`rollback to savepoint hold`);
        return false;
    }
}
/**
 * Replays forward batches until nothing is left (or, with `mark`, nothing up to it) or the
 * deadline passes; `left` is the backlog then.
 */
async function replayUntilEmpty(pool, client, runId, plan, deadline, beat = () => undefined, mark) {
    const r = await (0, loop_1.replayLoop)({ pool, client, runId, plan, direction: 'forward', deadline, mark, onBatch: beat });
    return { replayed: r.replayed, left: r.reachedEnd && mark === undefined ? 0 : (await (0, capture_1.backlog)(client, runId, 'f')).n };
}
/** The whole backlog in the holding transaction itself (one batch: the hold keeps it finite). */
async function replayInHold(h, runId, plan) {
    await h.query('savepoint replay');
    const b = await (0, forward_1.replayForwardBatch)(h, runId, plan, 10_000_000);
    await h.query('release savepoint replay');
    return { replayed: b.changes, left: 0 };
}
/**
 * Holds blue's writes, replays what is left (on a second connection, which commits while the
 * hold stays), then runs `whileHeld` on the holding connection and commits. Gives up — releasing
 * the writers — when the locks are not granted or the replay does not finish within maxHoldMs.
 */
async function withWritesHeld(pool, runId, plan, maxHoldMs, whileHeld, beat = () => undefined) {
    const single = plan.sync.replayUnderHold === 'holding-connection';
    const h = await pool.connect();
    const r = single ? h : await pool.connect();
    const started = Date.now();
    let open = false;
    try {
        await h.query('begin');
        open = true;
        if (!(await lockLegacy(h, plan))) {
            await h.query('rollback');
            open = false;
            return { held: false, holdMs: Date.now() - started, replayed: 0, reason: 'a writer held a legacy table longer than the lock timeout' };
        }
        const lockedAt = Date.now();
        const rep = single ? await replayInHold(h, runId, plan) : await replayUntilEmpty(pool, r, runId, plan, lockedAt + maxHoldMs, beat);
        if (rep.left > 0) {
            await h.query('rollback');
            open = false;
            return { held: false, holdMs: Date.now() - lockedAt, replayed: rep.replayed, reason: `${rep.left} changes still to replay after ${maxHoldMs} ms (plan.sync.cutover.maxHoldMs)` };
        }
        const value = await whileHeld(h);
        await h.query('commit');
        open = false;
        return { held: true, holdMs: Date.now() - lockedAt, replayed: rep.replayed, value };
    }
    finally {
        if (open)
            await h.query('rollback').catch(() => undefined);
        h.release();
        if (!single)
            r.release();
    }
}
//# sourceMappingURL=hold.js.map