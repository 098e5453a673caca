import type pg from 'pg';
import type { Plan } from '../../common/plan';
import type { SyncDirection } from '../../common/sync';
import { replayForwardBatch } from './forward';
import { replayReverseBatch } from './reverse';
import { runYielding } from './yielding';

const dirOf = (d: SyncDirection) => (d === 'forward' ? 'f' : 'r');

/**
 * The id of the direction's newest change now. Replaying "up to the mark" ends even while the
 * application goes on writing; "until empty" may not, when every batch takes longer than the gap
 * between two writes.
 */
export async function changeMark(client: pg.ClientBase, runId: string, direction: SyncDirection): Promise<number> {
  const { rows } = await client.query<{ mark: string }>(
    `select coalesce(max(id), 0)::text as mark from stp_migration.changes where run_id = $1 and dir = $2`,
    [runId, dirOf(direction)],
  );
  return Number(rows[0].mark);
}

/** Whether a change up to `mark` still waits (one committed late, with an earlier id, counts too). */
async function waitingUpTo(client: pg.ClientBase, runId: string, direction: SyncDirection, mark: number): Promise<boolean> {
  const { rows } = await client.query<{ any: boolean }>(
    `select exists (select 1 from stp_migration.changes where run_id = $1 and dir = $2 and id <= $3) as any`,
    [runId, dirOf(direction), mark],
  );
  return rows[0].any;
}

export interface ReplayLoop {
  pool: pg.Pool;
  client: pg.PoolClient;
  runId: string;
  plan: Plan;
  direction: SyncDirection;
  /** Stop after the batch that ends past this time (ms since the epoch). */
  deadline: number;
  /** Stop once no change up to this id waits (changeMark); otherwise only when a batch finds none. */
  mark?: number;
  /** Stop after the batch during which this was aborted. */
  signal?: AbortSignal;
  /** Called after each batch. */
  onBatch?: (replayed: number) => void;
}

/**
 * Replays batches of one direction, each its own transaction giving way to the application
 * (yielding.ts), until a batch finds nothing, the mark is reached, or the deadline passes.
 */
export async function replayLoop(l: ReplayLoop): Promise<{ replayed: number; quarantined: number; reachedEnd: boolean }> {
  const batch = l.direction === 'forward' ? replayForwardBatch : replayReverseBatch;
  let replayed = 0;
  let quarantined = 0;
  for (;;) {
    const b = await runYielding(l.client, (tx, n) => batch(tx, l.runId, l.plan, n), { pool: l.pool, limit: l.plan.sync.batchSize });
    replayed += b.changes;
    quarantined += b.quarantined;
    l.onBatch?.(replayed);
    if (b.changes === 0) return { replayed, quarantined, reachedEnd: true };
    if (l.mark !== undefined && !(await waitingUpTo(l.client, l.runId, l.direction, l.mark))) return { replayed, quarantined, reachedEnd: true };
    if (Date.now() >= l.deadline || l.signal?.aborted) return { replayed, quarantined, reachedEnd: false };
  }
}
