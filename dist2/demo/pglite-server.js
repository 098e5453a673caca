"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.startEmbeddedPostgres = startEmbeddedPostgres;
const node_fs_1 = __importDefault(require("node:fs"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const node_worker_threads_1 = require("node:worker_threads");
/**
 * PGlite (PostgreSQL 18 in WASM, with pgvector and Apache AGE) served over the wire protocol on a
 * free loopback port, so the `pg` driver and every activity use it like a real server. One
 * backend serves all connections: session settings are shared and transactions are serialised.
 */
async function startEmbeddedPostgres(cleanup, opts) {
    const data = { port: 0, maxConnections: opts.maxConnections ?? 24, snapshot: snapshotPath(opts.env) };
    const worker = new node_worker_threads_1.Worker(node_path_1.default.join(__dirname, 'pglite-thread.js'), { workerData: data });
    let stopped;
    cleanup.add('embedded PostgreSQL (PGlite)', async () => {
        await new Promise((resolve) => {
            stopped = resolve;
            worker.postMessage({ type: 'stop' });
            setTimeout(resolve, 5000).unref();
        });
        await worker.terminate();
    });
    return new Promise((resolve, reject) => {
        worker.on('error', reject);
        worker.on('exit', (code) => reject(new Error(`the PGlite thread exited (${code}) before it was ready`)));
        worker.on('message', (msg) => {
            if (msg.type === 'ready') {
                resolve({ url: `postgres://postgres@127.0.0.1:${msg.port}/postgres`, port: msg.port, startMs: msg.ms, fromSnapshot: !!msg.fromSnapshot });
            }
            else if (msg.type === 'error')
                reject(new Error(`PGlite did not start: ${msg.message}`));
            else if (msg.type === 'stopped')
                stopped?.();
        });
    });
}
/** Cache of the initialised data directory, keyed by the PGlite and extension versions. */
function snapshotPath(env) {
    if (env.STP_DEMO_NO_SNAPSHOT)
        return undefined;
    const versions = ['@electric-sql/pglite', '@electric-sql/pglite-pgvector', '@electric-sql/pglite-age'].map(packageVersion);
    const cache = env.STP_CACHE ?? node_path_1.default.join(node_os_1.default.homedir(), '.cache', 'stp-upgrade');
    return node_path_1.default.join(cache, 'demo', `pglite-${versions.join('-')}.tar.gz`);
}
function packageVersion(name) {
    let dir = node_path_1.default.dirname(require.resolve(name));
    while (dir !== node_path_1.default.dirname(dir)) {
        const file = node_path_1.default.join(dir, 'package.json');
        if (node_fs_1.default.existsSync(file)) {
            const pkg = JSON.parse(node_fs_1.default.readFileSync(file, 'utf8'));
            if (pkg.name === name)
                return pkg.version ?? 'x';
        }
        dir = node_path_1.default.dirname(dir);
    }
    return 'x';
}
//# sourceMappingURL=pglite-server.js.map