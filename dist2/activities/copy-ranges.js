"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.WORKER_ID = void 0;
exports.rangeRow = rangeRow;
exports.planRanges = planRanges;
exports.finishRange = finishRange;
const node_os_1 = require("node:os");
const copy_plan_1 = require("../common/copy-plan");
const db_1 = require("./db");
/**
 * Key ranges of a rule (plan.copy.parallelism). The rule's own checkpoint row keeps how many
 * ranges it was split into; each range has its own row '<rule>#<n>' whose last_key starts at the
 * range's lower bound (exclusive) and whose range_hi is its upper bound (inclusive, null: none).
 * The boundaries are computed once, in the transaction that writes them, so a resumed or replayed
 * run, or another worker, copies exactly the same ranges.
 */
/** How a worker names itself in the checkpoints and the batch log (the SDK's default identity). */
exports.WORKER_ID = `${process.pid}@${(0, node_os_1.hostname)()}`;
function rangeRow(rule, range) {
    return `${rule}#${range}`;
}
/**
 * Splits `rule` into at most `parts` ranges of about equal row counts, unless done already. Not
 * split (1 range): a rule that cannot be (no uuid keyset), `parts` 1, fewer than MIN_RANGE_ROWS
 * rows per range, or a rule already started as a whole (a run resumed with a new parallelism).
 */
async function planRanges(client, rule, input) {
    const { runId } = input;
    return (0, db_1.inTransaction)(client, async (tx) => {
        await tx.query(`insert into stp_migration.checkpoints (run_id, rule) values ($1, $2) on conflict do nothing`, [runId, input.rule]);
        const { rows } = await tx.query(`select ranges, (finished or rows_done > 0 or last_key is not null) as started
         from stp_migration.checkpoints where run_id = $1 and rule = $2 for update`, [runId, input.rule]);
        if (rows[0].ranges !== null)
            return rows[0].ranges;
        const bounds = rows[0].started || !rule.rangeTable || input.parts < 2 ? [] : await boundaries(tx, await rule.rangeTable(tx, input), input.parts);
        for (let i = 0; i <= bounds.length && bounds.length > 0; i++) {
            await tx.query(`insert into stp_migration.checkpoints (run_id, rule, last_key, range_hi) values ($1, $2, $3, $4) on conflict do nothing`, [runId, rangeRow(input.rule, i + 1), i === 0 ? null : bounds[i - 1], bounds[i] ?? null]);
        }
        const ranges = bounds.length + 1;
        await tx.query(`update stp_migration.checkpoints set ranges = $3 where run_id = $1 and rule = $2`, [runId, input.rule, ranges]);
        return ranges;
    });
}
/** parts-1 ids splitting the relation's id order into parts of equal row counts (one index-only pass each). */
async function boundaries(client, table, parts) {
    const { rows } = await client.query(`select count(*)::text as n from ${table}`);
    const total = Number(rows[0].n);
    const n = Math.min(parts, Math.floor(total / copy_plan_1.MIN_RANGE_ROWS));
    const out = [];
    for (let i = 1; i < n; i++) {
        const r = await client.query(`select id::text from ${table} order by id offset $1 limit 1`, [Math.floor((total * i) / n) - 1]);
        if (r.rows[0] && r.rows[0].id !== out[out.length - 1])
            out.push(r.rows[0].id);
    }
    return out;
}
/**
 * In the transaction that finishes range `row`: when every other range of the rule is finished,
 * runs the rule's finish (its stage is no longer read) and marks the rule's own row finished with
 * the ranges' sum. The rule's row is locked first, so two ranges finishing at once serialise and
 * the second sees the first.
 */
async function finishRange(tx, rule, input, row) {
    const { runId } = input;
    await tx.query(`select 1 from stp_migration.checkpoints where run_id = $1 and rule = $2 for update`, [runId, input.rule]);
    const { rows } = await tx.query(`select count(*) filter (where not finished and rule <> $3)::int as open, coalesce(sum(rows_done), 0)::text as done
       from stp_migration.checkpoints where run_id = $1 and rule like $2 || '#%'`, [runId, input.rule, row]);
    if (rows[0].open > 0)
        return;
    await rule.finish?.(tx, input);
    await tx.query(`update stp_migration.checkpoints set finished = true, rows_done = $3, updated_at = now() where run_id = $1 and rule = $2`, [runId, input.rule, Number(rows[0].done)]);
}
//# sourceMappingURL=copy-ranges.js.map