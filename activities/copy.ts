import { CancelledFailure } from '@temporalio/activity';
import type pg from 'pg';
import { ADAPTIVE_DEFAULTS, nextBatchSize } from '../common/copy-plan';
import { BadInputError } from '../common/errors';
import type { RangesInput, RangesResult, SliceInput, SliceResult } from '../common/steps';
import { finishRange, planRanges, rangeRow, WORKER_ID } from './copy-ranges';
import { ensureBookkeeping } from './bookkeeping';
import { busyReason } from './copy-load';
import { inTransaction, type Pools, withLongSession } from './db';
import { cancellationSignal, keepAliveAll, heartbeat as safeHeartbeat } from './heartbeat';
import { ruleImpl } from './rules';
import { forgetStages } from './rules/stage';
import { SYNC_LOCK_SHARED_SQL } from './sync';
import type { RuleImpl } from './rules/types';
import { recordBatch } from './metrics';


interface Checkpoint {
  last_key: string | null;
  range_hi: string | null;
  rows_done: string;
  batches: string;
  finished: boolean;
}

type Step = { finished: true; rowsDone: number } | { finished: false; rowsDone: number; lastKey: string; redone: boolean };

/**
 * One batch in one transaction: the checkpoint row is locked (a zombie attempt of the same slice
 * waits instead of copying the same keys), the rule copies after the committed key, and the
 * checkpoint and the batch log are written before the same commit. So a crash either loses the
 * whole batch or keeps it with its checkpoint: a resume never redoes committed work.
 */
async function copyOneBatch(client: pg.PoolClient, rule: RuleImpl, input: SliceInput, batchSize: number, skipExisting: boolean): Promise<Step> {
  const { runId } = input;
  // A range (plan.copy.parallelism) has its own checkpoint row and bound; the whole rule, the rule's row.
  const row = input.range === undefined ? input.rule : rangeRow(input.rule, input.range);
  const batchStarted = Date.now();
  return inTransaction(client, async (tx: pg.PoolClient) => {
    // Shared with other batches, exclusive with a replay batch (activities/sync): a batch whose
    // snapshot predates a live change never commits after that change's replay. The commit need
    // not wait for its WAL flush: the batch and its checkpoint are one transaction, so a server
    // crash loses both or neither, and any later synchronous commit (a replay, the lease) flushes
    // it first. Fewer round trips: the lock and the setting are one statement.
    await tx.query(`${SYNC_LOCK_SHARED_SQL}, set_config('synchronous_commit', 'off', true)`, [runId]);
    const { rows } = await tx.query<Checkpoint>(
      `select last_key, range_hi, rows_done::text, batches::text, finished from stp_migration.checkpoints
        where run_id = $1 and rule = $2 for update`,
      [runId, row],
    );
    const cp = rows[0];
    const rowsBefore = Number(cp.rows_done);
    if (cp.finished) return { finished: true, rowsDone: rowsBefore };
    const r = await rule.batch(tx, input, cp.last_key, batchSize, cp.range_hi, skipExisting);
    if (r.lastKey === null) {
      if (input.range === undefined) await rule.finish?.(tx, input);
      else await finishRange(tx, rule, input, row);
      // The rule's (or range's) last commit waits for its WAL flush, and so flushes every batch before
      // it: once the workflow hears "finished" and moves on, a server crash cannot take the batches back.
      await tx.query(
        `update stp_migration.checkpoints set finished = true, updated_at = now() where run_id = $1 and rule = $2
         returning set_config('synchronous_commit', 'on', true)`,
        [runId, row],
      );
      return { finished: true, rowsDone: rowsBefore };
    }
    const rowsDone = rowsBefore + r.rows;
    // One statement: was this batch committed before (a redo after a crash), the checkpoint, the batch log.
    const seen = await tx.query<{ n: number }>(
      `with cp as (
         update stp_migration.checkpoints
            set last_key = $3, rows_done = $5, batches = batches + 1, rows_total = greatest(rows_total, $5), taken_by = $8, updated_at = now()
          where run_id = $1 and rule = $2),
       log as (
         insert into stp_migration.batches (run_id, rule, batch_no, first_key, last_key, rows, worker) values ($1, $2, $6, $4, $3, $7, $8))
       select count(*)::int as n from stp_migration.batches
        where run_id = $1 and rule = $2 and (last_key = $3 or first_key = $4)`,
      [runId, row, r.lastKey, r.firstKey ?? null, rowsDone, Number(cp.batches) + 1, r.rows, WORKER_ID],
    );
    recordBatch(input.rule, r.rows, Date.now() - batchStarted);
    return { finished: false, rowsDone, lastKey: r.lastKey, redone: seen.rows[0].n > 0 };
  });
}

