"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.WorkerProcess = exports.seconds = exports.sleep = void 0;
exports.waitUntil = waitUntil;
exports.cli = cli;
exports.killGroup = killGroup;
const node_child_process_1 = require("node:child_process");
const node_path_1 = __importDefault(require("node:path"));
const processes_1 = require("../helpers/processes");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
exports.sleep = sleep;
/** Polls until fn() is truthy; throws naming `what` after timeoutMs. */
async function waitUntil(what, fn, timeoutMs, everyMs = 200) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const v = await fn();
        if (v)
            return v;
        if (Date.now() > deadline)
            throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
        await (0, exports.sleep)(everyMs);
    }
}
const seconds = (ms) => Math.round(ms / 100) / 10;
exports.seconds = seconds;
const CLI = node_path_1.default.join(processes_1.REPO_ROOT, 'bin', 'stp-upgrade.js');
/** The real CLI as a child process (bounded). */
function cli(args, env, timeoutMs = 60_000) {
    return (0, processes_1.runCliProcess)(args, env, timeoutMs);
}
/**
 * A worker process (`stp-upgrade worker`) in its own process group: kill9() takes the group down
 * like a crashed container would, children (pg_dump, nginx -s reload) included.
 */
class WorkerProcess {
    out = '';
    child;
    readyMs = 0;
    exit;
    constructor(env) {
        this.child = (0, node_child_process_1.spawn)(process.execPath, [CLI, 'worker'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
        this.child.stdout.on('data', (d) => this.append(d));
        this.child.stderr.on('data', (d) => this.append(d));
        this.child.on('exit', (code, signal) => (this.exit = { code, signal }));
    }
    append(d) {
        this.out = (this.out + d.toString()).slice(-20_000);
    }
    static async start(env) {
        const started = Date.now();
        const w = new WorkerProcess(env);
        await waitUntil('the worker to poll its task queue', () => {
            if (w.exit)
                throw new Error(`the worker exited (${w.exit.code ?? w.exit.signal}) before polling:\n${w.tail()}`);
            return w.out.includes('stp-upgrade worker: task queue');
        }, 90_000, 100);
        w.readyMs = Date.now() - started;
        return w;
    }
    get alive() {
        return this.exit === undefined;
    }
    tail(lines = 12) {
        return this.out.trimEnd().split('\n').slice(-lines).join('\n');
    }
    kill9() {
        if (this.child.pid)
            killGroup(this.child.pid, 'SIGKILL');
    }
    async stop() {
        if (!this.alive || !this.child.pid)
            return;
        killGroup(this.child.pid, 'SIGTERM');
        const deadline = Date.now() + 15_000;
        while (this.alive && Date.now() < deadline)
            await (0, exports.sleep)(100);
        this.kill9();
    }
}
exports.WorkerProcess = WorkerProcess;
/** Signals a whole process group (falls back to the process alone); gone is fine. */
function killGroup(pid, signal) {
    try {
        process.kill(-pid, signal);
    }
    catch {
        try {
            process.kill(pid, signal);
        }
        catch {
            /* gone */
        }
    }
}
//# sourceMappingURL=util.js.map