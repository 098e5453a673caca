"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.checkArtifactPaths = checkArtifactPaths;
exports.backupArtifacts = backupArtifacts;
exports.artifactsIntact = artifactsIntact;
exports.restoreArtifacts = restoreArtifacts;
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const errors_1 = require("../../common/errors");
const tools_1 = require("./tools");
/** Regular files under a directory (or the file itself), relative paths sorted; symlinks are not followed. */
async function filesOf(root) {
    const st = await node_fs_1.default.promises.lstat(root);
    if (st.isFile())
        return [''];
    if (!st.isDirectory())
        return [];
    const out = [];
    for (const e of await node_fs_1.default.promises.readdir(root, { withFileTypes: true, recursive: true })) {
        if (e.isFile())
            out.push(node_path_1.default.relative(root, node_path_1.default.join(e.parentPath, e.name)));
    }
    return out.sort();
}
/** Refuses, before anything is written, a configured path that is missing or of the wrong kind. */
async function checkArtifactPaths(paths) {
    for (const [kind, p] of Object.entries(paths)) {
        if (!p)
            continue;
        if (!node_path_1.default.isAbsolute(p))
            throw new errors_1.PreconditionError(`plan.backup.${kind}: expected an absolute path on the worker's host, got "${p}"`);
        const st = await node_fs_1.default.promises.stat(p).catch(() => null);
        if (!st)
            throw new errors_1.PreconditionError(`plan.backup.${kind}: ${p} does not exist on the worker's host (set the path the application uses, or remove the setting)`);
        if (kind === 'binary' && !st.isFile())
            throw new errors_1.PreconditionError(`plan.backup.binary: ${p} is not a file`);
        if (kind === 'config' && !st.isFile() && !st.isDirectory())
            throw new errors_1.PreconditionError(`plan.backup.config: ${p} is neither a file nor a directory`);
    }
}
/** Copies a file to `to` with `mode` (temp file, fsync, rename) and returns the copy's sha256 and size. */
async function copyExact(from, to, mode) {
    await node_fs_1.default.promises.mkdir(node_path_1.default.dirname(to), { recursive: true, mode: 0o700 });
    const tmp = `${to}.tmp-${process.pid}`;
    await node_fs_1.default.promises.copyFile(from, tmp);
    await node_fs_1.default.promises.chmod(tmp, mode);
    const fh = await node_fs_1.default.promises.open(tmp, 'r+');
    try {
        await fh.sync();
    }
    finally {
        await fh.close();
    }
    const st = await node_fs_1.default.promises.stat(from);
    await node_fs_1.default.promises.utimes(tmp, st.atime, st.mtime);
    await node_fs_1.default.promises.rename(tmp, to);
    return { sha256: (await (0, tools_1.sha256File)(to)), bytes: (await node_fs_1.default.promises.stat(to)).size };
}
/** Copies the configuration and the binary into the run's backup directory. */
async function backupArtifacts(dir, paths) {
    const out = [];
    for (const kind of ['config', 'binary']) {
        const root = paths[kind];
        if (!root)
            continue;
        for (const rel of await filesOf(root)) {
            const source = rel ? node_path_1.default.join(root, rel) : root;
            const file = node_path_1.default.posix.join(kind, rel ? rel.split(node_path_1.default.sep).join('/') : node_path_1.default.basename(root));
            (0, tools_1.heartbeat)({ phase: 'artifacts', file });
            const mode = (await node_fs_1.default.promises.stat(source)).mode & 0o7777;
            const copied = await copyExact(source, node_path_1.default.join(dir, file), mode);
            out.push({ kind, source, file, ...copied, mode: mode.toString(8).padStart(4, '0') });
        }
    }
    return out;
}
/** Whether every artifact of the manifest is still in the backup with its size and sha256. */
async function artifactsIntact(dir, artifacts) {
    for (const a of artifacts) {
        const file = node_path_1.default.join(dir, a.file);
        const st = await node_fs_1.default.promises.stat(file).catch(() => null);
        if (!st || st.size !== a.bytes || (await (0, tools_1.sha256File)(file)) !== a.sha256)
            return false;
    }
    return true;
}
/**
 * Puts back every live file that differs from the backup (content or mode) or is missing,
 * atomically, with its mode. Idempotent: a second run finds everything unchanged. Files the
 * application's directory gained since the backup are left alone.
 */
async function restoreArtifacts(dir, artifacts) {
    const result = { restored: [], unchanged: [] };
    for (const a of artifacts) {
        (0, tools_1.heartbeat)({ phase: 'restore', file: a.file });
        const st = await node_fs_1.default.promises.stat(a.source).catch(() => null);
        const mode = parseInt(a.mode, 8);
        if (st && st.isFile() && (st.mode & 0o7777) === mode && (await (0, tools_1.sha256File)(a.source)) === a.sha256) {
            result.unchanged.push(a.source);
            continue;
        }
        const copied = await copyExact(node_path_1.default.join(dir, a.file), a.source, mode);
        if (copied.sha256 !== a.sha256)
            throw new errors_1.PreconditionError(`restoring ${a.source}: the backup copy ${a.file} does not match its sha256 any more`);
        result.restored.push(a.source);
    }
    return result;
}
//# sourceMappingURL=artifacts.js.map