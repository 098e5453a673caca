"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.UNIFIED_FEATURES = exports.CONFIG_SECTIONS = exports.AppConfigSchema = void 0;
exports.parseDuration = parseDuration;
exports.parseAppConfig = parseAppConfig;
const zod_1 = require("zod");
const validation_1 = require("./validation");
/**
 * The STP application's `config.yaml` (the runbook's config_migration.sh): server, database,
 * features, cache, performance, logging. Durations are Go-style strings (`500ms`, `30s`, `5m`,
 * `1h`, `1h30m`). Every setting has the runbook's value as its default, so a file may set only
 * what differs; unknown keys are refused (a typo must not silently fall back to a default). Pure:
 * the CLI, the release activities and the reference service share it.
 */
const UNIT_MS = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;
/** Milliseconds of a Go-style duration, or undefined when it is not one. */
function parseDuration(text) {
    if (!DURATION.test(text))
        return undefined;
    let ms = 0;
    for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g))
        ms += Number(m[1]) * UNIT_MS[m[2]];
    return ms;
}
const Duration = zod_1.z
    .string({ message: 'expected a duration such as "500ms", "30s", "5m" or "1h"' })
    .refine((s) => parseDuration(s) !== undefined, { message: 'expected a duration such as "500ms", "30s", "5m" or "1h" (a number and a unit: ms, s, m, h)' })
    .refine((s) => (parseDuration(s) ?? 0) > 0, { message: 'expected a duration above zero' });
const Count = (what) => zod_1.z.number({ message: `expected ${what}` }).int({ message: `expected ${what}` }).min(0, { message: `expected ${what}` });
/** The runbook writes the port quoted ("8080"); a number is accepted too. */
const Port = zod_1.z
    .union([zod_1.z.string(), zod_1.z.number()], { message: 'expected a TCP port (1-65535), e.g. "8080"' })
    .refine((p) => /^\d+$/.test(String(p)) && Number(p) >= 1 && Number(p) <= 65535, { message: 'expected a TCP port (1-65535), e.g. "8080"' });
exports.AppConfigSchema = zod_1.z
    .object({
    server: zod_1.z
        .object({
        port: Port.default('8080'),
        read_timeout: Duration.default('30s'),
        write_timeout: Duration.default('30s'),
        idle_timeout: Duration.default('120s'),
    })
        .strict()
        .prefault({}),
    database: zod_1.z
        .object({
        max_open_connections: Count('a positive integer').min(1, { message: 'expected a positive integer' }).default(25),
        max_idle_connections: Count('a non-negative integer').default(5),
        connection_lifetime: Duration.default('5m'),
    })
        .strict()
        .prefault({})
        .refine((d) => d.max_idle_connections <= d.max_open_connections, {
        message: 'max_idle_connections must not exceed max_open_connections',
        path: ['max_idle_connections'],
    }),
    features: zod_1.z
        .object({
        use_unified_handlers: zod_1.z.boolean({ message: 'expected true or false' }).default(true),
        use_enhanced_search: zod_1.z.boolean({ message: 'expected true or false' }).default(true),
        enable_batch_operations: zod_1.z.boolean({ message: 'expected true or false' }).default(true),
    })
        .strict()
        .prefault({}),
    cache: zod_1.z
        .object({
        enabled: zod_1.z.boolean({ message: 'expected true or false' }).default(true),
        max_size: Count('a non-negative integer (entries)').default(1000),
        default_ttl: Duration.default('1h'),
    })
        .strict()
        .prefault({}),
    performance: zod_1.z
        .object({
        metrics_enabled: zod_1.z.boolean({ message: 'expected true or false' }).default(true),
        monitoring_enabled: zod_1.z.boolean({ message: 'expected true or false' }).default(true),
        slow_query_threshold: Duration.default('500ms'),
    })
        .strict()
        .prefault({}),
    logging: zod_1.z
        .object({
        level: zod_1.z.enum(['debug', 'info', 'warn', 'error'], { message: 'expected one of debug, info, warn, error' }).default('info'),
        format: zod_1.z.enum(['json', 'text'], { message: 'expected json or text' }).default('json'),
        /** A file, or stdout / stderr. */
        output: zod_1.z.string().min(1, { message: 'expected a file path, stdout or stderr' }).default('/var/log/semantic-text-processor.log'),
    })
        .strict()
        .prefault({}),
})
    .strict();
/** The sections of config.yaml, in the runbook's order. */
exports.CONFIG_SECTIONS = ['server', 'database', 'features', 'cache', 'performance', 'logging'];
/** The new version's feature switches (the unified chunk system): `config migrate` turns them on. */
exports.UNIFIED_FEATURES = ['use_unified_handlers', 'use_enhanced_search', 'enable_batch_operations'];
/** Validates a parsed config.yaml; every problem is reported with its path (`config.server.port: ...`). */
function parseAppConfig(input) {
    if (input === null || input === undefined)
        input = {};
    if (typeof input !== 'object' || Array.isArray(input)) {
        return { ok: false, errors: ['config: expected a mapping with the sections server, database, features, cache, performance, logging'] };
    }
    const parsed = exports.AppConfigSchema.safeParse(input);
    if (!parsed.success)
        return { ok: false, errors: (0, validation_1.formatIssues)('config', parsed.error, input) };
    const config = parsed.data;
    const warnings = exports.UNIFIED_FEATURES.filter((f) => !config.features[f]).map((f) => `config.features.${f} is off: the new version's unified chunk system is not used (run \`stp-upgrade config migrate\`)`);
    if (config.cache.enabled && config.cache.max_size === 0)
        warnings.push('config.cache.max_size is 0 while the cache is enabled: nothing is cached');
    return { ok: true, config, warnings };
}
//# sourceMappingURL=app-config.js.map