import type {
  Assessment,
  PreflightResult,
  QuarantineResult,
  RangesInput,
  RangesResult,
  SliceInput,
  SliceResult,
  StepInput,
  VerifyReport,
} from './steps';

/**
 * The contract between the upgrade workflow and the data activities. Each activity family
 * (activities/<family>.ts) implements its slice of this interface through a factory
 * `createXActivities({ pools })`; the worker merges them. Every activity is idempotent: a retry,
 * or a resume on another worker, never makes the same change twice.
 */
export interface DataActivities {
  // assess / preflight (read-only)
  assess(input: { database: string }): Promise<Assessment>;
  /**
   * Assessment + every defect (none with deferDefects: quarantineDefects detects them). Changes
   * nothing. Throws PreconditionError when extensions are missing.
   */
  preflight(input: StepInput & { defectLimit?: number; deferDefects?: boolean }): Promise<PreflightResult>;

  // run lease: at most one active run per database
  /** Creates stp_migration if absent, records the run as active; PreconditionError when another run holds it. */
  acquireRun(input: StepInput & { workflowId: string }): Promise<{ createdBookkeeping: boolean }>;
  /** Marks the run finished (status: completed | rolled_back | rollback_failed) and stores the report. */
  releaseRun(input: StepInput & { status: string; report?: unknown }): Promise<void>;
  /** Compensation of acquireRun: removes the run's rows and, if this run created it and nothing else is left, stp_migration. */
  forgetRun(input: StepInput & { dropBookkeeping: boolean }): Promise<void>;

  // backup
  backup(input: StepInput): Promise<{ dir: string; files: { file: string; sha256: string; bytes: number }[]; restoreTested: boolean }>;

  // schema
  /** Creates chunks_unified and embeddings_v2 (no FKs or secondary indexes yet). */
  createTargetSchema(input: StepInput): Promise<{ created: string[] }>;
  /** Compensation: drops what this run created (target tables, indexes, constraints). Never touches legacy tables. */
  dropTargetSchema(input: StepInput): Promise<void>;
  /** After the copy: indexes CONCURRENTLY (an INVALID one is dropped and rebuilt), FKs NOT VALID then VALIDATE. */
  finishTargetSchema(input: StepInput): Promise<{ indexes: string[]; constraints: string[] }>;

  // quarantine + copy (rules 1-5)
  /**
   * policy=quarantine: detects every defect and writes each defective row and its cascade to
   * stp_migration.quarantine (idempotent per run); returns the defects (counts, at most
   * `defectLimit` listed) and the rows quarantined per kind.
   */
  quarantineDefects(input: StepInput & { defectLimit?: number }): Promise<QuarantineResult>;
  /** Compensation: deletes this run's quarantine rows. */
  clearQuarantine(input: StepInput): Promise<void>;
  /** One bounded slice of a rule; commits each batch with its checkpoint and heartbeats it. */
  copySlice(input: SliceInput): Promise<SliceResult>;
  /** Splits a rule into key ranges once per run (stored with the checkpoints); returns how many (1: not split). */
  planRanges(input: RangesInput): Promise<RangesResult>;

  // embeddings (rule 6) and graph (rule 7); copySlice handles rule 'embeddings' too
  buildVectorIndex(input: StepInput): Promise<{ index: string; kind: string; lists?: number } | null>;
  /** Creates the target graph (if AGE present) ; returns skipped when AGE is absent and the plan allows. */
  prepareGraph(input: StepInput): Promise<{ skipped: boolean; reason?: string }>;
  /** Compensation: drops the target graph if this run created it. */
  dropTargetGraph(input: StepInput): Promise<void>;

  // verify (read-only)
  verify(input: StepInput): Promise<VerifyReport>;

}
