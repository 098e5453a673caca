import { z } from 'zod';

/**
 * `plan.sync`: live writes during the upgrade (MIGRATION-CONTRACT section 6). Forward capture
 * (legacy -> target) from before the first copied batch until finalize, reverse capture
 * (target -> legacy) from the switch until finalize. Every field optional, with defaults sized for
 * one database server, so plans written before this section still validate unchanged.
 */
const PositiveInt = z.number({ message: 'expected a positive integer' }).int({ message: 'expected a positive integer' }).positive({ message: 'expected a positive integer' });

export const SyncPlan = z
  .object({
    /** Capture and replay live writes. Turn off only for a database nobody writes to. */
    enabled: z.boolean().default(true),
    /** Recorded changes replayed per transaction (whole writer transactions are never split). */
    batchSize: PositiveInt.max(100_000).default(2000),
    /** How often the replay runs between copy slices and while the saga waits (approval, drain, monitoring). */
    intervalSeconds: PositiveInt.max(3600).default(2),
    /**
     * Where the last changes are replayed while blue's writes are held: on a second connection
     * (`second-connection`, default: its commit is visible before the hold ends, which the verify
     * snapshot needs), or inside the holding transaction (`holding-connection`, for servers that
     * run one transaction at a time, e.g. PGlite; verify then lists pending keys instead).
     */
    replayUnderHold: z.enum(['second-connection', 'holding-connection']).default('second-connection'),
    cutover: z
      .object({
        /** The switch starts its hold only when at most this many changes wait for replay. */
        maxBacklog: PositiveInt.default(500),
        /** Longest time blue's writes are held (they wait, they do not fail) for the last replay. */
        maxHoldMs: PositiveInt.max(60_000).default(2000),
        /** Holds tried before the saga waits for an operator (`resume` tries again, `abort` rolls back). */
        attempts: PositiveInt.max(100).default(5),
        /** Pause between two holds that did not finish in time. */
        retrySeconds: PositiveInt.max(3600).default(10),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type SyncPlanT = z.output<typeof SyncPlan>;

export type SyncDirection = 'forward' | 'reverse';

/** What one replay call did and what is left (also the `sync` part of the progress view). */
export interface SyncStats {
  direction: SyncDirection;
  /** Changes replayed by this call. */
  replayed: number;
  /** Changes of this direction replayed by the run so far (every call, every worker). */
  totalReplayed?: number;
  /** Changes waiting after this call, and the age of the oldest (ms). */
  backlog: number;
  oldestAgeMs: number | null;
  /** Replay throughput of this call (changes/s). */
  ratePerSec: number;
  /** Rows this call quarantined because a live write made a defect (section 4). */
  liveDefects: number;
}

/** The result of a cut-over attempt: blue's writes held, last changes replayed, traffic moved. */
export interface CutoverResult {
  switched: boolean;
  holdMs: number;
  replayed: number;
  backlogAtHold: number;
  /** The last check before the switch: keys changed since the last verify, and rows that still differ. */
  rechecked?: { keys: number; differing: number };
  reason?: string;
  switch?: unknown;
}

/** The sync part of the saga's progress. */
export interface SyncProgress {
  forward?: { backlog: number; oldestAgeMs: number | null; replayed: number; ratePerSec: number };
  reverse?: { backlog: number; oldestAgeMs: number | null; replayed: number; ratePerSec: number };
  liveDefects: number;
  cutover?: { attempts: number; holdsMs: number[]; lastReason?: string; waitingForOperator?: boolean; rechecked?: { keys: number; differing: number } };
  /** Changes carried back to the legacy tables by a rollback. */
  carriedBack?: number;
}
