import type pg from 'pg';
import type { StepInput } from '../../common/steps';
import type { CutoverResult, SyncDirection, SyncStats } from '../../common/sync';
import { inTransaction, type Pools, relationExists, withClient } from '../db';
import { cancellationSignal, heartbeat, keepAliveAll } from '../heartbeat';
import { backlog, captureActive, dropTriggers, ensureSyncTables, installTriggers, lockCaptured } from './capture';
import { forwardBatch } from './forward';
import { replayUntilEmpty, withWritesHeld } from './hold';
import { changeMark, replayLoop } from './loop';
import { runYielding, yieldLocks } from './yielding';
import { recordBacklog } from '../metrics';

export { SYNC_LOCK_SHARED_SQL } from './forward';
export { withWritesHeld } from './hold';

/**
 * Replays every forward change recorded so far when the run's capture is on (before the FKs are
 * validated: every FK exists by then, and its ON DELETE CASCADE handles what the application
 * deletes afterwards). Up to a mark, not to empty: the application goes on writing.
 */
export async function catchUpForward(pool: pg.Pool, client: pg.PoolClient, runId: string, plan: StepInput['plan']): Promise<void> {
  if (!(await captureActive(client, runId, plan, 'f').catch(() => false))) return;
  const mark = await changeMark(client, runId, 'forward');
  await replayUntilEmpty(pool, client, runId, plan, Date.now() + 10 * 60_000, () => heartbeat({ catchUp: 'before validate' }), mark);
}
export { captureActive } from './capture';

const BEAT_MS = 2000;
const CHANGES = 'stp_migration.changes';

class RecheckFailed extends Error {
  constructor(r: { keys: number; differing: number }) {
    super(`${r.differing} target rows still differ from the rules for the ${r.keys} keys changed since the last verification`);
  }
}

/** The recomputation of the keys replayed since `sinceMark`, in a savepoint rolled back: rows it would change. */
async function recheck(h: pg.PoolClient, runId: string, plan: StepInput['plan'], sinceMark: number): Promise<{ keys: number; differing: number }> {
  await h.query('savepoint recheck');
  try {
    const b = await forwardBatch(h, runId, plan, { kind: 'recheck', sinceMark });
    return { keys: b.changes, differing: b.targetRows };
  } finally {
    await h.query('rollback to savepoint recheck');
  }
}
/** Inserts + updates + deletes the target tables ($2: their qualified names) took, per the statistics collector. */
const TARGET_WRITES_SQL = `(select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) from pg_stat_user_tables where relid = any(array(select to_regclass(x) from unnest($2::text[]) x)))`;
const targetTables = (plan: StepInput['plan']) => [`${plan.schema}.${plan.target.chunks}`, `${plan.schema}.${plan.target.embeddings}`];
const dirOf = (d: SyncDirection) => (d === 'forward' ? 'f' : 'r');

export interface SyncDeps {
  pools: Pools;
  /** Moves traffic to green (the release family's switchTraffic), called while blue's writes are held. */
  switchTraffic?: (input: StepInput) => Promise<unknown>;
}

