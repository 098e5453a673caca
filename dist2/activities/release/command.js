"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.execRunner = void 0;
exports.describeFailure = describeFailure;
const node_child_process_1 = require("node:child_process");
/** The real runner. A command that cannot be started resolves with code 127, as a shell would. */
const execRunner = (argv, opts = {}) => new Promise((resolve) => {
    const child = (0, node_child_process_1.spawn)(argv[0], argv.slice(1), {
        cwd: opts.cwd,
        env: { ...process.env, ...opts.env },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: opts.timeoutMs ?? 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (err) => resolve({ code: 127, stdout, stderr: stderr + err.message }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
});
exports.execRunner = execRunner;
/** "nginx -t ... exited 1: <stderr>" for error messages. */
function describeFailure(argv, r) {
    const out = (r.stderr || r.stdout).trim().split('\n').slice(-5).join(' | ');
    return `${argv.join(' ')} exited ${r.code}${out ? `: ${out}` : ''}`;
}
//# sourceMappingURL=command.js.map