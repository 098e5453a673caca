"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PlanSchema = exports.TargetTables = exports.LegacyTables = exports.ALL_STEPS = exports.RELEASE_STEPS = exports.DATA_STEPS = void 0;
exports.parsePlan = parsePlan;
const zod_1 = require("zod");
const alerts_1 = require("./alerts");
const copy_plan_1 = require("./copy-plan");
const database_name_1 = require("./database-name");
const release_1 = require("./release");
const sync_1 = require("./sync");
const validation_1 = require("./validation");
/**
 * The upgrade plan: one JSON object (pasteable into the Temporal UI's Start Workflow form), read by
 * the CLI from YAML or JSON. Everything optional has a default; identifiers are checked here and
 * quoted again where they meet SQL.
 */
const SqlIdent = zod_1.z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'expected a lowercase SQL identifier (a-z, 0-9, _; at most 63 characters)' });
const GraphName = zod_1.z
    .string()
    .regex(/^[a-z_][a-z0-9_]{2,62}$/, { message: 'expected an AGE graph name (a-z, 0-9, _; 3 to 63 characters)' });
const PositiveInt = zod_1.z.number({ message: 'expected a positive integer' }).int({ message: 'expected a positive integer' }).positive({ message: 'expected a positive integer' });
exports.DATA_STEPS = ['preflight', 'backup', 'schema', 'copy', 'embeddings', 'graph', 'verify'];
exports.RELEASE_STEPS = ['deploy', 'smoke', 'approval', 'switch', 'drain', 'monitor', 'finalize'];
exports.ALL_STEPS = [...exports.DATA_STEPS, ...exports.RELEASE_STEPS];
exports.LegacyTables = zod_1.z
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
exports.TargetTables = zod_1.z
    .object({
    chunks: SqlIdent.default('chunks_unified'),
    embeddings: SqlIdent.default('embeddings_v2'),
})
    .strict();
const GraphSource = zod_1.z.discriminatedUnion('kind', [
    zod_1.z.object({ kind: zod_1.z.literal('age'), graph: GraphName.default('knowledge_graph') }).strict(),
    zod_1.z
        .object({
        kind: zod_1.z.literal('csv'),
        /** `chunk_id, entity_name, entity_type, properties` (read by the worker) */
        nodesFile: zod_1.z.string().min(1),
        /** `source_chunk_id, target_chunk_id, relationship_type, properties` */
        edgesFile: zod_1.z.string().min(1),
    })
        .strict(),
]);
exports.PlanSchema = zod_1.z
    .object({
    /** Database name resolved by the worker (primary -> STP_DATABASE_URL). Never a URL. */
    database: database_name_1.DatabaseName.default('primary'),
    /** Schema holding the legacy and target tables. */
    schema: SqlIdent.default('public'),
    legacy: exports.LegacyTables.prefault({}),
    target: exports.TargetTables.prefault({}),
    /** Batch size, throttle, adaptive batch size and load-aware pause: common/copy-plan.ts. */
    copy: copy_plan_1.CopyPlan,
    defects: zod_1.z
        .object({ policy: zod_1.z.enum(['block', 'quarantine']).default('block') })
        .strict()
        .prefault({}),
    embeddings: zod_1.z
        .object({
        defaultModel: zod_1.z.string().min(1).default('text-embedding-ada-002'),
        index: zod_1.z
            .object({
            kind: zod_1.z.enum(['ivfflat', 'hnsw', 'none']).default('ivfflat'),
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
    graph: zod_1.z
        .object({
        source: GraphSource.default({ kind: 'age', graph: 'knowledge_graph' }),
        target: GraphName.default('knowledge_graph_v2'),
        /** When AGE is absent: skip the step (true) or refuse at preflight (false). */
        optional: zod_1.z.boolean().default(false),
        batchSize: PositiveInt.max(100_000).default(2000),
    })
        .strict()
        .prefault({}),
    backup: zod_1.z
        .object({
        dir: zod_1.z.string().min(1).default('/var/backups/stp-upgrade'),
        /** Must match the server's major version. */
        pgDump: zod_1.z.string().min(1).default('pg_dump'),
        pgRestore: zod_1.z.string().min(1).default('pg_restore'),
        /** Restore the dump into a scratch database to prove it restores. */
        testRestore: zod_1.z.boolean().default(true),
        /** The application's configuration (directory or file) and binary on the worker's host, copied into the backup. */
        config: zod_1.z.string().regex(/^\//, { message: "expected an absolute path on the worker's host, e.g. /etc/semantic-text-processor" }).optional(),
        binary: zod_1.z.string().regex(/^\//, { message: "expected an absolute path on the worker's host, e.g. /usr/local/bin/semantic-text-processor" }).optional(),
    })
        .strict()
        .prefault({}),
    /** Which steps to run, in saga order. Default: every data step. */
    steps: zod_1.z.array(zod_1.z.enum(exports.ALL_STEPS)).min(1).default([...exports.DATA_STEPS]),
    /** Live writes during the run (contract section 6): common/sync.ts. */
    sync: sync_1.SyncPlan.prefault({}),
    /** Release half (blue-green, monitoring): common/release.ts. */
    release: release_1.ReleasePlan.optional(),
    /** Webhooks told about the run's events (common/alerts.ts). */
    alerts: alerts_1.AlertsPlan.optional(),
})
    .strict();
/** Validates a plan and reports every problem at once, each with its path. */
function parsePlan(input) {
    const parsed = exports.PlanSchema.safeParse(input);
    if (parsed.success)
        return { ok: true, plan: parsed.data };
    return { ok: false, errors: (0, validation_1.formatIssues)('plan', parsed.error, input) };
}
//# sourceMappingURL=plan.js.map