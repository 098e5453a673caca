"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.processStart = processStart;
exports.isSameProcess = isSameProcess;
exports.killGroup = killGroup;
exports.waitExit = waitExit;
exports.tail = tail;
const node_fs_1 = __importDefault(require("node:fs"));
/** Start time (clock ticks since boot) of a live, non-zombie process, or null when it is gone. */
function processStart(pid) {
    try {
        const stat = node_fs_1.default.readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (fields[0] === 'Z' || fields[0] === 'X')
            return null;
        return fields[19];
    }
    catch {
        return null;
    }
}
/** True while the process runs and is the one that was recorded (guards against pid reuse). */
function isSameProcess(pid, start) {
    const now = processStart(pid);
    return now !== null && (start == null || now === start);
}
/** Sends a signal to a whole process group; a group that is gone is not an error. */
function killGroup(pid, signal) {
    try {
        process.kill(-pid, signal);
    }
    catch (err) {
        if (err.code !== 'ESRCH')
            throw err;
    }
}
/** Waits until the process has exited; false when it still runs at the deadline. */
async function waitExit(pid, start, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (isSameProcess(pid, start)) {
        if (Date.now() >= deadline)
            return false;
        await new Promise((r) => setTimeout(r, 25));
    }
    return true;
}
/** Last lines of a log file, for error messages. */
function tail(file, lines = 15) {
    try {
        return node_fs_1.default.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    }
    catch {
        return '(no log)';
    }
}
//# sourceMappingURL=proc.js.map