"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.QUERY_TIMEOUT_MS = void 0;
exports.workflowPollers = workflowPollers;
exports.noWorkerMessage = noWorkerMessage;
exports.missingWorker = missingWorker;
exports.withQueryDeadline = withQueryDeadline;
exports.isDeadline = isDeadline;
exports.reportWorkers = reportWorkers;
const proto_1 = require("@temporalio/proto");
const names_1 = require("../common/names");
/**
 * Whether a worker serves a task queue. Temporal remembers a poller for minutes after its worker
 * died; a live worker polls again at least every ~70 s (one long poll), so older ones are not counted.
 */
const POLLER_FRESH_MS = 90_000;
/** How long the CLI waits for a worker to answer a query before saying so. */
exports.QUERY_TIMEOUT_MS = 10_000;
/** Workflow pollers of the task queue seen lately; undefined when the server would not say (permissions). */
async function workflowPollers(client, taskQueue) {
    try {
        const r = await client.withDeadline(Date.now() + 5000, () => client.workflowService.describeTaskQueue({
            namespace: client.options.namespace,
            taskQueue: { name: taskQueue, kind: proto_1.temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
            taskQueueType: proto_1.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        }));
        const now = Date.now();
        return (r.pollers ?? []).filter((p) => {
            const s = p.lastAccessTime?.seconds;
            return s === undefined || s === null || now - Number(s) * 1000 < POLLER_FRESH_MS;
        }).length;
    }
    catch {
        return undefined;
    }
}
/** The plain sentence for an empty task queue: which queue, and how to start a worker for it. */
function noWorkerMessage(taskQueue) {
    const queueEnv = taskQueue === names_1.DEFAULT_TASK_QUEUE ? '' : `STP_TASK_QUEUE=${taskQueue} `;
    return (`no worker is polling task queue "${taskQueue}", so nothing runs the upgrade or answers for it. ` +
        `Start one: \`${queueEnv}STP_DATABASE_URL=postgres://USER@HOST:5432/DB stp-upgrade worker\` ` +
        `(or \`${queueEnv}STP_DATABASE_URL=... npm run worker\` in the stp-upgrade checkout), with the same TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE as here.`);
}
/** Resolves with the message when the task queue has no worker, else with undefined. */
async function missingWorker(client, taskQueue) {
    return (await workflowPollers(client, taskQueue)) === 0 ? noWorkerMessage(taskQueue) : undefined;
}
/** Runs a query (or any call) with a deadline, so a worker that does not answer cannot hold the CLI. */
function withQueryDeadline(client, fn, ms = exports.QUERY_TIMEOUT_MS) {
    return client.withDeadline(Date.now() + ms, fn);
}
/** A gRPC deadline (the worker never answered the query), as opposed to a real query failure. */
function isDeadline(err) {
    const e = err;
    return e?.code === 4 || e?.cause?.code === 4 || /DEADLINE_EXCEEDED|deadline/i.test(e?.message ?? '');
}
/**
 * Says when the task queue loses or regains its worker, checking every few seconds until stopped:
 * `start --wait` and `watch` wait for the run, but never silently on an empty task queue.
 */
function reportWorkers(client, taskQueue, say, opts = {}) {
    let missing = opts.missing ?? false;
    let stopped = false;
    let timer;
    const check = async () => {
        const now = await missingWorker(client, taskQueue).catch(() => undefined);
        if (stopped)
            return;
        if (now && !missing)
            say(now);
        if (!now && missing)
            say(`a worker polls task queue "${taskQueue}" now: the run goes on.`);
        missing = Boolean(now);
        timer = setTimeout(() => void check(), opts.everyMs ?? 5000);
    };
    timer = setTimeout(() => void check(), opts.missing === undefined ? 0 : opts.everyMs ?? 5000);
    return () => {
        stopped = true;
        clearTimeout(timer);
    };
}
//# sourceMappingURL=worker-check.js.map