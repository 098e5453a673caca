"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SyncPlan = void 0;
const zod_1 = require("zod");
/**
 * `plan.sync`: live writes during the upgrade (MIGRATION-CONTRACT section 6). Forward capture
 * (legacy -> target) from before the first copied batch until finalize, reverse capture
 * (target -> legacy) from the switch until finalize. Every field optional, with defaults sized for
 * one database server, so plans written before this section still validate unchanged.
 */
const PositiveInt = zod_1.z.number({ message: 'expected a positive integer' }).int({ message: 'expected a positive integer' }).positive({ message: 'expected a positive integer' });
exports.SyncPlan = zod_1.z
    .object({
    /** Capture and replay live writes. Turn off only for a database nobody writes to. */
    enabled: zod_1.z.boolean().default(true),
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
    replayUnderHold: zod_1.z.enum(['second-connection', 'holding-connection']).default('second-connection'),
    cutover: zod_1.z
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
//# sourceMappingURL=sync.js.map