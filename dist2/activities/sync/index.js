"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.captureActive = exports.withWritesHeld = exports.SYNC_LOCK_SHARED_SQL = void 0;
exports.catchUpForward = catchUpForward;
exports.createSyncActivities = createSyncActivities;
const db_1 = require("../db");
const heartbeat_1 = require("../heartbeat");
const capture_1 = require("./capture");
const forward_1 = require("./forward");
const hold_1 = require("./hold");
const loop_1 = require("./loop");
const yielding_1 = require("./yielding");
const metrics_1 = require("../metrics");
var forward_2 = require("./forward");
Object.defineProperty(exports, "SYNC_LOCK_SHARED_SQL", { enumerable: true, get: function () { return forward_2.SYNC_LOCK_SHARED_SQL; } });
var hold_2 = require("./hold");
Object.defineProperty(exports, "withWritesHeld", { enumerable: true, get: function () { return hold_2.withWritesHeld; } });
/**
 * Replays every forward change recorded so far when the run's capture is on (before the FKs are
 * validated: every FK exists by then, and its ON DELETE CASCADE handles what the application
 * deletes afterwards). Up to a mark, not to empty: the application goes on writing.
 */
async function catchUpForward(pool, client, runId, plan) {
    if (!(await (0, capture_1.captureActive)(client, runId, plan, 'f').catch(() => false)))
        return;
    const mark = await (0, loop_1.changeMark)(client, runId, 'forward');
    await (0, hold_1.replayUntilEmpty)(pool, client, runId, plan, Date.now() + 10 * 60_000, () => (0, heartbeat_1.heartbeat)({ catchUp: 'before validate' }), mark);
}
var capture_2 = require("./capture");
Object.defineProperty(exports, "captureActive", { enumerable: true, get: function () { return capture_2.captureActive; } });
const BEAT_MS = 2000;
const CHANGES = 'stp_migration.changes';
class RecheckFailed extends Error {
    constructor(r) {
        super(`${r.differing} target rows still differ from the rules for the ${r.keys} keys changed since the last verification`);
    }
}
/** The recomputation of the keys replayed since `sinceMark`, in a savepoint rolled back: rows it would change. */
async function recheck(h, runId, plan, sinceMark) {
    await h.query('savepoint recheck');
    try {
        const b = await (0, forward_1.forwardBatch)(h, runId, plan, { kind: 'recheck', sinceMark });
        return { keys: b.changes, differing: b.targetRows };
    }
    finally {
        await h.query('rollback to savepoint recheck');
    }
}
/** Inserts + updates + deletes the target tables ($2: their qualified names) took, per the statistics collector. */
const TARGET_WRITES_SQL = `(select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) from pg_stat_user_tables where relid = any(array(select to_regclass(x) from unnest($2::text[]) x)))`;
const targetTables = (plan) => [`${plan.schema}.${plan.target.chunks}`, `${plan.schema}.${plan.target.embeddings}`];
const dirOf = (d) => (d === 'forward' ? 'f' : 'r');
/** Replays batches of one direction until the backlog is empty or maxMs passed; heartbeats meanwhile. */
async function replay(pool, client, input, direction, maxMs) {
    const { runId, plan } = input;
    const started = Date.now();
    let lastBeat = 0;
    const { replayed, quarantined } = await (0, loop_1.replayLoop)({
        pool, client, runId, plan, direction, deadline: started + maxMs, signal: (0, heartbeat_1.cancellationSignal)(),
        onBatch: (n) => {
            if (Date.now() - lastBeat <= BEAT_MS)
                return;
            (0, heartbeat_1.heartbeat)({ direction, replayed: n });
            lastBeat = Date.now();
        },
    });
    const left = await (0, capture_1.backlog)(client, runId, dirOf(direction));
    (0, metrics_1.recordBacklog)(direction, left.n, left.oldestAgeMs);
    const { rows } = await client.query(`select replayed::text as n from stp_migration.sync_state where run_id = $1 and dir = $2`, [runId, dirOf(direction)]);
    const secs = (Date.now() - started) / 1000;
    return {
        direction,
        replayed,
        totalReplayed: Number(rows[0]?.n ?? 0),
        backlog: left.n,
        oldestAgeMs: left.oldestAgeMs,
        ratePerSec: secs > 0 ? Math.round(replayed / secs) : 0,
        liveDefects: quarantined,
    };
}
function createSyncActivities({ pools, switchTraffic }) {
    // keepAlive: a replay batch or a hold can wait on the database for a while; the heartbeat goes on
    return (0, heartbeat_1.keepAliveAll)({
        /**
         * Forward capture on: the triggers on the six legacy tables, installed in one transaction.
         * Idempotent. Compensation and finalize: removeCapture.
         */
        async installCapture({ runId, plan }) {
            return (0, db_1.withClient)(pools.get(plan.database), async (client) => {
                await (0, db_1.inTransaction)(client, async (tx) => (0, capture_1.ensureSyncTables)(tx));
                // the application writes these tables: we give way to it on any lock wait (yielding.ts)
                const installed = await (0, yielding_1.runYielding)(client, async (tx) => {
                    await (0, yielding_1.yieldLocks)(tx);
                    await (0, capture_1.lockCaptured)(tx, runId, plan, ['f'], 'share row exclusive');
                    return (0, capture_1.installTriggers)(tx, runId, plan, 'f');
                }, { pool: pools.get(plan.database), limit: 1 });
                return { installed };
            });
        },
        /** Replays one direction for at most maxMs (default 10 s). A no-op when the run has no capture. */
        async replaySync(input) {
            return (0, db_1.withClient)(pools.get(input.plan.database), async (client) => {
                if (!(await (0, db_1.relationExists)(client, CHANGES)))
                    return { direction: input.direction, replayed: 0, backlog: 0, oldestAgeMs: null, ratePerSec: 0, liveDefects: 0 };
                return replay(pools.get(input.plan.database), client, input, input.direction, input.maxMs ?? 10_000);
            });
        },
        /**
         * Follows the capture for up to maxMs: replays each direction whenever changes wait, polling
         * once a second when none do, heartbeating. Long waits (monitoring, approval) use it so the
         * saga's history gets one activity per minute, not one per poll. Cancelled when the wait ends.
         */
        async followSync(input) {
            return (0, db_1.withClient)(pools.get(input.plan.database), async (client) => {
                const started = Date.now();
                const signal = (0, heartbeat_1.cancellationSignal)();
                const total = new Map();
                // an abandoned call may outlive its run's capture (a rollback removed it): then it just ends
                const live = async () => (await (0, db_1.relationExists)(client, CHANGES)) && (0, db_1.relationExists)(client, `${input.plan.schema}.${input.plan.target.chunks}`);
                while (Date.now() - started < input.maxMs && !signal?.aborted && (await live())) {
                    let any = 0;
                    for (const d of input.directions) {
                        const s = await replay(pools.get(input.plan.database), client, input, d, Math.max(1000, input.maxMs - (Date.now() - started)));
                        const t = total.get(d);
                        total.set(d, t ? { ...s, replayed: t.replayed + s.replayed, liveDefects: t.liveDefects + s.liveDefects, ratePerSec: s.replayed ? s.ratePerSec : t.ratePerSec } : s);
                        any += s.replayed;
                    }
                    (0, heartbeat_1.heartbeat)({ follow: [...total.values()].map((s) => [s.direction, s.replayed]) });
                    if (any === 0)
                        await new Promise((r) => setTimeout(r, 1000));
                }
                return [...total.values()];
            });
        },
        /**
         * Compensation run before blue takes traffic again (and once more after green stopped): every
         * write green acknowledged goes back to the legacy tables. Loops until the backlog is empty.
         */
        async drainReverse(input) {
            return (0, db_1.withClient)(pools.get(input.plan.database), async (client) => {
                if (!(await (0, db_1.relationExists)(client, CHANGES)))
                    return { carriedBack: 0 };
                let carriedBack = 0;
                for (;;) {
                    const s = await replay(pools.get(input.plan.database), client, input, 'reverse', 60_000);
                    carriedBack += s.replayed;
                    if (s.backlog === 0)
                        return { carriedBack };
                }
            });
        },
        /**
         * The cut-over: blue's writes held, the last changes replayed, reverse capture installed (in
         * the holding transaction, so green's first write is already recorded), traffic moved, then
         * the hold released. `switched: false` with a reason when the hold could not finish in time;
         * nothing moved then, and the saga tries again later.
         */
        async cutover(input) {
            const { runId, plan } = input;
            const pool = pools.get(plan.database);
            const before = await (0, db_1.withClient)(pool, (c) => (0, capture_1.backlog)(c, runId, 'f'));
            const move = async () => {
                (0, heartbeat_1.heartbeat)({ cutover: 'switching' });
                return switchTraffic ? switchTraffic(input) : undefined;
            };
            // On a server that runs one transaction at a time (replayUnderHold: holding-connection) the
            // services' own queries would wait for the hold: traffic moves right after it, and what blue
            // writes meanwhile is carried by the forward capture, which stays on until blue has drained.
            const single = plan.sync.replayUnderHold === 'holding-connection';
            let rechecked;
            const outcome = await (0, hold_1.withWritesHeld)(pool, runId, plan, input.maxHoldMs, async (h) => {
                // The last check before the switch: every key replayed since the last full verification,
                // recomputed from the legacy tables as they stand under the hold; nothing may still differ.
                if (input.sinceMark !== undefined) {
                    rechecked = await recheck(h, runId, plan, input.sinceMark);
                    if (rechecked.differing > 0)
                        throw new RecheckFailed(rechecked);
                }
                await (0, capture_1.installTriggers)(h, runId, plan, 'r');
                return single ? undefined : move();
            }, () => (0, heartbeat_1.heartbeat)({ cutover: 'replaying' })).catch((err) => {
                if (err instanceof RecheckFailed)
                    return { held: false, holdMs: 0, replayed: 0, reason: err.message, value: undefined };
                throw err;
            });
            if (outcome.held && single)
                outcome.value = await move();
            return {
                ...(rechecked ? { rechecked } : {}),
                switched: outcome.held,
                holdMs: outcome.holdMs,
                replayed: outcome.replayed,
                backlogAtHold: before.n,
                ...(outcome.reason ? { reason: outcome.reason } : {}),
                ...(outcome.value !== undefined ? { switch: outcome.value } : {}),
            };
        },
        /**
         * Capture off, both directions: triggers dropped, the run's change records and counters
         * deleted, and the capture tables and function dropped when no other run uses them. Finalize
         * and every compensation; idempotent; never touches a legacy or target row.
         */
        async removeCapture({ runId, plan, finalizing }) {
            return (0, db_1.withClient)(pools.get(plan.database), async (client) => {
                // First the triggers, in a short transaction that gives way to the application's writes
                // (yielding.ts); no change is recorded after it commits, so the clean-up can follow apart.
                const dropped = await (0, yielding_1.runYielding)(client, async (tx) => {
                    await (0, yielding_1.yieldLocks)(tx);
                    await (0, capture_1.lockCaptured)(tx, runId, plan, ['f', 'r'], 'access exclusive');
                    return (await (0, capture_1.dropTriggers)(tx, runId, plan, 'f')) + (await (0, capture_1.dropTriggers)(tx, runId, plan, 'r'));
                }, { pool: pools.get(plan.database), limit: 1 });
                return (0, db_1.inTransaction)(client, async (tx) => {
                    const { rows: ns } = await tx.query(`select to_regnamespace('stp_migration') is not null as ok`);
                    if (!ns[0].ok)
                        return { dropped, discarded: 0 };
                    await tx.query(`create table if not exists stp_migration.finalized_writes (run_id text primary key, at timestamptz not null, writes bigint not null)`);
                    if (finalizing) {
                        // From here on green's writes are not carried back: remember the target tables' write
                        // counters, so an emergency rollback can say how many it would lose.
                        await tx.query(`insert into stp_migration.finalized_writes (run_id, at, writes) select $1, now(), ${TARGET_WRITES_SQL}
               on conflict (run_id) do update set at = excluded.at, writes = excluded.writes`, [runId, targetTables(plan)]);
                    }
                    else {
                        await tx.query(`delete from stp_migration.finalized_writes where run_id = $1`, [runId]);
                        const { rows: f } = await tx.query(`select count(*)::int as n from stp_migration.finalized_writes`);
                        if (f[0].n === 0)
                            await tx.query(`drop table stp_migration.finalized_writes`);
                    }
                    if (!(await (0, db_1.relationExists)(tx, CHANGES)))
                        return { dropped, discarded: 0 };
                    const del = await tx.query(`delete from stp_migration.changes where run_id = $1`, [runId]);
                    await tx.query(`delete from stp_migration.sync_state where run_id = $1`, [runId]);
                    await tx.query(`delete from stp_migration.sync_keys where run_id = $1`, [runId]);
                    const { rows: left } = await tx.query(`select (select count(*) from stp_migration.changes) + (select count(*) from stp_migration.sync_state)
                  + (select count(*) from stp_migration.sync_keys)
                  + (select count(*) from pg_trigger t join pg_proc p on p.oid = t.tgfoid join pg_namespace n on n.oid = p.pronamespace
                      where n.nspname = 'stp_migration' and p.proname = 'capture') as n`);
                    if (Number(left[0].n) === 0) {
                        await tx.query(`drop table if exists stp_migration.changes, stp_migration.sync_state, stp_migration.sync_keys; drop function if exists stp_migration.capture()`);
                    }
                    return { dropped, discarded: del.rowCount ?? 0 };
                });
            });
        },
        /**
         * For a rollback of a finalized run: how many writes the target tables took since finalize
         * (PostgreSQL's cumulative statistics; they cannot be carried back). null when not finalized.
         */
        async writesSinceFinalize({ runId, plan }) {
            return (0, db_1.withClient)(pools.get(plan.database), async (c) => {
                if (!(await (0, db_1.relationExists)(c, 'stp_migration.finalized_writes')))
                    return null;
                const { rows } = await c.query(`select f.at, greatest(0, ${TARGET_WRITES_SQL} - f.writes)::text as writes from stp_migration.finalized_writes f where f.run_id = $1`, [runId, targetTables(plan)]);
                return rows[0] ? { at: rows[0].at.toISOString(), writes: Number(rows[0].writes) } : null;
            });
        },
        /** Whether forward capture is on for the run (the CLI's and tests' view). */
        async syncStatus({ runId, plan }) {
            return (0, db_1.withClient)(pools.get(plan.database), async (c) => ({
                forward: await (0, capture_1.captureActive)(c, runId, plan, 'f').catch(() => false),
                reverse: await (0, capture_1.captureActive)(c, runId, plan, 'r').catch(() => false),
            }));
        },
    });
}
//# sourceMappingURL=index.js.map