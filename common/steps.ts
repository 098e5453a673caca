import type { Plan, StepName } from './plan';
import type { ChecklistItem } from './checklist';
import type { ServiceResources } from './resources';
import type { SyncProgress } from './sync';

/**
 * Types shared by the upgrade workflow and the data activities. Workflows import these with
 * `import type` only.
 */

/** What every data activity receives: the run id (the workflow id) and the validated plan. */
export interface StepInput {
  runId: string;
  plan: Plan;
}

export const DEFECT_KINDS = [
  'id_collision',
  'orphan_text',
  'orphan_parent',
  'cycle',
  'orphan_slot',
  'orphan_instance',
  'orphan_tag',
  'orphan_embedding',
  'superseded_embedding',
  'orphan_graph_edge',
] as const;
export type DefectKind = (typeof DEFECT_KINDS)[number];

/** One legacy defect of MIGRATION-CONTRACT section 4. `id` is the row's id (tags: chunk_id|tag). */
export interface Defect {
  kind: DefectKind;
  table: string;
  id: string;
  reason: string;
}

/**
 * The operator's view of preflight defects (DefectsFoundError message under policy `block`): the
 * counts per kind and the first `max` defects listed. Pure, so the workflow can call it.
 */
export function describeDefects(counts: Partial<Record<DefectKind, number>>, sample: Defect[], max = 20): string {
  const kinds = DEFECT_KINDS.filter((k) => (counts[k] ?? 0) > 0);
  const total = kinds.reduce((n, k) => n + (counts[k] ?? 0), 0);
  const lines = [`legacy data has ${total} defect(s): ${kinds.map((k) => `${k} ${counts[k]}`).join(', ')}`];
  for (const d of sample.slice(0, max)) lines.push(`  ${d.kind} ${d.table} ${d.id}: ${d.reason}`);
  if (total > Math.min(max, sample.length)) lines.push(`  ... ${total - Math.min(max, sample.length)} more`);
  lines.push('fix them in the legacy data, or set plan.defects.policy: quarantine to migrate everything else and keep them in stp_migration.quarantine');
  return lines.join('\n');
}

export interface Assessment {
  database: string;
  serverVersion: string;
  serverVersionNum: number;
  extensions: Record<string, string>; // name -> version, installed ones
  availableExtensions: string[]; // vector/age availability on the server
  tables: Record<string, number | null>; // legacy table -> row count (null: missing)
  databaseSizeBytes: number;
  legacySizeBytes: number;
  requiredFreeBytes: number; // 3x the legacy data size, as the runbook asks
  freeBytes: number | null; // free space on the data directory's file system when known
  warnings: string[];
  /** The service's memory and the recommendation during the migration (assess --blue-url). */
  resources?: ServiceResources;
  /** Privileges the connecting role lacks for the run (also listed in warnings). */
  privileges?: PrivilegeReport;
}

/** A privilege the connecting role lacks for the run (activities/assess-privileges.ts). */
export interface MissingPrivilege {
  privilege: string; // e.g. "CREATE, USAGE on schema public"
  neededFor: string; // the steps that need it
  grant: string; // the statement that gives it
}

export interface PrivilegeReport {
  role: string;
  superuser: boolean;
  missing: MissingPrivilege[];
}

export interface PreflightResult {
  assessment: Assessment;
  /** At most `limit` defects listed; counts are complete. Both empty when preflight was told to leave them to quarantineDefects. */
  defects: Defect[];
  defectCounts: Partial<Record<DefectKind, number>>;
  graph: { available: boolean; skipped: boolean; reason?: string };
}

/** quarantineDefects: the defects it found, as PreflightResult lists them, and the rows it quarantined per kind (`cascade` too). */
export interface QuarantineResult {
  defects: Defect[];
  defectCounts: Partial<Record<DefectKind, number>>;
  quarantined: Record<string, number>;
}

/** The copy rules of the contract, in the order the saga runs them. */
export const COPY_RULES = ['chunks', 'templates', 'slots', 'tags', 'embeddings', 'graph'] as const;
export type CopyRule = (typeof COPY_RULES)[number];

/** A bounded slice of a long copy: the workflow calls it until `finished`, so it can pause between slices. */
export interface SliceInput extends StepInput {
  rule: CopyRule;
  /** Stop after this many batches or milliseconds, whichever comes first. */
  maxBatches: number;
  maxMs: number;
  batchSize: number;
  /** The batch size was set by the throttle signal: keep it, do not adapt it (plan.copy.targetBatchMs). */
  fixedBatchSize?: boolean;
  /** One key range (1..n) of a rule split by planRanges; absent: the whole rule, one checkpoint row. */
  range?: number;
}

/** planRanges: split a rule into at most `parts` key ranges, once per run. */
export interface RangesInput extends StepInput {
  rule: CopyRule;
  parts: number;
}

export interface RangesResult {
  /** How many key ranges the rule is split into (1: not split, copied whole). */
  ranges: number;
  /** Ranges already copied to the end (a saga continued as new, a resumed run) and their rows; absent when none. */
  finished?: { range: number; rowsDone: number }[];
}

