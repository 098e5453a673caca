import type pg from 'pg';
import type { CopyRule, StepInput } from '../../common/steps';

/**
 * One mapping rule of the contract as keyset batches. The copy engine (activities/copy.ts) owns the
 * loop, the transaction per batch, the checkpoint row written in that same transaction, the
 * heartbeat and the batch log; a rule only knows its SQL.
 *
 * `key` is opaque to the engine: the rule encodes its keyset position as text (a uuid, or a JSON
 * array for a composite key) and gets it back on the next batch, also after a crash.
 */
export interface RuleImpl {
  rule: CopyRule;
  /** Legacy rows the rule reads (for progress and ETA). */
  total(client: pg.PoolClient, input: StepInput): Promise<number>;
  /**
   * Copies the next batch after `afterKey` (null: from the start) inside the engine's transaction.
   * `rows` is the number of legacy rows consumed; `lastKey` null means there was nothing left.
   * `firstKey` (optional) is the batch's first key, logged in stp_migration.batches.
   * Must be idempotent: running the same batch twice leaves the same target rows (deterministic
   * ids). `skipExisting` (the default) skips target rows that exist already (`on conflict do
   * nothing`): the live-write replay writes rows ahead of the copy's position. false: a plain
   * insert, which fails with unique_violation (23505) on such a row; the engine then runs the
   * batch again with true. A plain insert costs a third less than a speculative one.
   */
  batch(
    client: pg.PoolClient,
    input: StepInput,
    afterKey: string | null,
    limit: number,
    upTo?: string | null,
    skipExisting?: boolean,
  ): Promise<{ rows: number; lastKey: string | null; firstKey?: string | null }>;
  /**
   * Optional: the rule can be split into key ranges (plan.copy.parallelism > 1). The relation it
   * returns has a uuid column `id` whose order is the first column of the rule's keyset; `batch`
   * copies no key whose `id` is above `upTo` (null: no bound), and takes a range's lower bound, a
   * bare `id`, as its first `afterKey`. It may build what the relation reads (a stage).
   */
  rangeTable?(client: pg.PoolClient, input: StepInput): Promise<string>;
  /** Optional: runs in the transaction that marks the rule finished (e.g. drops its staging table). */
  finish?(client: pg.PoolClient, input: StepInput): Promise<void>;
}
