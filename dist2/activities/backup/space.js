"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.FS_TIMEOUT_MS = void 0;
exports.bounded = bounded;
exports.prepareBackupDir = prepareBackupDir;
exports.freeBytes = freeBytes;
exports.estimateDumpBytes = estimateDumpBytes;
exports.formatBytes = formatBytes;
exports.noSpace = noSpace;
exports.isNoSpace = isNoSpace;
exports.checkSpace = checkSpace;
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const errors_1 = require("../../common/errors");
const db_1 = require("../db");
/** How long one filesystem call on plan.backup.dir may take before the directory counts as hung. */
exports.FS_TIMEOUT_MS = 10_000;
/** statfs magic numbers of kernel pseudo filesystems: nothing written there is a backup. */
const PSEUDO_FS = {
    0x9fa0: 'proc', 0x62656572: 'sysfs', 0x27e0eb: 'cgroup', 0x63677270: 'cgroup2', 0x64626720: 'debugfs',
    0x74726163: 'tracefs', 0x73636673: 'securityfs', 0x1cd1: 'devpts', 0xcafe4a11: 'bpf', 0x6165676c: 'pstore',
    0x62656570: 'configfs', 0x65735543: 'fusectl', 0x19800202: 'mqueue', 0xde5e81e4: 'efivarfs',
    0x42494e4d: 'binfmt_misc', 0x6e736673: 'nsfs', 0x187: 'autofs',
};
/**
 * One filesystem call on the backup directory, bounded: a hung mount (a dead NFS server, a FUSE
 * daemon that stopped answering) must fail the activity quickly instead of holding it for hours.
 * The call itself may stay blocked in libuv's thread pool; the activity no longer waits for it.
 */
async function bounded(dir, what, op, ms = exports.FS_TIMEOUT_MS) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new errors_1.PreconditionError(`plan.backup.dir "${dir}": ${what} did not return within ${ms / 1000} s (a hung network or FUSE filesystem?)`)), ms);
    });
    try {
        return await Promise.race([op(), timeout]);
    }
    finally {
        clearTimeout(timer);
    }
}
/** Rethrows a timeout or a full disk as is (the caller knows the sizes), anything else as a PreconditionError naming the directory. */
const failed = (dir, what) => (err) => {
    if (err instanceof errors_1.PreconditionError || isNoSpace(err))
        throw err;
    throw new errors_1.PreconditionError(`plan.backup.dir "${dir}": ${what} failed (${err.message}); choose a writable directory on a regular filesystem`);
};
/**
 * Checks plan.backup.dir before anything is dumped: on a regular (not a kernel pseudo) filesystem,
 * creatable component by component (node's recursive mkdir loops forever under /proc) and writable.
 */
async function prepareBackupDir(dir) {
    const target = node_path_1.default.resolve(dir);
    let existing = target;
    const missing = [];
    for (;;) {
        const st = await bounded(dir, `stat of ${existing}`, () => node_fs_1.default.promises.stat(existing)).catch((err) => err.code === 'ENOENT' || err.code === 'ENOTDIR' ? null : failed(dir, `stat of ${existing}`)(err));
        if (st) {
            if (!st.isDirectory())
                throw new errors_1.PreconditionError(`plan.backup.dir "${dir}": ${existing} is not a directory`);
            break;
        }
        missing.unshift(existing);
        existing = node_path_1.default.dirname(existing);
    }
    const fsInfo = await bounded(dir, 'statfs', () => node_fs_1.default.promises.statfs(existing)).catch(failed(dir, 'statfs'));
    const pseudo = PSEUDO_FS[fsInfo.type];
    if (pseudo) {
        throw new errors_1.PreconditionError(`plan.backup.dir "${dir}" is on the kernel's ${pseudo} filesystem, where no file can be kept: choose a directory on a disk`);
    }
    for (const p of missing) {
        await bounded(dir, `mkdir ${p}`, () => node_fs_1.default.promises.mkdir(p, { mode: 0o700 })).catch((err) => err.code === 'EEXIST' ? undefined : failed(dir, `mkdir ${p}`)(err));
    }
    const probe = node_path_1.default.join(target, `.stp-write-probe-${process.pid}`);
    await bounded(dir, 'a test write', async () => {
        await node_fs_1.default.promises.writeFile(probe, 'probe\n', { mode: 0o600 });
        await node_fs_1.default.promises.rm(probe, { force: true });
    }).catch(failed(dir, 'a test write'));
}
/** Bytes available to the worker on the filesystem of dir. */
async function freeBytes(dir) {
    const s = await bounded(dir, 'statfs', () => node_fs_1.default.promises.statfs(node_path_1.default.resolve(dir)));
    return s.bavail * s.bsize;
}
/**
 * What the dump will need, estimated as the on-disk size of the dumped tables (heap and TOAST,
 * no indexes: pg_dump writes only their definitions). Compression usually makes the dump smaller;
 * the text form of vectors can make it larger, which the ENOSPC handling covers.
 */
async function estimateDumpBytes(pool, schema, tables) {
    const { rows } = await pool.query(`select coalesce(sum(pg_table_size(t::regclass)), 0)::text as n from unnest($1::text[]) t`, [tables.map((t) => (0, db_1.qualified)(schema, t))]);
    return Number(rows[0].n);
}
function formatBytes(n) {
    const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
    let v = n;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
        v /= 1024;
        i += 1;
    }
    return i === 0 ? `${n} bytes` : `${v.toFixed(1)} ${units[i]}`;
}
/** The out-of-space failure, the same text whether the estimate or the disk itself said so. */
function noSpace(dir, needed, free, during) {
    const what = during ? 'ran out of space during the dump' : 'has too little free space for the backup';
    return new errors_1.InsufficientSpaceError(`plan.backup.dir "${dir}" ${what}: about ${formatBytes(needed)} needed (the dumped tables' size), ${formatBytes(free)} free. ` +
        'Free space there or point plan.backup.dir at a larger filesystem, then start the run again.');
}
function isNoSpace(err) {
    const code = err?.code;
    return code === 'ENOSPC' || code === 'EDQUOT';
}
/** Fails before dumping when the filesystem of dir cannot hold the estimate. */
function checkSpace(dir, needed, free) {
    if (needed > free)
        throw noSpace(dir, needed, free, false);
}
//# sourceMappingURL=space.js.map