import { allHandlersFinished, CancellationScope, condition, continueAsNew, log, workflowInfo } from '@temporalio/workflow';
import type { Plan, PlanInput, StepName } from '../../common/plan';
import type { Assessment, CopyRule, Progress, StepInput } from '../../common/steps';
import type { UpgradeCarry, UpgradeState } from '../../common/upgrade-input';
import type { upgradeWorkflow } from '../upgrade';
import { RunSearch } from './search';
import { recordPhase } from '../metrics';

export const DEFAULT_HISTORY_LIMIT = 10_000;

/** The state of one saga execution plus the helpers every step uses. */
export class SagaRun {
  /** The saga body runs in this scope; the abort signal cancels it. */
  readonly scope = new CancellationScope();
  abortReason?: string;
  /** Search attributes and the UI's details (workflows/upgrade/search.ts); set by the saga at start. */
  search = new RunSearch(false);
  /** Set while the monitor child runs: the saga's pause, resume and promote are passed on to it. */
  forward?: (signal: 'pause' | 'resume' | 'promote', reason?: string) => Promise<void>;

  constructor(
    readonly planInput: PlanInput,
    readonly plan: Plan,
    readonly runId: string,
    readonly state: UpgradeState,
    private readonly historyLimit?: number,
  ) {}

  static initialState(plan: Plan, runId: string): UpgradeState {
    const progress: Progress = {
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

  get progress(): Progress {
    return this.state.progress;
  }

  /** What every data activity receives; the throttle signal overrides the plan's copy settings. */
  input(): StepInput {
    const t = this.state.throttle;
    if (t.batchSize === undefined && t.throttleMs === undefined) return { runId: this.runId, plan: this.plan };
    const copy = { ...this.plan.copy, batchSize: t.batchSize ?? this.plan.copy.batchSize, throttleMs: t.throttleMs ?? this.plan.copy.throttleMs };
    return { runId: this.runId, plan: { ...this.plan, copy } };
  }

  batchSize(rule: CopyRule): number {
    const size = this.state.throttle.batchSize ?? this.plan.copy.batchSize;
    return rule === 'graph' ? Math.min(size, this.plan.graph.batchSize) : size;
  }

  /**
   * Registers the undo of what `step` is about to change. Called before the change, so the
   * compensation must be safe when the change never happened. Registering the same activity again
   * for the step replaces its input (e.g. once acquireRun tells whether it created the schema).
   */
  register(step: StepName, activity: string, extra: Record<string, unknown> = {}): void {
    const key = `${step}.${activity}`;
    const existing = this.state.compensations.find((c) => c.key === key);
    if (existing) existing.input = extra;
    else this.state.compensations.push({ key, step, activity, input: extra });
  }

  has(mark: string): boolean {
    return this.state.marks.includes(mark);
  }

  mark(mark: string): void {
    if (!this.has(mark)) this.state.marks.push(mark);
  }

  /** Between slices and steps: honour a pause, and continue as new when the history grows long. */
  async between(): Promise<void> {
    if (this.progress.paused) {
      this.progress.phase = 'paused';
      recordPhase(this.runId, 'paused');
      log.info('paused', { step: this.progress.step });
      this.search.publish(this.progress);
      await condition(() => !this.progress.paused);
      this.progress.phase = 'running';
      this.search.publish(this.progress);
      recordPhase(this.runId, 'running');
      log.info('resumed', { step: this.progress.step });
    }
    const info = workflowInfo();
    if (info.historyLength > (this.historyLimit ?? DEFAULT_HISTORY_LIMIT) || info.continueAsNewSuggested) {
      await condition(allHandlersFinished);
      this.state.generation += 1;
      log.info('continuing as new', { historyLength: info.historyLength, generation: this.state.generation });
      const carry: UpgradeCarry = { state: this.state, historyLimit: this.historyLimit };
      await continueAsNew<typeof upgradeWorkflow>(this.planInput, carry);
    }
  }

  /**
   * Every rule's row count from preflight's assessment, before its first slice: the bars show
   * 0/N instead of 0/0 and the ETA covers the whole copy, not just the rule in flight. The graph's
   * count is only known when its rule starts. Its warnings (columns not migrated, ...) are shown too.
   */
  noteAssessment(a: Partial<Assessment>): void {
    const tables = a.tables ?? {};
    if (a.warnings?.length) this.progress.warnings = [...a.warnings];
    const legacy = this.plan.legacy;
    const rows: [CopyRule, string][] = [['chunks', legacy.chunks], ['templates', legacy.templates], ['slots', legacy.slots], ['tags', legacy.tags], ['embeddings', legacy.embeddings]];
    const copied = this.plan.steps.includes('copy');
    for (const [rule, table] of rows) {
      if (!copied || (rule === 'embeddings' && !this.plan.steps.includes('embeddings'))) continue;
      const n = tables[table];
      if (typeof n === 'number' && !this.progress.rules[rule]) this.progress.rules[rule] = { done: 0, total: n };
    }
  }

  /** Rows per second over the last slice (workflow time) and the ETA over every known rule. */
  measure(rows: number, ms: number): void {
    const p = this.progress;
    p.updatedAt = Date.now();
    if (ms > 0 && rows >= 0) p.rowsPerSec = Math.round((rows * 1000) / ms);
    const left = Object.values(p.rules).reduce((sum, r) => sum + Math.max(0, (r?.total ?? 0) - (r?.done ?? 0)), 0);
    p.etaSeconds = left === 0 ? 0 : p.rowsPerSec > 0 ? Math.ceil(left / p.rowsPerSec) : null;
    this.search.publish(p, undefined, { rows: true });
  }
}
