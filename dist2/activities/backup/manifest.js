"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.SUMS = exports.MANIFEST = void 0;
exports.runDirectory = runDirectory;
exports.writePrivateFile = writePrivateFile;
exports.sumsText = sumsText;
exports.readVerifiedManifest = readVerifiedManifest;
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const errors_1 = require("../../common/errors");
const artifacts_1 = require("./artifacts");
const tools_1 = require("./tools");
exports.MANIFEST = 'manifest.json';
exports.SUMS = 'SHA256SUMS';
const RUN_ID = /^[A-Za-z0-9_][A-Za-z0-9_.:@=+-]{0,199}$/;
/** The run's backup directory; the run id becomes a path component, so it must be one. */
function runDirectory(baseDir, runId) {
    if (!RUN_ID.test(runId) || runId.includes('..')) {
        throw new errors_1.BadInputError(`run id ${JSON.stringify(runId)} cannot name a backup directory (letters, digits, _ . : @ = + - only)`);
    }
    return node_path_1.default.join(node_path_1.default.resolve(baseDir), runId);
}
/** Writes a file atomically (temp + fsync + rename) with mode 0600. */
async function writePrivateFile(file, content) {
    const tmp = `${file}.tmp`;
    await node_fs_1.default.promises.rm(tmp, { force: true });
    const fh = await node_fs_1.default.promises.open(tmp, 'wx', 0o600);
    try {
        await fh.writeFile(content);
        await fh.sync();
    }
    finally {
        await fh.close();
    }
    await node_fs_1.default.promises.chmod(tmp, 0o600);
    await node_fs_1.default.promises.rename(tmp, file);
}
/** `sha256sum -c` compatible lines. */
function sumsText(files) {
    return files.map((f) => `${f.sha256}  ${f.file}\n`).join('');
}
/** The run's manifest when it is complete and every file it lists still has its size and sha256; else null. */
async function readVerifiedManifest(dir, runId) {
    let manifest;
    try {
        manifest = JSON.parse(await node_fs_1.default.promises.readFile(node_path_1.default.join(dir, exports.MANIFEST), 'utf8'));
    }
    catch {
        return null;
    }
    if (manifest.format !== 1 || manifest.run_id !== runId || !Array.isArray(manifest.files) || manifest.files.length === 0)
        return null;
    for (const f of manifest.files) {
        const file = node_path_1.default.join(dir, node_path_1.default.basename(f.file));
        const stat = await node_fs_1.default.promises.stat(file).catch(() => null);
        if (!stat || stat.size !== f.bytes)
            return null;
        const beat = (0, tools_1.throttled)(1000, (bytes) => (0, tools_1.heartbeat)({ phase: 'verify', file: f.file, bytes }));
        if ((await (0, tools_1.sha256File)(file, beat)) !== f.sha256)
            return null;
    }
    if (manifest.artifacts && !(await (0, artifacts_1.artifactsIntact)(dir, manifest.artifacts)))
        return null;
    return manifest;
}
//# sourceMappingURL=manifest.js.map