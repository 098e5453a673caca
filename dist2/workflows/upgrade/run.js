"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SagaRun = exports.DEFAULT_HISTORY_LIMIT = void 0;
const workflow_1 = require("@temporalio/workflow");
const search_1 = require("./search");
const metrics_1 = require("../metrics");
exports.DEFAULT_HISTORY_LIMIT = 10_000;
/** The state of one saga execution plus the helpers every step uses. */
class SagaRun {
    planInput;
    plan;
    runId;
    state;
    historyLimit;
    /** The saga body runs in this scope; the abort signal cancels it. */
    scope = new workflow_1.CancellationScope();
    abortReason;
    /** Search attributes and the UI's details (workflows/upgrade/search.ts); set by the saga at start. */
    search = new search_1.RunSearch(false);
    /** Set while the monitor child runs: the saga's pause, resume and promote are passed on to it. */
    forward;
    constructor(planInput, plan, runId, state, historyLimit) {
        this.planInput = planInput;
        this.plan = plan;
        this.runId = runId;
        this.state = state;
        this.historyLimit = historyLimit;
    }
    static initialState(plan, runId) {
        const progress = {
            runId,
            phase: 'starting',
            paused: false,
            steps: Object.fromEntries(plan.steps.map((s) => [s, 'pending'])),
            rules: {},
            batchSize: plan.copy.batchSize,
            rowsPerSec: 0,
            etaSeconds: null,
            redoneBatches: 0,
            compensations: [],
        };
        return { progress, compensations: [], marks: [], acquired: false, throttle: {}, generation: 0 };
    }
    get progress() {
        return this.state.progress;
    }
    /** What every data activity receives; the throttle signal overrides the plan's copy settings. */
    input() {
        const t = this.state.throttle;
        if (t.batchSize === undefined && t.throttleMs === undefined)
            return { runId: this.runId, plan: this.plan };
        const copy = { ...this.plan.copy, batchSize: t.batchSize ?? this.plan.copy.batchSize, throttleMs: t.throttleMs ?? this.plan.copy.throttleMs };
        return { runId: this.runId, plan: { ...this.plan, copy } };
    }
    batchSize(rule) {
        const size = this.state.throttle.batchSize ?? this.plan.copy.batchSize;
        return rule === 'graph' ? Math.min(size, this.plan.graph.batchSize) : size;
    }
    /**
     * Registers the undo of what `step` is about to change. Called before the change, so the
     * compensation must be safe when the change never happened. Registering the same activity again
     * for the step replaces its input (e.g. once acquireRun tells whether it created the schema).
     */
    register(step, activity, extra = {}) {
        const key = `${step}.${activity}`;
        const existing = this.state.compensations.find((c) => c.key === key);
        if (existing)
            existing.input = extra;
        else
            this.state.compensations.push({ key, step, activity, input: extra });
    }
    has(mark) {
        return this.state.marks.includes(mark);
    }
    mark(mark) {
        if (!this.has(mark))
            this.state.marks.push(mark);
    }
    /** Between slices and steps: honour a pause, and continue as new when the history grows long. */
    async between() {
        if (this.progress.paused) {
            this.progress.phase = 'paused';
            (0, metrics_1.recordPhase)(this.runId, 'paused');
            workflow_1.log.info('paused', { step: this.progress.step });
            this.search.publish(this.progress);
            await (0, workflow_1.condition)(() => !this.progress.paused);
            this.progress.phase = 'running';
            this.search.publish(this.progress);
            (0, metrics_1.recordPhase)(this.runId, 'running');
            workflow_1.log.info('resumed', { step: this.progress.step });
        }
        const info = (0, workflow_1.workflowInfo)();
        if (info.historyLength > (this.historyLimit ?? exports.DEFAULT_HISTORY_LIMIT) || info.continueAsNewSuggested) {
            await (0, workflow_1.condition)(workflow_1.allHandlersFinished);
            this.state.generation += 1;
            workflow_1.log.info('continuing as new', { historyLength: info.historyLength, generation: this.state.generation });
            const carry = { state: this.state, historyLimit: this.historyLimit };
            await (0, workflow_1.continueAsNew)(this.planInput, carry);
        }
    }
    /**
     * Every rule's row count from preflight's assessment, before its first slice: the bars show
     * 0/N instead of 0/0 and the ETA covers the whole copy, not just the rule in flight. The graph's
     * count is only known when its rule starts. Its warnings (columns not migrated, ...) are shown too.
     */
    noteAssessment(a) {
        const tables = a.tables ?? {};
        if (a.warnings?.length)
            this.progress.warnings = [...a.warnings];
        const legacy = this.plan.legacy;
        const rows = [['chunks', legacy.chunks], ['templates', legacy.templates], ['slots', legacy.slots], ['tags', legacy.tags], ['embeddings', legacy.embeddings]];
        const copied = this.plan.steps.includes('copy');
        for (const [rule, table] of rows) {
            if (!copied || (rule === 'embeddings' && !this.plan.steps.includes('embeddings')))
                continue;
            const n = tables[table];
            if (typeof n === 'number' && !this.progress.rules[rule])
                this.progress.rules[rule] = { done: 0, total: n };
        }
    }
    /** Rows per second over the last slice (workflow time) and the ETA over every known rule. */
    measure(rows, ms) {
        const p = this.progress;
        p.updatedAt = Date.now();
        if (ms > 0 && rows >= 0)
            p.rowsPerSec = Math.round((rows * 1000) / ms);
        const left = Object.values(p.rules).reduce((sum, r) => sum + Math.max(0, (r?.total ?? 0) - (r?.done ?? 0)), 0);
        p.etaSeconds = left === 0 ? 0 : p.rowsPerSec > 0 ? Math.ceil(left / p.rowsPerSec) : null;
        this.search.publish(p, undefined, { rows: true });
    }
}
exports.SagaRun = SagaRun;
//# sourceMappingURL=run.js.map