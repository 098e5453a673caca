import { z } from 'zod';
import { AlertsPlan } from './alerts';
import { CopyPlan } from './copy-plan';
import { DatabaseName } from './database-name';
import { ReleasePlan } from './release';
import { SyncPlan } from './sync';
import { formatIssues } from './validation';

/**
 * The upgrade plan: one JSON object (pasteable into the Temporal UI's Start Workflow form), read by
 * the CLI from YAML or JSON. Everything optional has a default; identifiers are checked here and
 * quoted again where they meet SQL.
 */
const SqlIdent = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'expected a lowercase SQL identifier (a-z, 0-9, _; at most 63 characters)' });
const GraphName = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{2,62}$/, { message: 'expected an AGE graph name (a-z, 0-9, _; 3 to 63 characters)' });
const PositiveInt = z.number({ message: 'expected a positive integer' }).int({ message: 'expected a positive integer' }).positive({ message: 'expected a positive integer' });

export const DATA_STEPS = ['preflight', 'backup', 'schema', 'copy', 'embeddings', 'graph', 'verify'] as const;
export const RELEASE_STEPS = ['deploy', 'smoke', 'approval', 'switch', 'drain', 'monitor', 'finalize'] as const;
export const ALL_STEPS = [...DATA_STEPS, ...RELEASE_STEPS] as const;
export type StepName = (typeof ALL_STEPS)[number];

export const LegacyTables = z
  .object({
    texts: SqlIdent.default('texts'),
    chunks: SqlIdent.default('chunks_legacy'),
    templates: SqlIdent.default('templates_legacy'),
    slots: SqlIdent.default('template_slots_legacy'),
    instances: SqlIdent.default('template_slot_instances_legacy'),
    tags: SqlIdent.default('chunk_tags_legacy'),
    embeddings: SqlIdent.default('embeddings_legacy'),
  })
  .strict();

export const TargetTables = z
  .object({
    chunks: SqlIdent.default('chunks_unified'),
    embeddings: SqlIdent.default('embeddings_v2'),
  })
  .strict();

const GraphSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('age'), graph: GraphName.default('knowledge_graph') }).strict(),
  z
    .object({
      kind: z.literal('csv'),
      /** `chunk_id, entity_name, entity_type, properties` (read by the worker) */
      nodesFile: z.string().min(1),
      /** `source_chunk_id, target_chunk_id, relationship_type, properties` */
      edgesFile: z.string().min(1),
    })
    .strict(),
]);

export const PlanSchema = z
  .object({
    /** Database name resolved by the worker (primary -> STP_DATABASE_URL). Never a URL. */
    database: DatabaseName.default('primary'),
    /** Schema holding the legacy and target tables. */
    schema: SqlIdent.default('public'),
    legacy: LegacyTables.prefault({}),
    target: TargetTables.prefault({}),
    /** Batch size, throttle, adaptive batch size and load-aware pause: common/copy-plan.ts. */
    copy: CopyPlan,
    defects: z
      .object({ policy: z.enum(['block', 'quarantine']).default('block') })
      .strict()
      .prefault({}),
    embeddings: z
      .object({
        defaultModel: z.string().min(1).default('text-embedding-ada-002'),
        index: z
          .object({
            kind: z.enum(['ivfflat', 'hnsw', 'none']).default('ivfflat'),
            /** ivfflat lists; derived from the row count (rows/1000, at least 10, sqrt above 1M) when absent */
            lists: PositiveInt.optional(),
            m: PositiveInt.default(16),
            efConstruction: PositiveInt.default(64),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    graph: z
      .object({
        source: GraphSource.default({ kind: 'age', graph: 'knowledge_graph' }),
        target: GraphName.default('knowledge_graph_v2'),
        /** When AGE is absent: skip the step (true) or refuse at preflight (false). */
        optional: z.boolean().default(false),
        batchSize: PositiveInt.max(100_000).default(2000),
      })
      .strict()
      .prefault({}),
    backup: z
      .object({
        dir: z.string().min(1).default('/var/backups/stp-upgrade'),
        /** Must match the server's major version. */
        pgDump: z.string().min(1).default('pg_dump'),
        pgRestore: z.string().min(1).default('pg_restore'),
        /** Restore the dump into a scratch database to prove it restores. */
        testRestore: z.boolean().default(true),
        /** The application's configuration (directory or file) and binary on the worker's host, copied into the backup. */
        config: z.string().regex(/^\//, { message: "expected an absolute path on the worker's host, e.g. /etc/semantic-text-processor" }).optional(),
        binary: z.string().regex(/^\//, { message: "expected an absolute path on the worker's host, e.g. /usr/local/bin/semantic-text-processor" }).optional(),
      })
      .strict()
      .prefault({}),
    /** Which steps to run, in saga order. Default: every data step. */
    steps: z.array(z.enum(ALL_STEPS)).min(1).default([...DATA_STEPS]),
    /** Live writes during the run (contract section 6): common/sync.ts. */
    sync: SyncPlan.prefault({}),
    /** Release half (blue-green, monitoring): common/release.ts. */
    release: ReleasePlan.optional(),
    /** Webhooks told about the run's events (common/alerts.ts). */
    alerts: AlertsPlan.optional(),
  })
  .strict();

export type Plan = z.output<typeof PlanSchema>;
export type PlanInput = z.input<typeof PlanSchema>;

export type PlanResult = { ok: true; plan: Plan } | { ok: false; errors: string[] };

/** Validates a plan and reports every problem at once, each with its path. */
export function parsePlan(input: unknown): PlanResult {
  const parsed = PlanSchema.safeParse(input);
  if (parsed.success) return { ok: true, plan: parsed.data };
  return { ok: false, errors: formatIssues('plan', parsed.error, input) };
}
