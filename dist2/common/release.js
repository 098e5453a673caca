"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ReleasePlan = void 0;
exports.releasePlanOf = releasePlanOf;
const zod_1 = require("zod");
const monitor_1 = require("./monitor");
/**
 * `plan.release`: the blue-green half of the upgrade (runbook: blue_green_deploy.sh,
 * post_migration_tests.sh, cache_warming.sh, index optimisation, emergency rollback). Pure and
 * workflow-safe. Secrets never appear here: `deployer.env` names worker variables, and green's
 * DATABASE_URL is resolved by the worker from `plan.database`.
 */
const Port = zod_1.z.number({ message: 'expected a TCP port (1-65535)' }).int().min(1).max(65535);
const PositiveInt = zod_1.z.number({ message: 'expected a positive integer' }).int({ message: 'expected a positive integer' }).positive({ message: 'expected a positive integer' });
const InstanceName = zod_1.z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/, { message: 'expected an instance name ([a-z0-9-], 1-41 characters)' });
const EnvName = zod_1.z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { message: 'expected an environment variable name (A-Z, 0-9, _)' });
const AbsolutePath = zod_1.z.string().regex(/^\//, { message: "expected an absolute path on the worker's host, e.g. /etc/semantic-text-processor" });
/** A worker path: absolute, or relative to the worker's state root (STP_STATE_DIR, else its cache). */
const StateDir = zod_1.z.string().min(1).optional();
function instance(name, port, version) {
    return zod_1.z
        .object({
        instance: InstanceName.default(name),
        port: Port.default(port),
        /** STP_SERVICE_VERSION of this instance. */
        version: zod_1.z.string().regex(/^[0-9]+$/, { message: 'expected a version number' }).default(version),
        /** process kind: argv; default: this build's service (dist/service/main.js) under the worker's node. */
        command: zod_1.z.array(zod_1.z.string().min(1)).min(1).optional(),
        /** docker kind: image; default semantic-text-processor:latest. */
        image: zod_1.z.string().min(1).optional(),
    })
        .strict();
}
exports.ReleasePlan = zod_1.z
    .object({
    deployer: zod_1.z
        .object({
        kind: zod_1.z.enum(['process', 'docker']).default('process'),
        /** process kind: pid/state/log files. Default `<state root>/<database>/deploy`. */
        stateDir: StateDir,
        blue: instance('blue', 8080, '1').prefault({}),
        green: instance('green', 8081, '2').prefault({}),
        /** Names of worker variables passed to green and blue (values stay on the worker). */
        env: zod_1.z.array(EnvName).default([]),
    })
        .strict()
        .prefault({}),
    traffic: zod_1.z
        .object({
        kind: zod_1.z.enum(['nginx', 'command']).default('nginx'),
        /** The project-owned nginx, started by switchTraffic when it does not run. */
        nginx: zod_1.z
            .object({ stateDir: StateDir, listenPort: Port.default(8088) })
            .strict()
            .prefault({}),
        /** The operator's switch script; receives STP_TARGET_HOST/PORT/INSTANCE/VERSION. */
        command: zod_1.z.object({ argv: zod_1.z.array(zod_1.z.string().min(1)).min(1) }).strict().optional(),
        /** Where the proof requests go; default http://127.0.0.1:<nginx.listenPort>. */
        lbUrl: zod_1.z.string().url({ message: 'expected a URL' }).optional(),
    })
        .strict()
        .prefault({})
        .superRefine((t, ctx) => {
        if (t.kind !== 'command')
            return;
        if (!t.command)
            ctx.addIssue({ code: 'custom', path: ['command'], message: 'required when kind is "command"' });
        if (!t.lbUrl)
            ctx.addIssue({ code: 'custom', path: ['lbUrl'], message: 'required when kind is "command"' });
    }),
    health: zod_1.z
        .object({
        /** Healthy answers in a row that count as healthy. */
        consecutive: PositiveInt.default(3),
        deadlineSeconds: PositiveInt.default(60),
        intervalMs: PositiveInt.default(1000),
    })
        .strict()
        .prefault({}),
    smoke: zod_1.z.object({ enabled: zod_1.z.boolean().default(true) }).strict().prefault({}),
    approval: zod_1.z
        .object({ required: zod_1.z.boolean().default(false), timeoutMinutes: PositiveInt.default(60) })
        .strict()
        .prefault({}),
    /** Wait after the switch before blue is stopped (the runbook's `sleep 60`). */
    drainSeconds: zod_1.z.number().int().min(0).default(60),
    blueAfterSwitch: zod_1.z.enum(['stop', 'keep-warm']).default('stop'),
    finalize: zod_1.z
        .object({
        /** archive: `alter table … rename to …<archiveSuffix>` (texts is shared and never archived). */
        legacyTables: zod_1.z.enum(['keep', 'archive']).default('keep'),
        archiveSuffix: zod_1.z.string().regex(/^[a-z0-9_]{1,20}$/, { message: 'expected [a-z0-9_], 1-20 characters' }).default('_archived'),
    })
        .strict()
        .prefault({}),
    cacheWarming: zod_1.z
        .object({ queries: zod_1.z.array(zod_1.z.string().min(1)).default(['common search term 1', 'common search term 2']) })
        .strict()
        .prefault({}),
    optimize: zod_1.z
        .object({ analyze: zod_1.z.boolean().default(true), extraIndexes: zod_1.z.boolean().default(true) })
        .strict()
        .prefault({}),
    monitoring: monitor_1.MonitoringPlan.optional(),
    /**
     * The application's config.yaml (config_migration.sh), paths on the worker's host: a file or a
     * directory holding config.yaml. `new` (e.g. written by `stp-upgrade config migrate`) is
     * checked before green is deployed and handed to green; `old` is what blue runs with, so blue
     * started again (switch-back, rollback) runs on it.
     */
    config: zod_1.z
        .object({ old: AbsolutePath.optional(), new: AbsolutePath })
        .strict()
        .optional(),
})
    .strict();
/** The release section of a plan with every default applied (plan.release may be absent). */
function releasePlanOf(plan) {
    return exports.ReleasePlan.parse(plan.release ?? {});
}
//# sourceMappingURL=release.js.map