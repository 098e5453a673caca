import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { createSyncActivities } from '../../activities/sync';
import type { DataActivities } from '../../common/activities';
import type { CopyRule, Defect, SliceInput, VerifyReport } from '../../common/steps';

/** How the stub activities behave for one workflow id. */
export interface Scenario {
  defects?: boolean;
  /** `activity` or `copySlice:rule`: that call fails with a non-retryable InjectedFailure. */
  failAt?: string;
  /** A compensation activity that fails (non-retryable). */
  failCompensation?: string;
  slicesPerRule?: number; // default 2
  graphSkipped?: boolean;
  verifyOk?: boolean; // default true
  /** `copySlice:rule#n`: that slice heartbeats until cancelled (abort / cancellation tests). */
  hangAt?: string;
  /** Called at the start of each copySlice (e.g. to send a signal mid-copy). */
  onSlice?: (input: SliceInput, n: number) => Promise<void> | void;
}

export interface StubLog {
  calls: string[];
  slices: SliceInput[];
  dropBookkeeping?: boolean; // what forgetRun was told
}

const ROWS_PER_SLICE = 100;

/** The one defect of a scenario with `defects`, as preflight and quarantineDefects report it. */
function stubDefects(found: boolean | undefined): { defects: Defect[]; defectCounts: { orphan_text?: number } } {
  if (!found) return { defects: [], defectCounts: {} };
  return { defects: [{ kind: 'orphan_text', table: 'chunks_legacy', id: 'c-1', reason: 'text t-9 does not exist' }], defectCounts: { orphan_text: 1 } };
}
/** The stub splits chunks and embeddings into plan.copy.parallelism ranges; the other rules stay whole. */
const rangesOf = (input: { rule: string; plan: { copy: { parallelism?: number } } }) =>
  (['chunks', 'embeddings'].includes(input.rule) ? (input.plan.copy.parallelism ?? 1) : 1);

/**
 * In-memory DataActivities keyed by workflow id, typed against the contract so a signature change
 * breaks the tests at compile time.
 */
type SyncActivities = ReturnType<typeof createSyncActivities>;

