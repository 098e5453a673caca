"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const node_worker_threads_1 = require("node:worker_threads");
const pglite_1 = require("@electric-sql/pglite");
const pglite_age_1 = require("@electric-sql/pglite-age");
const pglite_pgvector_1 = require("@electric-sql/pglite-pgvector");
const pglite_socket_1 = require("@electric-sql/pglite-socket");
const pglite_queue_1 = require("./pglite-queue");
async function main() {
    const data = node_worker_threads_1.workerData;
    const started = Date.now();
    let db;
    let fromSnapshot = false;
    if (data.snapshot && node_fs_1.default.existsSync(data.snapshot)) {
        try {
            db = await pglite_1.PGlite.create({ extensions: { vector: pglite_pgvector_1.vector, age: pglite_age_1.age }, loadDataDir: new Blob([node_fs_1.default.readFileSync(data.snapshot)]) });
            fromSnapshot = true;
        }
        catch {
            node_fs_1.default.rmSync(data.snapshot, { force: true }); // unreadable: rebuild below
        }
    }
    db ??= await pglite_1.PGlite.create({ extensions: { vector: pglite_pgvector_1.vector, age: pglite_age_1.age } });
    await db.exec('create extension if not exists vector; create extension if not exists age;');
    if (data.snapshot && !fromSnapshot) {
        const blob = await db.dumpDataDir('gzip');
        const tmp = `${data.snapshot}.${process.pid}.tmp`;
        node_fs_1.default.mkdirSync(node_path_1.default.dirname(data.snapshot), { recursive: true });
        node_fs_1.default.writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
        node_fs_1.default.renameSync(tmp, data.snapshot);
    }
    const server = new pglite_socket_1.PGLiteSocketServer({ db, port: data.port, host: '127.0.0.1', maxConnections: data.maxConnections });
    // Without it, concurrent parameterised queries of different connections interleave.
    if (!(0, pglite_queue_1.keepExtendedQueriesWhole)(server, db))
        throw new Error('unexpected @electric-sql/pglite-socket internals: cannot serialise extended-protocol queries');
    await server.start();
    const port = Number(server.getServerConn().split(':').pop());
    node_worker_threads_1.parentPort.postMessage({ type: 'ready', port, ms: Date.now() - started, fromSnapshot });
    node_worker_threads_1.parentPort.on('message', (msg) => {
        if (msg.type !== 'stop')
            return;
        void (async () => {
            await server.stop().catch(() => undefined);
            await db.close().catch(() => undefined);
            node_worker_threads_1.parentPort.postMessage({ type: 'stopped' });
        })();
    });
}
main().catch((err) => node_worker_threads_1.parentPort.postMessage({ type: 'error', message: err.stack ?? err.message }));
//# sourceMappingURL=pglite-thread.js.map