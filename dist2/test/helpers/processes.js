"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.REPO_ROOT = void 0;
exports.runCliProcess = runCliProcess;
exports.startWorkerProcess = startWorkerProcess;
const node_child_process_1 = require("node:child_process");
const node_path_1 = __importDefault(require("node:path"));
exports.REPO_ROOT = process.env.STP_REPO_ROOT ?? node_path_1.default.resolve(__dirname, '..', '..', '..');
const CLI = node_path_1.default.join(exports.REPO_ROOT, 'bin', 'stp-upgrade.js');
/** Runs the real `stp-upgrade` CLI as a child process. */
function runCliProcess(args, env, timeoutMs = 120_000) {
    return new Promise((resolve, reject) => {
        const child = (0, node_child_process_1.spawn)(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.on('error', reject);
        child.on('close', (code) => {
            clearTimeout(timer);
            resolve({ code: code ?? -1, stdout, stderr });
        });
    });
}
/** Starts `stp-upgrade worker` and resolves once it polls its task queue. */
async function startWorkerProcess(env) {
    const child = (0, node_child_process_1.spawn)(process.execPath, [CLI, 'worker'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    await new Promise((resolve, reject) => {
        // bundling the workflows takes most of a start; on a loaded 2-core machine it can pass a minute.
        // A worker that did not start is killed, so the test process does not hang on it.
        const timer = setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`worker did not start within 120 s:\n${output}`));
        }, 120_000);
        const onData = (d) => {
            output += d;
            if (output.includes('stp-upgrade worker: task queue')) {
                clearTimeout(timer);
                resolve();
            }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', (d) => (output += d));
        child.on('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`worker exited with ${code}:\n${output}`));
        });
    });
    child.removeAllListeners('exit');
    return {
        child,
        output: () => output,
        stop: () => new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null)
                return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
            child.once('exit', () => {
                clearTimeout(timer);
                resolve();
            });
            child.kill('SIGTERM');
        }),
    };
}
//# sourceMappingURL=processes.js.map