/**
 * The rule's legacy rows, counted once per run and kept in its checkpoint row (the batches raise
 * it when live writes add rows): a full count per slice cost a fifth of a large rule.
 */
async function ruleTotal(client: pg.PoolClient, rule: RuleImpl, input: RangesInput | SliceInput): Promise<number> {
  const { rows } = await client.query<{ total: string | null }>(
    `select rows_total::text as total from stp_migration.checkpoints where run_id = $1 and rule = $2`,
    [input.runId, input.rule],
  );
  if (rows[0]?.total != null) return Number(rows[0].total);
  const total = await rule.total(client, input);
  await client.query(
    `update stp_migration.checkpoints set rows_total = greatest(rows_done, $3) where run_id = $1 and rule = $2 and rows_total is null`,
    [input.runId, input.rule, total],
  );
  return total;
}

/** A range slice needs the range planned first (planRanges): a clear error, not a silent whole-rule copy. */
async function requireRange(client: pg.PoolClient, input: SliceInput): Promise<void> {
  const { rows } = await client.query(`select 1 from stp_migration.checkpoints where run_id = $1 and rule = $2`, [input.runId, rangeRow(input.rule, input.range ?? 0)]);
  if (rows.length === 0) {
    throw new BadInputError(`copySlice: range ${input.range} of rule ${input.rule} was not planned for run ${input.runId}; call planRanges first`);
  }
}

/** The input's range, for the progress and the result (nothing for a whole rule, as before ranges). */
const rangeOf = (input: SliceInput): { range?: number } => (input.range === undefined ? {} : { range: input.range });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * How often a slice heartbeats whatever it waits on (a batch, a lock, a stage being built): well
 * under the copyBatch profile's 6 s heartbeat timeout (workflows/profiles.ts).
 */
export const COPY_BEAT_MS = 1500;

/**
 * Batches until the rule is done, maxBatches or maxMs; `report` gets the progress after each
 * batch. Between batches: the plan's pause (throttleMs), the load-aware pause while the primary
 * is busy (plan.copy.maxLoad, the reason returned), and the adaptive batch size aiming at
 * plan.copy.targetBatchMs unless the throttle signal fixed the size.
 */