/** Replays batches of one direction until the backlog is empty or maxMs passed; heartbeats meanwhile. */
async function replay(pool: pg.Pool, client: pg.PoolClient, input: StepInput, direction: SyncDirection, maxMs: number): Promise<SyncStats> {
  const { runId, plan } = input;
  const started = Date.now();
  let lastBeat = 0;
  const { replayed, quarantined } = await replayLoop({
    pool, client, runId, plan, direction, deadline: started + maxMs, signal: cancellationSignal(),
    onBatch: (n) => {
      if (Date.now() - lastBeat <= BEAT_MS) return;
      heartbeat({ direction, replayed: n });
      lastBeat = Date.now();
    },
  });
  const left = await backlog(client, runId, dirOf(direction));
  recordBacklog(direction, left.n, left.oldestAgeMs);
  const { rows } = await client.query<{ n: string }>(`select replayed::text as n from stp_migration.sync_state where run_id = $1 and dir = $2`, [runId, dirOf(direction)]);
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

export function createSyncActivities({ pools, switchTraffic }: SyncDeps) {
  // keepAlive: a replay batch or a hold can wait on the database for a while; the heartbeat goes on
  return keepAliveAll({
    /**
     * Forward capture on: the triggers on the six legacy tables, installed in one transaction.
     * Idempotent. Compensation and finalize: removeCapture.
     */
    async installCapture({ runId, plan }: StepInput): Promise<{ installed: number }> {
      return withClient(pools.get(plan.database), async (client) => {
        await inTransaction(client, async (tx: pg.PoolClient) => ensureSyncTables(tx));
        // the application writes these tables: we give way to it on any lock wait (yielding.ts)
        const installed = await runYielding(client, async (tx) => {
          await yieldLocks(tx);
          await lockCaptured(tx, runId, plan, ['f'], 'share row exclusive');
          return installTriggers(tx, runId, plan, 'f');
        }, { pool: pools.get(plan.database), limit: 1 });
        return { installed };
      });
    },

    /** Replays one direction for at most maxMs (default 10 s). A no-op when the run has no capture. */
    async replaySync(input: StepInput & { direction: SyncDirection; maxMs?: number }): Promise<SyncStats> {
      return withClient(pools.get(input.plan.database), async (client) => {
        if (!(await relationExists(client, CHANGES))) return { direction: input.direction, replayed: 0, backlog: 0, oldestAgeMs: null, ratePerSec: 0, liveDefects: 0 };
        return replay(pools.get(input.plan.database), client, input, input.direction, input.maxMs ?? 10_000);
      });
    },

    /**
     * Follows the capture for up to maxMs: replays each direction whenever changes wait, polling
     * once a second when none do, heartbeating. Long waits (monitoring, approval) use it so the
     * saga's history gets one activity per minute, not one per poll. Cancelled when the wait ends.
     */
    async followSync(input: StepInput & { directions: SyncDirection[]; maxMs: number }): Promise<SyncStats[]> {
      return withClient(pools.get(input.plan.database), async (client) => {
        const started = Date.now();
        const signal = cancellationSignal();
        const total = new Map<SyncDirection, SyncStats>();
        // an abandoned call may outlive its run's capture (a rollback removed it): then it just ends
        const live = async () => (await relationExists(client, CHANGES)) && relationExists(client, `${input.plan.schema}.${input.plan.target.chunks}`);
        while (Date.now() - started < input.maxMs && !signal?.aborted && (await live())) {
          let any = 0;
          for (const d of input.directions) {
            const s = await replay(pools.get(input.plan.database), client, input, d, Math.max(1000, input.maxMs - (Date.now() - started)));
            const t = total.get(d);
            total.set(d, t ? { ...s, replayed: t.replayed + s.replayed, liveDefects: t.liveDefects + s.liveDefects, ratePerSec: s.replayed ? s.ratePerSec : t.ratePerSec } : s);
            any += s.replayed;
          }
          heartbeat({ follow: [...total.values()].map((s) => [s.direction, s.replayed]) });
          if (any === 0) await new Promise((r) => setTimeout(r, 1000));
        }
        return [...total.values()];
      });
    },

    /**
     * Compensation run before blue takes traffic again (and once more after green stopped): every
     * write green acknowledged goes back to the legacy tables. Loops until the backlog is empty.
     */
    async drainReverse(input: StepInput): Promise<{ carriedBack: number }> {
      return withClient(pools.get(input.plan.database), async (client) => {
        if (!(await relationExists(client, CHANGES))) return { carriedBack: 0 };
        let carriedBack = 0;
        for (;;) {
          const s = await replay(pools.get(input.plan.database), client, input, 'reverse', 60_000);
          carriedBack += s.replayed;
          if (s.backlog === 0) return { carriedBack };
        }
      });
    },

    /**
     * The cut-over: blue's writes held, the last changes replayed, reverse capture installed (in
     * the holding transaction, so green's first write is already recorded), traffic moved, then
     * the hold released. `switched: false` with a reason when the hold could not finish in time;
     * nothing moved then, and the saga tries again later.
     */
    async cutover(input: StepInput & { maxHoldMs: number; sinceMark?: number }): Promise<CutoverResult> {
      const { runId, plan } = input;
      const pool = pools.get(plan.database);
      const before = await withClient(pool, (c) => backlog(c, runId, 'f'));
      const move = async () => {
        heartbeat({ cutover: 'switching' });
        return switchTraffic ? switchTraffic(input) : undefined;
      };
      // On a server that runs one transaction at a time (replayUnderHold: holding-connection) the
      // services' own queries would wait for the hold: traffic moves right after it, and what blue
      // writes meanwhile is carried by the forward capture, which stays on until blue has drained.
      const single = plan.sync.replayUnderHold === 'holding-connection';
      let rechecked: { keys: number; differing: number } | undefined;
      const outcome = await withWritesHeld(pool, runId, plan, input.maxHoldMs, async (h) => {
        // The last check before the switch: every key replayed since the last full verification,
        // recomputed from the legacy tables as they stand under the hold; nothing may still differ.
        if (input.sinceMark !== undefined) {
          rechecked = await recheck(h, runId, plan, input.sinceMark);
          if (rechecked.differing > 0) throw new RecheckFailed(rechecked);
        }
        await installTriggers(h, runId, plan, 'r');
        return single ? undefined : move();
      }, () => heartbeat({ cutover: 'replaying' })).catch((err: unknown) => {
        if (err instanceof RecheckFailed) return { held: false, holdMs: 0, replayed: 0, reason: err.message, value: undefined };
        throw err;
      });
      if (outcome.held && single) outcome.value = await move();
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
    async removeCapture({ runId, plan, finalizing }: StepInput & { finalizing?: boolean }): Promise<{ dropped: number; discarded: number }> {
      return withClient(pools.get(plan.database), async (client) => {
        // First the triggers, in a short transaction that gives way to the application's writes
        // (yielding.ts); no change is recorded after it commits, so the clean-up can follow apart.
        const dropped = await runYielding(client, async (tx) => {
          await yieldLocks(tx);
          await lockCaptured(tx, runId, plan, ['f', 'r'], 'access exclusive');
          return (await dropTriggers(tx, runId, plan, 'f')) + (await dropTriggers(tx, runId, plan, 'r'));
        }, { pool: pools.get(plan.database), limit: 1 });
        return inTransaction(client, async (tx: pg.PoolClient) => {
          const { rows: ns } = await tx.query<{ ok: boolean }>(`select to_regnamespace('stp_migration') is not null as ok`);
          if (!ns[0].ok) return { dropped, discarded: 0 };
          await tx.query(`create table if not exists stp_migration.finalized_writes (run_id text primary key, at timestamptz not null, writes bigint not null)`);
          if (finalizing) {
            // From here on green's writes are not carried back: remember the target tables' write
            // counters, so an emergency rollback can say how many it would lose.
            await tx.query(
              `insert into stp_migration.finalized_writes (run_id, at, writes) select $1, now(), ${TARGET_WRITES_SQL}
               on conflict (run_id) do update set at = excluded.at, writes = excluded.writes`,
              [runId, targetTables(plan)],
            );
          } else {
            await tx.query(`delete from stp_migration.finalized_writes where run_id = $1`, [runId]);
            const { rows: f } = await tx.query<{ n: number }>(`select count(*)::int as n from stp_migration.finalized_writes`);
            if (f[0].n === 0) await tx.query(`drop table stp_migration.finalized_writes`);
          }
          if (!(await relationExists(tx, CHANGES))) return { dropped, discarded: 0 };
          const del = await tx.query(`delete from stp_migration.changes where run_id = $1`, [runId]);
          await tx.query(`delete from stp_migration.sync_state where run_id = $1`, [runId]);
          await tx.query(`delete from stp_migration.sync_keys where run_id = $1`, [runId]);
          const { rows: left } = await tx.query<{ n: number }>(
            `select (select count(*) from stp_migration.changes) + (select count(*) from stp_migration.sync_state)
                  + (select count(*) from stp_migration.sync_keys)
                  + (select count(*) from pg_trigger t join pg_proc p on p.oid = t.tgfoid join pg_namespace n on n.oid = p.pronamespace
                      where n.nspname = 'stp_migration' and p.proname = 'capture') as n`,
          );
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
    async writesSinceFinalize({ runId, plan }: StepInput): Promise<{ at: string; writes: number } | null> {
      return withClient(pools.get(plan.database), async (c) => {
        if (!(await relationExists(c, 'stp_migration.finalized_writes'))) return null;
        const { rows } = await c.query<{ at: Date; writes: string }>(
          `select f.at, greatest(0, ${TARGET_WRITES_SQL} - f.writes)::text as writes from stp_migration.finalized_writes f where f.run_id = $1`,
          [runId, targetTables(plan)],
        );
        return rows[0] ? { at: rows[0].at.toISOString(), writes: Number(rows[0].writes) } : null;
      });
    },

    /** Whether forward capture is on for the run (the CLI's and tests' view). */
    async syncStatus({ runId, plan }: StepInput): Promise<{ forward: boolean; reverse: boolean }> {
      return withClient(pools.get(plan.database), async (c) => ({
        forward: await captureActive(c, runId, plan, 'f').catch(() => false),
        reverse: await captureActive(c, runId, plan, 'r').catch(() => false),
      }));
    },
  });
}
