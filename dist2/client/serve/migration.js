"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ResumeBody = void 0;
exports.runbookStatus = runbookStatus;
exports.incompleteChunks = incompleteChunks;
exports.pickRun = pickRun;
exports.migrationStatus = migrationStatus;
exports.resumeMigration = resumeMigration;
const zod_1 = require("zod");
const names_1 = require("../../common/names");
const steps_1 = require("../../common/steps");
const validation_1 = require("../../common/validation");
/** The runbook's `status` values, from the saga's phase. */
function runbookStatus(phase) {
    if (phase === 'completed')
        return 'completed';
    if (phase === 'rolled_back' || phase === 'blocked')
        return phase;
    if (phase === 'rollback_failed')
        return 'failed';
    if (phase === 'paused')
        return 'paused';
    if (phase.startsWith('awaiting_'))
        return 'waiting';
    return 'running';
}
/** Chunks the copy has still to migrate; 0 once the copy is done, null before it knows the total. */
function incompleteChunks(p) {
    const chunks = p.rules.chunks;
    if (chunks)
        return Math.max(0, chunks.total - chunks.done);
    const copy = p.steps.copy;
    return copy === undefined || copy === 'done' || copy === 'skipped' ? 0 : null;
}
/**
 * Which run the endpoints act on: `?run=ID`, else `serve --run ID`, else the one upgrade running on
 * the task queue (none: 404, several: 409 naming them).
 */
async function pickRun(client, taskQueue, asked, fixed) {
    if (asked)
        return asked;
    if (fixed)
        return fixed;
    const ids = [];
    for await (const w of client.workflow.list({ query: `WorkflowType = '${names_1.WorkflowTypes.upgrade}' AND ExecutionStatus = 'Running' AND TaskQueue = '${taskQueue.replace(/'/g, "''")}'` })) {
        ids.push(w.workflowId);
        if (ids.length > 10)
            break;
    }
    if (ids.length === 1)
        return ids[0];
    if (ids.length === 0)
        return { status: 404, body: { error: 'no upgrade run is open; name one with ?run=ID' } };
    return { status: 409, body: { error: `${ids.length} upgrade runs are open; name one with ?run=ID`, runs: ids } };
}
async function describe(client, runId) {
    try {
        const d = await client.workflow.getHandle(runId).describe();
        if (d.type !== names_1.WorkflowTypes.upgrade)
            return { status: 404, body: { error: `${runId} is a ${d.type}, not an upgrade run` } };
        return { status: d.status.name };
    }
    catch (err) {
        if (err.name === 'WorkflowNotFoundError')
            return { status: 404, body: { error: `no upgrade run ${runId}` } };
        throw err;
    }
}
/** GET /admin/migration/status: the saga's own `progress` query, in the runbook's terms. */
async function migrationStatus(client, runId) {
    const d = await describe(client, runId);
    if ('body' in d)
        return d;
    let p;
    try {
        p = await client.workflow.getHandle(runId).query(names_1.QueryNames.progress);
    }
    catch (err) {
        return { status: 503, body: { error: `run ${runId} (${d.status.toLowerCase()}) did not answer its progress query: ${err.message}. Is a worker running?` } };
    }
    return {
        status: 200,
        body: {
            run_id: runId,
            status: runbookStatus(p.phase),
            incomplete_chunks: incompleteChunks(p),
            phase: p.phase,
            step: p.step ?? null,
            workflow_status: d.status,
            paused: p.paused,
            progress: { steps: p.steps, rules: p.rules, batch_size: p.batchSize, rows_per_sec: p.rowsPerSec, eta_seconds: p.etaSeconds },
            ...(p.error ? { error: p.error } : {}),
        },
    };
}
/** `{checkpoint, batch_size}` of partial_recovery.sh. A checkpoint names a copy rule: `chunks` or `chunks_migration`. */
exports.ResumeBody = zod_1.z
    .object({
    checkpoint: zod_1.z
        .string()
        .transform((s) => s.replace(/_migration$/, ''))
        .refine((s) => steps_1.COPY_RULES.includes(s), { message: `expected a copy rule: ${steps_1.COPY_RULES.map((r) => `${r}_migration`).join(', ')} (or the rule alone)` })
        .optional(),
    batch_size: zod_1.z.number({ message: 'expected a positive integer (at most 1000000)' }).int({ message: 'expected a positive integer (at most 1000000)' })
        .min(1, { message: 'expected a positive integer (at most 1000000)' }).max(1_000_000, { message: 'expected a positive integer (at most 1000000)' }).optional(),
})
    .strict();
/**
 * POST /admin/migration/resume: the batch size through the saga's `throttle` signal, then its
 * `resume` signal. The run goes on from its own last committed batch (its checkpoint); the body's
 * checkpoint is checked against the run and its position reported, never used to skip or redo rows.
 */
async function resumeMigration(client, runId, raw) {
    const parsed = exports.ResumeBody.safeParse(raw ?? {});
    if (!parsed.success)
        return { status: 400, body: { error: 'invalid body', problems: (0, validation_1.formatIssues)('body', parsed.error, raw) } };
    const d = await describe(client, runId);
    if ('body' in d)
        return d;
    if (d.status !== 'RUNNING')
        return { status: 409, body: { error: `run ${runId} has ended (${d.status.toLowerCase()}); nothing to resume`, run_id: runId } };
    const handle = client.workflow.getHandle(runId);
    const { batch_size: batchSize, checkpoint } = parsed.data;
    if (batchSize !== undefined)
        await handle.signal(names_1.SignalNames.throttle, { batchSize });
    await handle.signal(names_1.SignalNames.resume);
    const p = await handle.query(names_1.QueryNames.progress).catch(() => undefined);
    const rule = checkpoint;
    const at = rule && p?.rules[rule];
    return {
        status: 202,
        body: {
            run_id: runId,
            resumed: true,
            batch_size: batchSize ?? p?.batchSize ?? null,
            ...(rule ? { checkpoint: { rule, done: at ? at.done : null, total: at ? at.total : null, finished: at ? at.done >= at.total : false } } : {}),
            status: p ? runbookStatus(p.phase) : null,
            phase: p?.phase ?? null,
        },
    };
}
//# sourceMappingURL=migration.js.map