async function runSlice(client: pg.PoolClient, rule: RuleImpl, input: SliceInput, rowsTotal: number, report: (p: unknown) => void): Promise<SliceResult> {
  const copy = input.plan.copy;
  let batchSize = input.batchSize > 0 ? input.batchSize : copy.batchSize;
  const signal = cancellationSignal();
  const started = Date.now();
  const left = () => Math.max(0, input.maxMs - (Date.now() - started));
  const result: SliceResult = { rule: input.rule, ...rangeOf(input), finished: false, rowsDone: 0, rowsTotal, batches: 0, redoneBatches: 0, batchSize };
  // Plain inserts until a row the live-write replay wrote ahead of the copy is met: that batch is
  // rolled back and run again skipping existing rows, as is the rest of the slice. Nothing else
  // can write these keys meanwhile: a batch holds the sync lock that excludes the replay.
  let skipExisting = false;
  for (;;) {
    const t0 = Date.now();
    let step: Step;
    try {
      step = await copyOneBatch(client, rule, input, batchSize, skipExisting);
    } catch (err) {
      if (skipExisting || (err as { code?: string }).code !== '23505') throw err;
      skipExisting = true;
      forgetStages(input); // a stage made in the rolled-back batch is gone with it
      continue;
    }
    result.rowsDone = step.rowsDone;
    if (step.finished) {
      result.finished = true;
      break;
    }
    result.batches += 1;
    if (step.redone) result.redoneBatches += 1;
    if (!input.fixedBatchSize) batchSize = nextBatchSize(copy, batchSize, Date.now() - t0);
    result.batchSize = batchSize;
    report({ rule: input.rule, ...rangeOf(input), lastKey: step.lastKey, rowsDone: step.rowsDone });
    if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new CancelledFailure('cancelled');
    if (result.batches >= input.maxBatches || left() === 0) break;
    if (copy.throttleMs > 0) await sleep(Math.min(copy.throttleMs, left()));
    for (let reason = await busyReason(client, copy.maxLoad); reason !== null; reason = await busyReason(client, copy.maxLoad)) {
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new CancelledFailure('cancelled');
      result.pauseReason = reason;
      report({ rule: input.rule, ...rangeOf(input), lastKey: step.lastKey, rowsDone: step.rowsDone, paused: reason });
      const pause = Math.min(copy.maxLoad?.pauseMs ?? ADAPTIVE_DEFAULTS.pauseMs, left());
      if (pause === 0) break;
      await sleep(pause);
      result.pausedMs = (result.pausedMs ?? 0) + pause;
    }
    if (left() === 0) break;
  }
  result.rowsTotal = Math.max(result.rowsTotal, result.rowsDone);
  return result;
}

export function createCopyActivities({ pools }: { pools: Pools }) {
  return keepAliveAll({
    /**
     * A bounded slice of one rule: batches until the rule is done, maxBatches or maxMs. Resumes
     * from the checkpoint in stp_migration.checkpoints (not from heartbeat details: the database's
     * checkpoint commits with the data, a heartbeat may be lost). A finished rule returns at once.
     * On cancellation it stops after the batch in flight has committed. Heartbeats every
     * COPY_BEAT_MS whatever it waits on, so a dead worker is noticed within the copyBatch
     * profile's heartbeat timeout (6 s).
     * A batch an earlier attempt left running is not terminated: it is short, the checkpoint row
     * lock makes this attempt wait for it, and the server aborts it once it notices its client is
     * gone (client_connection_check_interval).
     */
    async copySlice(input: SliceInput): Promise<SliceResult> {
      const rule = ruleImpl(input.rule);
      let progress: unknown = { rule: input.rule, ...rangeOf(input) };
      const beat = setInterval(() => safeHeartbeat(progress), COPY_BEAT_MS);
      try {
        const activity = input.range === undefined ? `copy-${input.rule}` : `copy-${input.rule}-${input.range}`;
        return await withLongSession(pools.get(input.plan.database), { runId: input.runId, activity, terminate: false }, async (client) => {
          await ensureBookkeeping(client);
          await client.query(
            `insert into stp_migration.checkpoints (run_id, rule) values ($1, $2) on conflict do nothing`,
            [input.runId, input.rule],
          );
          const rowsTotal = await ruleTotal(client, rule, input);
          if (input.range !== undefined) await requireRange(client, input);
          return runSlice(client, rule, input, rowsTotal, (p) => {
            progress = p;
            safeHeartbeat(p);
          });
        });
      } finally {
        clearInterval(beat);
      }
    },

    /**
     * Splits a rule into at most `parts` key ranges for concurrent slices (plan.copy.parallelism),
     * once per run: a retry, a resume or a replay gets the ranges stored the first time.
     */
    async planRanges(input: RangesInput): Promise<RangesResult> {
      const rule = ruleImpl(input.rule);
      return withLongSession(pools.get(input.plan.database), { runId: input.runId, activity: `ranges-${input.rule}`, terminate: false }, async (client) => {
        await ensureBookkeeping(client);
        const planned = await planRanges(client, rule, input);
        await ruleTotal(client, rule, input);
        return planned;
      });
    },
  });
}
