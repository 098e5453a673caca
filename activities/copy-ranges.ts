import { hostname } from 'node:os';
import type pg from 'pg';
import { MIN_RANGE_ROWS } from '../common/copy-plan';
import type { CopyRule, RangesInput, RangesResult } from '../common/steps';
import { inTransaction } from './db';
import type { RuleImpl } from './rules/types';

/**
 * Key ranges of a rule (plan.copy.parallelism). The rule's own checkpoint row keeps how many
 * ranges it was split into; each range has its own row '<rule>#<n>' whose last_key starts at the
 * range's lower bound (exclusive) and whose range_hi is its upper bound (inclusive, null: none).
 * The boundaries are computed once, in the transaction that writes them, so a resumed or replayed
 * run, or another worker, copies exactly the same ranges.
 */

/** How a worker names itself in the checkpoints and the batch log (the SDK's default identity). */
export const WORKER_ID = `${process.pid}@${hostname()}`;

export function rangeRow(rule: CopyRule, range: number): string {
  return `${rule}#${range}`;
}

/**
 * Splits `rule` into at most `parts` ranges of about equal row counts, unless done already. Not
 * split (1 range): a rule that cannot be (no uuid keyset), `parts` 1, fewer than MIN_RANGE_ROWS
 * rows per range, or a rule already started as a whole (a run resumed with a new parallelism).
 */
export async function planRanges(client: pg.PoolClient, rule: RuleImpl, input: RangesInput): Promise<RangesResult> {
  const { runId } = input;
  return inTransaction(client, async (tx: pg.PoolClient) => {
    await tx.query(`insert into stp_migration.checkpoints (run_id, rule) values ($1, $2) on conflict do nothing`, [runId, input.rule]);
    const { rows } = await tx.query<{ ranges: number | null; started: boolean }>(
      `select ranges, (finished or rows_done > 0 or last_key is not null) as started
         from stp_migration.checkpoints where run_id = $1 and rule = $2 for update`,
      [runId, input.rule],
    );
    if (rows[0].ranges !== null) return withFinished(tx, input, rows[0].ranges);
    const bounds = rows[0].started || !rule.rangeTable || input.parts < 2 ? [] : await boundaries(tx, await rule.rangeTable(tx, input), input.parts);
    for (let i = 0; i <= bounds.length && bounds.length > 0; i++) {
      await tx.query(
        `insert into stp_migration.checkpoints (run_id, rule, last_key, range_hi) values ($1, $2, $3, $4) on conflict do nothing`,
        [runId, rangeRow(input.rule, i + 1), i === 0 ? null : bounds[i - 1], bounds[i] ?? null],
      );
    }
    const ranges = bounds.length + 1;
    await tx.query(`update stp_migration.checkpoints set ranges = $3 where run_id = $1 and rule = $2`, [runId, input.rule, ranges]);
    return { ranges };
  });
}

/** The ranges stored earlier, with those already copied to the end (they need no slice again). */
async function withFinished(tx: pg.PoolClient, input: RangesInput, ranges: number): Promise<RangesResult> {
  if (ranges < 2) return { ranges };
  const { rows } = await tx.query<{ rule: string; rows_done: string }>(
    `select rule, rows_done::text from stp_migration.checkpoints where run_id = $1 and rule like $2 || '#%' and finished`,
    [input.runId, input.rule],
  );
  const finished = rows.map((r) => ({ range: Number(r.rule.slice(r.rule.lastIndexOf('#') + 1)), rowsDone: Number(r.rows_done) }))
    .filter((f) => Number.isInteger(f.range) && f.range >= 1 && f.range <= ranges)
    .sort((a, b) => a.range - b.range);
  return finished.length > 0 ? { ranges, finished } : { ranges };
}

/** parts-1 ids splitting the relation's id order into parts of equal row counts (one index-only pass each). */
async function boundaries(client: pg.ClientBase, table: string, parts: number): Promise<string[]> {
  const { rows } = await client.query<{ n: string }>(`select count(*)::text as n from ${table}`);
  const total = Number(rows[0].n);
  const n = Math.min(parts, Math.floor(total / MIN_RANGE_ROWS));
  const out: string[] = [];
  for (let i = 1; i < n; i++) {
    const r = await client.query<{ id: string }>(`select id::text from ${table} order by id offset $1 limit 1`, [Math.floor((total * i) / n) - 1]);
    if (r.rows[0] && r.rows[0].id !== out[out.length - 1]) out.push(r.rows[0].id);
  }
  return out;
}

/**
 * In the transaction that finishes range `row`: when every other range of the rule is finished,
 * runs the rule's finish (its stage is no longer read) and marks the rule's own row finished with
 * the ranges' sum. The rule's row is locked first, so two ranges finishing at once serialise and
 * the second sees the first.
 */
export async function finishRange(tx: pg.PoolClient, rule: RuleImpl, input: RangesInput | { runId: string; plan: RangesInput['plan']; rule: CopyRule }, row: string): Promise<void> {
  const { runId } = input;
  await tx.query(`select 1 from stp_migration.checkpoints where run_id = $1 and rule = $2 for update`, [runId, input.rule]);
  const { rows } = await tx.query<{ open: number; done: string }>(
    `select count(*) filter (where not finished and rule <> $3)::int as open, coalesce(sum(rows_done), 0)::text as done
       from stp_migration.checkpoints where run_id = $1 and rule like $2 || '#%'`,
    [runId, input.rule, row],
  );
  if (rows[0].open > 0) return;
  await rule.finish?.(tx, input);
  await tx.query(
    `update stp_migration.checkpoints set finished = true, rows_done = $3, updated_at = now() where run_id = $1 and rule = $2`,
    [runId, input.rule, Number(rows[0].done)],
  );
}