export interface SliceResult {
  rule: CopyRule;
  /** The input's range, when it named one. */
  range?: number;
  finished: boolean;
  rowsDone: number; // cumulative, committed (of the range when the input names one)
  rowsTotal: number; // legacy rows the rule reads (the whole rule, also for a range)
  batches: number; // batches committed in this slice
  /** Batches done a second time after a crash (checkpoint older than a committed batch). */
  redoneBatches: number;
  /** The batch size the slice ended with (adapted when plan.copy.targetBatchMs is set). */
  batchSize?: number;
  /** Time the slice paused because the primary was busy (plan.copy.maxLoad), and the last reason. */
  pausedMs?: number;
  pauseReason?: string;
}

export interface RuleChecksum {
  rule: string;
  source: string; // md5 computed in SQL over the legacy side, as the rule maps it
  target: string; // md5 over the target rows
  rows: { source: number; target: number };
  match: boolean;
}

/** MIGRATION-CONTRACT section 5. */
export interface VerifyReport {
  ok: boolean;
  runId: string;
  at: string;
  legacy: Record<string, { rows: number; migrated: number; quarantined: number }>;
  target: Record<string, number>; // chunks, templates, slots, tags, embeddings, graph_vertices, graph_edges
  quarantine: Record<string, number>; // by kind
  checks: {
    orphaned_chunks: number;
    invalid_template_refs: number;
    missing_embeddings: number; // a warning, as in the runbook
    cycles: number;
    deep_hierarchies: number;
    invalid_metadata: number;
  };
  checksums: RuleChecksum[];
  graph: { skipped: boolean; reason?: string; vertices?: { source: number; target: number }; edges?: { source: number; target: number } };
  /** Keys with a change not yet replayed in the report's snapshot: counted and listed, not mismatches. */
  pending?: { changes: number; keys: string[] };
  /** The replay's key log position in this snapshot: the cut-over rechecks every key replayed after it. */
  syncMark?: number;
  problems: string[]; // why ok is false
  warnings: string[];
}

export type StepStatus = 'pending' | 'running' | 'done' | 'skipped' | 'failed' | 'compensated';

export type Phase =
  | 'starting'
  | 'running'
  | 'paused'
  | 'awaiting_approval'
  | 'awaiting_operator'
  | 'monitoring'
  | 'rolling_back'
  | 'rolled_back'
  | 'rollback_failed'
  | 'completed'
  | 'blocked';

/** The `progress` query's answer. */
export interface Progress {
  runId: string;
  phase: Phase;
  step?: StepName;
  paused: boolean;
  steps: Partial<Record<StepName, StepStatus>>;
  rules: Partial<Record<CopyRule, { done: number; total: number }>>;
  batchSize: number;
  /** Why the copy last paused for the primary's load (plan.copy.maxLoad), and for how long in total. */
  copyPause?: { reason: string; pausedMs: number };
  rowsPerSec: number;
  etaSeconds: number | null;
  redoneBatches: number;
  report?: VerifyReport;
  defects?: { counts: Partial<Record<DefectKind, number>>; sample: Defect[] };
  /** Policy quarantine: preflight left defect detection to the copy step, which has not reported yet. */
  defectsPending?: boolean;
  compensations: { step: string; status: 'pending' | 'done' | 'failed'; error?: string }[];
  error?: string;
  monitoring?: MonitoringProgress;
  /** Who approved the switch (the `approve` update), when the plan requires approval. */
  approval?: { by: string; at: string; comment?: string };
  /** What finalize recorded: the schema version that serves now and the legacy tables archived. */
  finalized?: { schemaVersion: number; previous: number | null; archived: string[] };
  /** Live writes: replay backlog and rate per direction, the cut-over holds (contract section 6). */
  sync?: SyncProgress;
  /** A deadline the saga waits for (approval gate), epoch ms of workflow time. */
  waitingUntil?: number;
  /** The runbook's migration checklist for this run's plan (common/checklist.ts). */
  checklist?: ChecklistItem[];
  /** Preflight's warnings: what the run will not do that the operator may expect (a column not migrated). */
  warnings?: string[];
  /** Where the backup step wrote the dump (a directory on the worker), once it has. */
  backup?: { dir: string; files: number; restoreTested: boolean };
  /** Workflow time (epoch ms) of the last rule count: the CLI moves the bar between slices at rowsPerSec. */
  updatedAt?: number;
}

/**
 * Post-switch monitoring as the saga knows it: set when the child workflow starts and when it
 * ends. While it runs, the CLI reads the live counts from the child (`workflowId`, query `status`)
 * so the parent's history does not grow by one signal per check.
 */
export interface MonitoringProgress {
  checks: number;
  failures: number;
  consecutiveFailures: number;
  secondsLeft: number;
  workflowId?: string;
  outcome?: string;
  reason?: string;
  paused?: boolean;
  pausedReason?: string;
}
