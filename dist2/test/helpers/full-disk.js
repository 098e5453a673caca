"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.mountTmpfs = mountTmpfs;
exports.filesUnder = filesUnder;
exports.wrapTool = wrapTool;
const node_child_process_1 = require("node:child_process");
const node_fs_1 = __importDefault(require("node:fs"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
/**
 * A real small filesystem: a tmpfs of `size` (e.g. "64k", "1m") mounted on a fresh directory.
 * Needs root (mount). `unmount` removes it again; call it in a finally.
 */
function mountTmpfs(size) {
    const dir = node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'stp-full-'));
    (0, node_child_process_1.execFileSync)('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir]);
    return {
        dir,
        unmount: () => {
            (0, node_child_process_1.execFileSync)('umount', ['-l', dir]);
            node_fs_1.default.rmSync(dir, { recursive: true, force: true });
        },
    };
}
/** Files left under dir, relative, recursively (a tmpfs has no lost+found). */
function filesUnder(dir) {
    return node_fs_1.default.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}
/**
 * A pg_dump stand-in that runs `before` (a shell snippet) and then the real tool; `--version`
 * goes straight through, so the version check still sees the real tool.
 */
function wrapTool(dir, real, before) {
    const file = node_path_1.default.join(dir, `pg_dump-wrapper-${Math.random().toString(36).slice(2, 8)}`);
    node_fs_1.default.writeFileSync(file, `#!/usr/bin/env bash\nif [ "$1" != --version ]; then\n${before}\nfi\nexec "${real}" "$@"\n`, { mode: 0o755 });
    return file;
}
//# sourceMappingURL=full-disk.js.map