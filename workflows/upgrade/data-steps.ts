import { ApplicationFailure, log, patched } from '@temporalio/workflow';
import type { PreflightResult } from '../../common/steps';
import { SagaFailureTypes } from '../../common/upgrade-input';
import { acts } from './proxies';
import { copyRules, copyStepRules, ruleCopied } from './copy';
import { catchUp, startCapture } from './sync';
import type { StepRegistry } from './registry-types';
import type { SagaRun } from './run';

const DEFECT_SAMPLE = 20;

/**
 * Policy quarantine detects the defects once, in quarantineDefects (under capture, so nothing
 * written before it slips through), instead of also in preflight. Runs started before it keep
 * their preflight scan; state.defectsInQuarantine carries the decision to the copy step.
 */
export const DEFECTS_ONCE_PATCH = 'stp-defects-once-v1';

/**
 * The data half of the saga. Each handler registers its undo before it changes anything and marks
 * finished sub-tasks, so re-entering it after continue-as-new skips what is done.
 */
export const dataSteps: StepRegistry = {
  async preflight(run) {
    if (!run.has('preflight.check')) {
      const deferDefects = run.plan.defects.policy === 'quarantine' && patched(DEFECTS_ONCE_PATCH);
      const result = await acts.preflight({ ...run.input(), defectLimit: DEFECT_SAMPLE, ...(deferDefects ? { deferDefects } : {}) });
      if (deferDefects) {
        run.state.defectsInQuarantine = true;
        run.progress.defectsPending = true;
      }
      run.noteAssessment(result.assessment);
      const total = noteDefects(run, result);
      if (total > 0 && run.plan.defects.policy === 'block') {
        run.progress.phase = 'blocked';
        const counts = Object.entries(result.defectCounts).map(([k, n]) => `${k}: ${n}`).join(', ');
        const first = result.defects.slice(0, 5).map((d) => `${d.kind} ${d.table} ${d.id} (${d.reason})`);
        throw ApplicationFailure.create({
          type: SagaFailureTypes.defects,
          nonRetryable: true,
          message: `${total} legacy defects and defects.policy is "block" (${counts}); nothing was changed. ` +
            `First: ${first.join('; ')}. Fix the data or set defects.policy: quarantine.`,
          details: [run.progress.defects],
        });
      }
      run.mark('preflight.check');
    }
    run.register('preflight', 'forgetRun', { dropBookkeeping: false });
    const { createdBookkeeping } = await acts.acquireRun({ ...run.input(), workflowId: run.runId });
    run.state.acquired = true;
    run.register('preflight', 'forgetRun', { dropBookkeeping: createdBookkeeping });
  },

  async backup(run) {
    const b = await acts.backup(run.input());
    run.progress.backup = { dir: b.dir, files: b.files.length, restoreTested: b.restoreTested };
    log.info('backup written', { dir: b.dir, files: b.files.length, restoreTested: b.restoreTested });
  },

  async schema(run) {
    run.register('schema', 'dropTargetSchema');
    await acts.createTargetSchema(run.input());
  },

  async copy(run) {
    // Users' writes are recorded from here on, before the first defect is quarantined or row copied.
    await startCapture(run);
    if (run.plan.defects.policy === 'quarantine' && !run.has('copy.quarantine')) {
      run.register('copy', 'clearQuarantine');
      const result = await acts.quarantineDefects({ ...run.input(), defectLimit: DEFECT_SAMPLE });
      if (run.state.defectsInQuarantine) {
        noteDefects(run, result);
        delete run.progress.defectsPending;
        log.info('defects quarantined', result.quarantined);
      } else {
        // Recorded before DEFECTS_ONCE_PATCH: the result was the rows per kind, the progress has preflight's defects.
        log.info('defects quarantined', { ...result });
      }
      run.mark('copy.quarantine');
    }
    let rules = copyStepRules(run);
    if (rules.includes('graph') && !(await graphPrepared(run))) rules = rules.filter((rule) => rule !== 'graph');
    await copyRules(run, rules);
    if (!run.plan.steps.includes('embeddings')) {
      await catchUp(run);
      await finishSchema(run, 'copy');
    }
  },

  async embeddings(run) {
    await copyRules(run, ['embeddings']);
    // The foreign keys are validated against what replay has made consistent (a text deleted
    // after its chunks were copied, a parent written behind the copy's position).
    await catchUp(run);
    // Indexes and FKs come after embeddings: embeddings_v2 references chunks_unified, and building
    // them on full tables is faster than maintaining them during the copy.
    await finishSchema(run, 'embeddings');
    if (!run.has('embeddings.index')) {
      const index = await acts.buildVectorIndex(run.input());
      log.info('vector index', { index });
      run.mark('embeddings.index');
    }
  },

  async graph(run) {
    // Copied beside the other rules in the copy step (COPY_GRAPH_PATCH): nothing left to do.
    if (ruleCopied(run, 'graph')) return;
    if (await graphPrepared(run)) await copyRules(run, ['graph']);
  },

  async verify(run) {
    await catchUp(run, run.plan.sync.cutover.maxBacklog);
    const report = await acts.verify(run.input());
    run.progress.report = report;
    if (!report.ok) {
      throw ApplicationFailure.create({
        type: SagaFailureTypes.verification,
        nonRetryable: true,
        message: `verification failed: ${report.problems.join('; ') || 'see the report'}`,
        details: [report],
      });
    }
  },
};

/**
 * Registers the graph's undo, then creates the target graph and its labels (once per step: a
 * re-entered step skips it, and prepareGraph is idempotent anyway). False when the graph is
 * skipped (plan.graph.optional and no AGE or no legacy graph): the graph step shows "skipped",
 * also when the copy step found it so.
 */
async function graphPrepared(run: SagaRun): Promise<boolean> {
  run.register('graph', 'dropTargetGraph');
  if (run.has('graph.prepared')) return true;
  const prep = await acts.prepareGraph(run.input());
  if (prep.skipped) {
    log.warn('graph step skipped', { reason: prep.reason });
    run.progress.steps.graph = 'skipped';
    return false;
  }
  run.mark('graph.prepared');
  return true;
}

/** Shows found defects in the progress (counts, the first DEFECT_SAMPLE); returns how many there are. */
function noteDefects(run: SagaRun, found: Pick<PreflightResult, 'defects' | 'defectCounts'>): number {
  const total = Object.values(found.defectCounts).reduce((a, b) => a + (b ?? 0), 0);
  if (total > 0) run.progress.defects = { counts: found.defectCounts, sample: found.defects.slice(0, DEFECT_SAMPLE) };
  return total;
}

async function finishSchema(run: SagaRun, step: string): Promise<void> {
  if (run.has(`${step}.finish`)) return;
  const done = await acts.finishTargetSchema(run.input());
  log.info('target schema finished', done);
  run.mark(`${step}.finish`);
}
