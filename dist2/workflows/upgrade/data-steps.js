"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.dataSteps = exports.DEFECTS_ONCE_PATCH = void 0;
const workflow_1 = require("@temporalio/workflow");
const upgrade_input_1 = require("../../common/upgrade-input");
const proxies_1 = require("./proxies");
const copy_1 = require("./copy");
const sync_1 = require("./sync");
const DEFECT_SAMPLE = 20;
/**
 * Policy quarantine detects the defects once, in quarantineDefects (under capture, so nothing
 * written before it slips through), instead of also in preflight. Runs started before it keep
 * their preflight scan; state.defectsInQuarantine carries the decision to the copy step.
 */
exports.DEFECTS_ONCE_PATCH = 'stp-defects-once-v1';
/**
 * The data half of the saga. Each handler registers its undo before it changes anything and marks
 * finished sub-tasks, so re-entering it after continue-as-new skips what is done.
 */
exports.dataSteps = {
    async preflight(run) {
        if (!run.has('preflight.check')) {
            const deferDefects = run.plan.defects.policy === 'quarantine' && (0, workflow_1.patched)(exports.DEFECTS_ONCE_PATCH);
            const result = await proxies_1.acts.preflight({ ...run.input(), defectLimit: DEFECT_SAMPLE, ...(deferDefects ? { deferDefects } : {}) });
            if (deferDefects)
                run.state.defectsInQuarantine = true;
            run.noteAssessment(result.assessment);
            const total = noteDefects(run, result);
            if (total > 0 && run.plan.defects.policy === 'block') {
                run.progress.phase = 'blocked';
                const counts = Object.entries(result.defectCounts).map(([k, n]) => `${k}: ${n}`).join(', ');
                const first = result.defects.slice(0, 5).map((d) => `${d.kind} ${d.table} ${d.id} (${d.reason})`);
                throw workflow_1.ApplicationFailure.create({
                    type: upgrade_input_1.SagaFailureTypes.defects,
                    nonRetryable: true,
                    message: `${total} legacy defects and defects.policy is "block" (${counts}); nothing was changed. ` +
                        `First: ${first.join('; ')}. Fix the data or set defects.policy: quarantine.`,
                    details: [run.progress.defects],
                });
            }
            run.mark('preflight.check');
        }
        run.register('preflight', 'forgetRun', { dropBookkeeping: false });
        const { createdBookkeeping } = await proxies_1.acts.acquireRun({ ...run.input(), workflowId: run.runId });
        run.state.acquired = true;
        run.register('preflight', 'forgetRun', { dropBookkeeping: createdBookkeeping });
    },
    async backup(run) {
        const b = await proxies_1.acts.backup(run.input());
        run.progress.backup = { dir: b.dir, files: b.files.length, restoreTested: b.restoreTested };
        workflow_1.log.info('backup written', { dir: b.dir, files: b.files.length, restoreTested: b.restoreTested });
    },
    async schema(run) {
        run.register('schema', 'dropTargetSchema');
        await proxies_1.acts.createTargetSchema(run.input());
    },
    async copy(run) {
        // Users' writes are recorded from here on, before the first defect is quarantined or row copied.
        await (0, sync_1.startCapture)(run);
        if (run.plan.defects.policy === 'quarantine' && !run.has('copy.quarantine')) {
            run.register('copy', 'clearQuarantine');
            const result = await proxies_1.acts.quarantineDefects({ ...run.input(), defectLimit: DEFECT_SAMPLE });
            if (run.state.defectsInQuarantine) {
                noteDefects(run, result);
                workflow_1.log.info('defects quarantined', result.quarantined);
            }
            else {
                // Recorded before DEFECTS_ONCE_PATCH: the result was the rows per kind, the progress has preflight's defects.
                workflow_1.log.info('defects quarantined', { ...result });
            }
            run.mark('copy.quarantine');
        }
        await (0, copy_1.copyRules)(run, (0, copy_1.copyStepRules)(run));
        if (!run.plan.steps.includes('embeddings')) {
            await (0, sync_1.catchUp)(run);
            await finishSchema(run, 'copy');
        }
    },
    async embeddings(run) {
        await (0, copy_1.copyRules)(run, ['embeddings']);
        // The foreign keys are validated against what replay has made consistent (a text deleted
        // after its chunks were copied, a parent written behind the copy's position).
        await (0, sync_1.catchUp)(run);
        // Indexes and FKs come after embeddings: embeddings_v2 references chunks_unified, and building
        // them on full tables is faster than maintaining them during the copy.
        await finishSchema(run, 'embeddings');
        if (!run.has('embeddings.index')) {
            const index = await proxies_1.acts.buildVectorIndex(run.input());
            workflow_1.log.info('vector index', { index });
            run.mark('embeddings.index');
        }
    },
    async graph(run) {
        run.register('graph', 'dropTargetGraph');
        if (!run.has('graph.prepared')) {
            const prep = await proxies_1.acts.prepareGraph(run.input());
            if (prep.skipped) {
                workflow_1.log.warn('graph step skipped', { reason: prep.reason });
                run.progress.steps.graph = 'skipped';
                return;
            }
            run.mark('graph.prepared');
        }
        await (0, copy_1.copyRules)(run, ['graph']);
    },
    async verify(run) {
        await (0, sync_1.catchUp)(run, run.plan.sync.cutover.maxBacklog);
        const report = await proxies_1.acts.verify(run.input());
        run.progress.report = report;
        if (!report.ok) {
            throw workflow_1.ApplicationFailure.create({
                type: upgrade_input_1.SagaFailureTypes.verification,
                nonRetryable: true,
                message: `verification failed: ${report.problems.join('; ') || 'see the report'}`,
                details: [report],
            });
        }
    },
};
/** Shows found defects in the progress (counts, the first DEFECT_SAMPLE); returns how many there are. */
function noteDefects(run, found) {
    const total = Object.values(found.defectCounts).reduce((a, b) => a + (b ?? 0), 0);
    if (total > 0)
        run.progress.defects = { counts: found.defectCounts, sample: found.defects.slice(0, DEFECT_SAMPLE) };
    return total;
}
async function finishSchema(run, step) {
    if (run.has(`${step}.finish`))
        return;
    const done = await proxies_1.acts.finishTargetSchema(run.input());
    workflow_1.log.info('target schema finished', done);
    run.mark(`${step}.finish`);
}
//# sourceMappingURL=data-steps.js.map