"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.TemporalServer = exports.postgres = exports.ADMIN_URL = exports.PG_PORT = exports.CACHE = void 0;
exports.dbUrl = dbUrl;
const node_child_process_1 = require("node:child_process");
const node_fs_1 = __importDefault(require("node:fs"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const client_1 = require("@temporalio/client");
const temporal_1 = require("../helpers/temporal");
const processes_1 = require("../helpers/processes");
const support_1 = require("../release/support");
const util_1 = require("./util");
const search_attributes_1 = require("../../common/search-attributes");
/**
 * The fault suite's own servers, so it may kill and restart them without disturbing anyone:
 * a PostgreSQL instance (scripts/faults-pg.sh: own data directory and port in the shared Debian
 * root; it stays up between runs, like dev-up's) and a Temporal dev server persisted to its own
 * SQLite file (started per suite run, restartable with the same file so runs survive).
 */
exports.CACHE = node_path_1.default.join(process.env.STP_CACHE ?? node_path_1.default.join(node_os_1.default.homedir(), '.cache', 'stp-upgrade'), 'faults');
exports.PG_PORT = Number(process.env.STP_FAULTS_PG_PORT ?? 55442);
exports.ADMIN_URL = `postgres://postgres@127.0.0.1:${exports.PG_PORT}/postgres`;
const PG_SCRIPT = node_path_1.default.join(processes_1.REPO_ROOT, 'scripts', 'faults-pg.sh');
function dbUrl(database) {
    return `postgres://postgres@127.0.0.1:${exports.PG_PORT}/${database}`;
}
function pgScript(...args) {
    const r = (0, node_child_process_1.spawnSync)('bash', [PG_SCRIPT, ...args], { encoding: 'utf8', env: { ...process.env, STP_FAULTS_PG_PORT: String(exports.PG_PORT) } });
    if (r.status !== 0)
        throw new Error(`faults-pg.sh ${args.join(' ')} failed (${r.status}): ${r.stderr}${r.stdout}`);
}
exports.postgres = {
    up: () => pgScript('up'),
    /** `pg_ctl restart -m fast|immediate`: every connection is cut, the server is back when this returns. */
    restart: (mode) => pgScript('restart', mode),
};
/** One Temporal dev server on fixed ports for the whole suite run, killable and restartable. */
class TemporalServer {
    port;
    uiPort;
    pid;
    dbFile;
    log;
    constructor(port, uiPort) {
        this.port = port;
        this.uiPort = uiPort;
        this.dbFile = node_path_1.default.join(exports.CACHE, `temporal-${port}.sqlite`);
        this.log = node_path_1.default.join(exports.CACHE, `temporal-${port}.log`);
    }
    get address() {
        return `127.0.0.1:${this.port}`;
    }
    /** A fresh server (its SQLite file from a previous suite run is removed first). */
    static async start() {
        node_fs_1.default.mkdirSync(exports.CACHE, { recursive: true });
        const s = new TemporalServer(await (0, support_1.freePort)(), await (0, support_1.freePort)());
        for (const f of node_fs_1.default.readdirSync(exports.CACHE))
            if (f.startsWith(`temporal-${s.port}.sqlite`))
                node_fs_1.default.rmSync(node_path_1.default.join(exports.CACHE, f), { force: true });
        await s.launch();
        return s;
    }
    async launch() {
        const out = node_fs_1.default.openSync(this.log, 'a');
        // A guard shell leads the process group and holds a pipe from this process: when the suite dies
        // in any way (even SIGKILL), the pipe closes and the guard kills the server with its group.
        const guard = 'exec 3<&0; "$@" </dev/null & { read -r _ <&3; kill -KILL -- -$$; } & wait $!';
        const child = (0, node_child_process_1.spawn)('bash', ['-c', guard, 'stp-faults-temporal', (0, temporal_1.temporalCliPath)(), 'server', 'start-dev', '--ip', '127.0.0.1', '--port', String(this.port),
            '--ui-port', String(this.uiPort), '--headless', '--db-filename', this.dbFile, '--log-level', 'warn', ...(0, search_attributes_1.startDevSearchAttributeFlags)()], { detached: true, stdio: ['pipe', out, out] });
        child.stdin.on('error', () => undefined);
        node_fs_1.default.closeSync(out);
        child.unref();
        this.pid = child.pid;
        await (0, util_1.waitUntil)(`the Temporal dev server on ${this.address} (log ${this.log})`, () => this.healthy(), 60_000, 250);
    }
    async healthy() {
        try {
            const c = await client_1.Connection.connect({ address: this.address, connectTimeout: 1000 });
            try {
                await c.withDeadline(Date.now() + 1000, () => c.healthService.check({}));
                return true;
            }
            finally {
                await c.close();
            }
        }
        catch {
            return false;
        }
    }
    /** kill -9 of the server (and anything in its process group). */
    kill9() {
        if (this.pid)
            (0, util_1.killGroup)(this.pid, 'SIGKILL');
        this.pid = undefined;
    }
    async restart(downMs) {
        this.kill9();
        await (0, util_1.sleep)(downMs);
        await this.launch();
    }
    stop() {
        this.kill9();
    }
}
exports.TemporalServer = TemporalServer;
//# sourceMappingURL=servers.js.map