export function createStubActivities(scenarios: Map<string, Scenario>, logs: Map<string, StubLog>): Partial<DataActivities> & Partial<SyncActivities> {
  const sliceCounts = new Map<string, number>();
  const current = () => {
    const id = Context.current().info.workflowExecution?.workflowId ?? 'unknown';
    if (!logs.has(id)) logs.set(id, { calls: [], slices: [] });
    return { id, s: scenarios.get(id) ?? {}, log: logs.get(id)! };
  };
  const step = (name: string) => {
    const { s, log } = current();
    log.calls.push(name);
    if (s.failAt === name || s.failCompensation === name) {
      throw ApplicationFailure.nonRetryable(`injected failure in ${name}`, 'InjectedFailure');
    }
    return s;
  };
  return {
    async preflight(input) {
      const s = step('preflight');
      const found = s.defects && !input.deferDefects;
      return { assessment: {} as never, ...stubDefects(found), graph: { available: !s.graphSkipped, skipped: !!s.graphSkipped } };
    },
    async acquireRun() {
      step('acquireRun');
      return { createdBookkeeping: true };
    },
    async releaseRun(input) {
      step(`releaseRun:${input.status}`);
    },
    async forgetRun(input) {
      step('forgetRun');
      current().log.dropBookkeeping = input.dropBookkeeping;
    },
    async backup() {
      step('backup');
      return { dir: '/tmp/x', files: [], restoreTested: true };
    },
    async createTargetSchema() {
      step('createTargetSchema');
      return { created: ['chunks_unified', 'embeddings_v2'] };
    },
    async dropTargetSchema() {
      step('dropTargetSchema');
    },
    async finishTargetSchema() {
      step('finishTargetSchema');
      return { indexes: [], constraints: [] };
    },
    async quarantineDefects() {
      const s = step('quarantineDefects');
      const quarantined: Record<string, number> = s.defects ? { orphan_text: 1 } : {};
      return { ...stubDefects(!!s.defects), quarantined };
    },
    async clearQuarantine() {
      step('clearQuarantine');
    },
    async copySlice(input) {
      const { id, s, log } = current();
      // A key range (plan.copy.parallelism) is named `rule/range`: `copySlice:chunks/2`, `copySlice:chunks/2#1`.
      const name = input.range === undefined ? input.rule : `${input.rule}/${input.range}`;
      const key = `${id}/${name}`;
      const n = (sliceCounts.get(key) ?? 0) + 1;
      sliceCounts.set(key, n);
      log.slices.push(input);
      step(`copySlice:${name}`);
      await s.onSlice?.(input, n);
      if (s.hangAt === `copySlice:${name}#${n}`) await hangUntilCancelled();
      const total = (s.slicesPerRule ?? 2) * ROWS_PER_SLICE;
      const ranges = input.range === undefined ? 1 : rangesOf(input);
      const done = { finished: n * ROWS_PER_SLICE >= total, rowsDone: Math.min(total, n * ROWS_PER_SLICE), rowsTotal: total * ranges, batches: 1, redoneBatches: 0 };
      return { rule: input.rule as CopyRule, ...(input.range === undefined ? {} : { range: input.range }), ...done };
    },
    async planRanges(input) {
      const { id, s } = current();
      step(`planRanges:${input.rule}`);
      const ranges = rangesOf(input);
      // As the real one: the ranges copied to the end already (a saga continued as new) and their rows.
      const total = (s.slicesPerRule ?? 2) * ROWS_PER_SLICE;
      const finished = ranges < 2 ? [] : Array.from({ length: ranges }, (_, i) => i + 1)
        .filter((range) => (sliceCounts.get(`${id}/${input.rule}/${range}`) ?? 0) * ROWS_PER_SLICE >= total)
        .map((range) => ({ range, rowsDone: total }));
      return finished.length > 0 ? { ranges, finished } : { ranges };
    },
    async buildVectorIndex() {
      step('buildVectorIndex');
      return { index: 'embeddings_v2_vector_idx', kind: 'ivfflat', lists: 10 };
    },
    async prepareGraph() {
      const s = step('prepareGraph');
      return s.graphSkipped ? { skipped: true, reason: 'AGE is not installed' } : { skipped: false };
    },
    async dropTargetGraph() {
      step('dropTargetGraph');
    },
    async verify(input) {
      const s = step('verify');
      return fakeReport(input.runId, s.verifyOk ?? true);
    },
    // Live-write capture: install and remove are logged (they are a step and an undo); the replay
    // calls are not (how many there are depends on timing), and report an empty backlog.
    async installCapture() {
      step('installCapture');
      return { installed: 6 };
    },
    async removeCapture() {
      step('removeCapture');
      return { dropped: 6, discarded: 0 };
    },
    async drainReverse() {
      step('drainReverse');
      return { carriedBack: 0 };
    },
    async replaySync(input) {
      return { direction: input.direction, replayed: 0, backlog: 0, oldestAgeMs: null, ratePerSec: 0, liveDefects: 0 };
    },
    async followSync() {
      return [];
    },
  };
}

async function hangUntilCancelled(): Promise<never> {
  const ctx = Context.current();
  for (;;) {
    ctx.heartbeat();
    await ctx.sleep(50); // rejects with CancelledFailure once the cancellation arrives
  }
}

export function fakeReport(runId: string, ok: boolean): VerifyReport {
  return {
    ok,
    runId,
    at: '2025-01-01T00:00:00.000Z',
    legacy: { chunks_legacy: { rows: 200, migrated: 200, quarantined: 0 } },
    target: { chunks: 200 },
    quarantine: {},
    checks: { orphaned_chunks: 0, invalid_template_refs: 0, missing_embeddings: 0, cycles: 0, deep_hierarchies: 0, invalid_metadata: ok ? 0 : 3 },
    checksums: [],
    graph: { skipped: false },
    problems: ok ? [] : ['invalid_metadata: 3 rows'],
    warnings: [],
  };
}

/** The activity calls of a complete happy run with the default plan and two slices per rule. */
export const HAPPY_CALLS = [
  'preflight', 'acquireRun', 'backup', 'createTargetSchema', 'installCapture',
  'copySlice:chunks', 'copySlice:chunks', 'copySlice:templates', 'copySlice:templates',
  'copySlice:slots', 'copySlice:slots', 'copySlice:tags', 'copySlice:tags',
  'copySlice:embeddings', 'copySlice:embeddings', 'finishTargetSchema', 'buildVectorIndex',
  'prepareGraph', 'copySlice:graph', 'copySlice:graph', 'verify', 'removeCapture', 'releaseRun:completed',
];
