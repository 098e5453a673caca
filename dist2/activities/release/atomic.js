"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.writeFileAtomic = writeFileAtomic;
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
/**
 * Replaces a file so that a reader (nginx reloading) sees the old or the new content, never a
 * half-written one: write a temp file in the same directory, fsync it, rename over, fsync the dir.
 */
function writeFileAtomic(file, content) {
    const dir = node_path_1.default.dirname(file);
    node_fs_1.default.mkdirSync(dir, { recursive: true });
    const tmp = node_path_1.default.join(dir, `.${node_path_1.default.basename(file)}.${process.pid}.${Date.now()}.tmp`);
    const fd = node_fs_1.default.openSync(tmp, 'w', 0o644);
    try {
        node_fs_1.default.writeSync(fd, content);
        node_fs_1.default.fsyncSync(fd);
    }
    finally {
        node_fs_1.default.closeSync(fd);
    }
    try {
        node_fs_1.default.renameSync(tmp, file);
    }
    catch (err) {
        node_fs_1.default.rmSync(tmp, { force: true });
        throw err;
    }
    const dfd = node_fs_1.default.openSync(dir, 'r');
    try {
        node_fs_1.default.fsyncSync(dfd);
    }
    finally {
        node_fs_1.default.closeSync(dfd);
    }
}
//# sourceMappingURL=atomic.js.map