"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.heartbeat = void 0;
exports.childConnection = childConnection;
exports.toolVersion = toolVersion;
exports.runTool = runTool;
exports.hashingTap = hashingTap;
exports.sha256File = sha256File;
exports.throttled = throttled;
const node_child_process_1 = require("node:child_process");
const node_crypto_1 = __importDefault(require("node:crypto"));
const node_fs_1 = __importDefault(require("node:fs"));
const node_stream_1 = require("node:stream");
const promises_1 = require("node:stream/promises");
const errors_1 = require("../../common/errors");
const heartbeat_1 = require("../heartbeat");
var heartbeat_2 = require("../heartbeat");
Object.defineProperty(exports, "heartbeat", { enumerable: true, get: function () { return heartbeat_2.heartbeat; } });
/**
 * How a libpq child connects: the URL without its password goes to argv (visible in `ps`), the
 * password to PGPASSWORD in the child's environment only.
 */
function childConnection(url, database) {
    const u = new URL(url);
    const env = {};
    const password = u.password ? decodeURIComponent(u.password) : u.searchParams.get('password');
    if (password)
        env.PGPASSWORD = password;
    u.password = '';
    u.searchParams.delete('password');
    if (database)
        u.pathname = `/${database}`;
    return { dbname: u.toString(), env };
}
/** The major version a PostgreSQL client tool reports (`pg_dump (PostgreSQL) 17.12 ...`). */
async function toolVersion(bin, setting) {
    let out = '';
    const chunks = [];
    try {
        const sink = new node_stream_1.Writable({ write: (c, _e, cb) => (chunks.push(c), cb()) });
        await runTool(bin, ['--version'], {}, { stdout: sink });
        out = Buffer.concat(chunks).toString('utf8').trim();
    }
    catch (err) {
        throw new errors_1.PreconditionError(`${setting} "${bin}" does not run (${err.message}); set ${setting} to a PostgreSQL client binary`);
    }
    const m = /\(PostgreSQL\)\s+(\d+)/.exec(out);
    if (!m)
        throw new errors_1.PreconditionError(`${setting} "${bin}" printed "${out}" for --version, not a PostgreSQL client version`);
    return { major: Number(m[1]), text: out };
}
const PIPE_CODES = new Set(['EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'ERR_STREAM_DESTROYED']);
/**
 * Runs a client tool with optional stdin/stdout streams (stdout may be a chain ending in a sink) and a bounded stderr tail. Rejects with the
 * tool's own error text on a non-zero exit (that text is more useful than the EPIPE it causes).
 */
async function runTool(bin, args, env, io) {
    const child = (0, node_child_process_1.spawn)(bin, args, {
        env: { ...process.env, ...env },
        stdio: [io.stdin ? 'pipe' : 'ignore', io.stdout ? 'pipe' : 'ignore', 'pipe'],
        signal: (0, heartbeat_1.cancellationSignal)(),
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
        stderr = (stderr + d.toString('utf8')).slice(-8000);
    });
    const exited = new Promise((resolve, reject) => {
        child.on('error', reject);
        child.on('close', (code) => resolve(code));
    });
    const streams = [
        io.stdin ? (0, promises_1.pipeline)(io.stdin, child.stdin) : Promise.resolve(),
        io.stdout ? (0, promises_1.pipeline)([child.stdout, ...[io.stdout].flat()]) : Promise.resolve(),
    ];
    // a stream that fails (the dump file could not be opened or written) ends the tool too: a tool that
    // never writes again would otherwise never notice its broken pipe
    for (const st of streams)
        st.catch(() => child.kill('SIGTERM'));
    const [exit, ...piped] = await Promise.allSettled([exited, ...streams]);
    if (exit.status === 'rejected')
        throw exit.reason;
    // a full disk shows up in the tool as a broken pipe: report the cause, not the symptom
    const local = piped.find((p) => p.status === 'rejected' && !PIPE_CODES.has(p.reason.code ?? ''));
    if (local)
        throw local.reason;
    if (exit.value !== 0) {
        throw new Error(`${bin} ${args[0] ?? ''} exited with ${exit.value}: ${stderr.trim() || '(no output)'}`);
    }
    const failed = piped.find((p) => p.status === 'rejected');
    if (failed)
        throw failed.reason;
    return { stderr };
}
/** A pass-through that hashes and counts what flows through it. */
function hashingTap(onBytes) {
    const hash = node_crypto_1.default.createHash('sha256');
    let bytes = 0;
    const tap = new node_stream_1.Transform({
        transform(chunk, _enc, cb) {
            hash.update(chunk);
            bytes += chunk.length;
            onBytes(bytes);
            cb(null, chunk);
        },
    });
    return { tap, digest: () => ({ sha256: hash.digest('hex'), bytes }) };
}
/** sha256 of a file, streamed; null when the file is missing. */
async function sha256File(file, onBytes = () => undefined) {
    if (!node_fs_1.default.existsSync(file))
        return null;
    const { tap, digest } = hashingTap(onBytes);
    await (0, promises_1.pipeline)(node_fs_1.default.createReadStream(file), tap, new node_stream_1.Writable({ write: (_c, _e, cb) => cb() }));
    return digest().sha256;
}
/** Calls fn at most once per interval, so a chunk-per-callback stream does not flood heartbeats. */
function throttled(ms, fn) {
    let last = 0;
    return (v) => {
        const now = Date.now();
        if (now - last >= ms) {
            last = now;
            fn(v);
        }
    };
}
//# sourceMappingURL=tools.js.map