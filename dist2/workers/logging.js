"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.LogSettingsError = exports.LOG_LEVEL_VARIABLE = void 0;
exports.secretsOf = secretsOf;
exports.createLogger = createLogger;
exports.sdkLogger = sdkLogger;
const pino_1 = __importDefault(require("pino"));
exports.LOG_LEVEL_VARIABLE = 'STP_LOG_LEVEL';
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error'];
/** A bad STP_LOG_LEVEL, named before the worker starts. */
class LogSettingsError extends Error {
    constructor(message) {
        super(message);
        this.name = 'LogSettingsError';
    }
}
exports.LogSettingsError = LogSettingsError;
/**
 * Values that must never appear in a log line, from this process's environment: the API key, the
 * codec keys, the codec server token, PGPASSWORD and the passwords of the STP_DATABASE_URL*
 * connection strings. Every line is scrubbed of them, whatever logged it (our code, the SDK, a
 * Postgres error that quotes a URL).
 */
function secretsOf(env) {
    const out = new Set();
    for (const name of ['TEMPORAL_API_KEY', 'STP_CODEC_SERVER_TOKEN', 'PGPASSWORD', 'STP_DB_PASSWORD', 'TEMPORAL_TLS_CLIENT_KEY_DATA'])
        if (env[name])
            out.add(env[name]);
    for (const entry of (env.STP_CODEC_KEYS ?? '').split(',')) {
        const key = entry.slice(entry.indexOf(':') + 1).trim();
        if (key)
            out.add(key);
    }
    for (const [name, value] of Object.entries(env)) {
        if (!name.startsWith('STP_DATABASE_URL') || !value)
            continue;
        try {
            const password = decodeURIComponent(new URL(value).password);
            if (password)
                out.add(password);
        }
        catch {
            // not a URL: nothing to take from it
        }
    }
    return [...out].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
}
/** user:password@ in any URL, whatever its origin. */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s/]+@/gi;
function scrub(line, secrets) {
    let out = line.replace(URL_PASSWORD, '$1[redacted]@');
    for (const s of secrets)
        if (out.includes(s))
            out = out.split(s).join('[redacted]');
    return out;
}
/**
 * The worker's logger: JSON lines (pino) on stdout, one object per line with time, level, msg and
 * the run's fields (run_id, step, rule, attempt); human-readable lines when stdout is a terminal.
 * Level from STP_LOG_LEVEL (default info).
 */
function createLogger(env, destination = process.stdout) {
    const level = (env[exports.LOG_LEVEL_VARIABLE] || 'info').toLowerCase();
    if (!LEVELS.includes(level)) {
        throw new LogSettingsError(`${exports.LOG_LEVEL_VARIABLE}=${env[exports.LOG_LEVEL_VARIABLE]}: expected one of ${LEVELS.join(', ')}.`);
    }
    const secrets = secretsOf(env);
    const pretty = destination.isTTY === true;
    const stream = {
        write(line) {
            const clean = scrub(line, secrets);
            destination.write(pretty ? human(clean) : clean);
        },
    };
    return (0, pino_1.default)({ level, base: undefined, timestamp: pino_1.default.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } }, stream);
}
/** One JSON line as "12:00:01 INFO  msg  run_id=… step=… key=value". */
function human(line) {
    try {
        const { time, level, msg, ...rest } = JSON.parse(line);
        const fields = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
        return `${String(time).slice(11, 19)} ${String(level).toUpperCase().padEnd(5)} ${String(msg ?? '')}${fields.length ? '  ' + fields.join(' ') : ''}\n`;
    }
    catch {
        return line;
    }
}
/**
 * The SDK's Runtime logger on top of pino: worker, core, activity and workflow logs (the latter
 * through the SDK's logger sink) become our JSON lines. The Temporal fields are renamed to ours:
 * run_id is the workflow id (our run id), temporal_run_id the execution's run id.
 */
function sdkLogger(log) {
    const emit = (level, message, meta) => {
        const fields = temporalFields(meta);
        const method = level.toLowerCase();
        log[method](fields, message);
    };
    return {
        log: emit,
        trace: (m, meta) => emit('TRACE', m, meta),
        debug: (m, meta) => emit('DEBUG', m, meta),
        info: (m, meta) => emit('INFO', m, meta),
        warn: (m, meta) => emit('WARN', m, meta),
        error: (m, meta) => emit('ERROR', m, meta),
    };
}
const RENAMES = {
    workflowId: 'run_id',
    runId: 'run_id',
    workflowRunId: 'temporal_run_id',
    workflowType: 'workflow',
    activityType: 'activity',
    sdkComponent: 'component',
    taskQueue: 'task_queue',
};
const DROPPED = new Set(['taskToken', 'namespace', 'isLocal', 'activityId', 'taskTokenBase64']);
function temporalFields(meta) {
    const out = {};
    if (!meta)
        return out;
    // The workflow logger gives the execution's run id as runId and the workflow id as workflowId.
    const executionRunId = meta.workflowId !== undefined && meta.runId !== undefined ? meta.runId : undefined;
    for (const [k, v] of Object.entries(meta)) {
        if (DROPPED.has(k) || v === undefined)
            continue;
        if (k === 'runId' && executionRunId !== undefined)
            out.temporal_run_id = v;
        else
            out[RENAMES[k] ?? k] = v;
    }
    return out;
}
//# sourceMappingURL=logging.js.map