"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ADAPTIVE_DEFAULTS = exports.MIN_RANGE_ROWS = exports.CopyPlan = exports.MaxLoad = void 0;
exports.nextBatchSize = nextBatchSize;
const zod_1 = require("zod");
/**
 * `plan.copy`: batch size and throttle of the copy, fixed or adaptive (as pt-online-schema-change's
 * `--chunk-time` and `--max-load`). Without `targetBatchMs` and `maxLoad` the copy behaves as it
 * always did: `batchSize` rows per batch, `throttleMs` between batches. The `throttle` signal
 * (`stp-upgrade throttle`) overrides all of it live: a batch size it sets is kept fixed.
 */
const PositiveInt = zod_1.z.number({ message: 'expected a positive integer' }).int({ message: 'expected a positive integer' }).positive({ message: 'expected a positive integer' });
exports.MaxLoad = zod_1.z
    .object({
    /** Pause while more client backends than this are active (this run's own session excluded). */
    activeBackends: PositiveInt.optional(),
    /** Pause while more sessions than this wait on a lock. */
    lockWaits: zod_1.z.number().int().min(0, { message: 'expected an integer >= 0' }).optional(),
    /** Pause while a replica replays more than this many seconds behind (no replicas: never). */
    replicationLagSeconds: zod_1.z.number().positive({ message: 'expected a positive number of seconds' }).optional(),
    /** A read-only query whose first column of its first row is a number; pause while it exceeds `max`. */
    probe: zod_1.z.object({ sql: zod_1.z.string().min(1), max: zod_1.z.number() }).strict().optional(),
    /** How long to wait before looking again. */
    pauseMs: PositiveInt.max(600_000).optional(),
})
    .strict();
exports.CopyPlan = zod_1.z
    .object({
    batchSize: PositiveInt.max(1_000_000).default(5000),
    /** Pause between batches, to spare a busy primary. */
    throttleMs: zod_1.z.number().int().min(0).default(0),
    /** Adaptive batch size: each batch is sized to take about this long, between min and max. */
    targetBatchMs: PositiveInt.max(600_000).optional(),
    minBatchSize: PositiveInt.max(1_000_000).optional(),
    maxBatchSize: PositiveInt.max(1_000_000).optional(),
    /** Pause between batches while the primary is busy; the reason shows in the progress. */
    maxLoad: exports.MaxLoad.optional(),
    /**
     * Copy activities in flight at once: key ranges of a large rule (chunks, templates, slots,
     * tags, embeddings), each copied by its own activity that any worker on the task queue may
     * take, and independent rules at the same time. Absent or 1: one rule after another, one range each.
     */
    parallelism: PositiveInt.max(64).optional(),
})
    .strict()
    .prefault({});
/** A rule with fewer legacy rows than this per range is not split (activities/copy-ranges.ts). */
exports.MIN_RANGE_ROWS = 10_000;
exports.ADAPTIVE_DEFAULTS = { minBatchSize: 100, maxBatchSize: 100_000, pauseMs: 2000 };
/**
 * The next batch size aiming at `targetMs`: proportional to the last batch's rows per ms, at most
 * doubled or halved at a time (one slow batch does not collapse it), within min and max. Pure.
 */
function nextBatchSize(copy, size, tookMs) {
    if (!copy.targetBatchMs)
        return size;
    const min = copy.minBatchSize ?? exports.ADAPTIVE_DEFAULTS.minBatchSize;
    const max = Math.max(min, copy.maxBatchSize ?? exports.ADAPTIVE_DEFAULTS.maxBatchSize);
    const ideal = Math.round((size * copy.targetBatchMs) / Math.max(1, tookMs));
    const bounded = Math.min(size * 2, Math.max(Math.floor(size / 2), ideal));
    return Math.min(max, Math.max(min, bounded));
}
//# sourceMappingURL=copy-plan.js.map