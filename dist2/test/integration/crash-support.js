"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.sleep = void 0;
exports.worker = worker;
exports.taggedBackend = taggedBackend;
exports.pendingActivity = pendingActivity;
exports.nextAttemptStarted = nextAttemptStarted;
exports.startOwnPostgres = startOwnPostgres;
const node_child_process_1 = require("node:child_process");
const node_fs_1 = __importDefault(require("node:fs"));
const node_net_1 = __importDefault(require("node:net"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const proto_1 = require("@temporalio/proto");
const processes_1 = require("../helpers/processes");
const temporal_1 = require("../helpers/temporal");
const upgrade_support_1 = require("./upgrade-support");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
exports.sleep = sleep;
/** Starts `stp-upgrade worker` on a queue against one database; the caller stops it. */
function worker(queue, databaseUrl, env = {}) {
    return (0, processes_1.startWorkerProcess)({ TEMPORAL_ADDRESS: temporal_1.TEMPORAL_ADDRESS, STP_TASK_QUEUE: queue, STP_DATABASE_URL: databaseUrl, ...env });
}
/** The backend of a tagged session (application_name), when one runs a statement starting with `query`. */
async function taggedBackend(pool, tag, query = '') {
    const { rows } = await pool.query(`select pid, query from pg_stat_activity where application_name = $1 and state = 'active' and query ilike $2 || '%'`, [tag, query]);
    return rows[0];
}
/** The pending activity of a type, as the server sees it. */
async function pendingActivity(handle, type) {
    const d = await handle.describe();
    return d.raw.pendingActivities?.find((a) => a.activityType?.name === type);
}
/**
 * Waits until an attempt after `attempt` of the activity runs on a worker; returns when that was
 * seen. This is the moment the step resumed after a crash.
 */
async function nextAttemptStarted(handle, type, attempt, timeoutMs = 60_000) {
    let seenAt = 0;
    await (0, upgrade_support_1.waitFor)(`attempt ${attempt + 1} of ${type} to start`, async () => {
        const a = await pendingActivity(handle, type);
        if (a && (a.attempt ?? 0) > attempt && a.state === proto_1.temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED)
            return true;
        // A short retry can start and finish between two polls: then its started event is in the history.
        if (!a || (a.attempt ?? 0) > attempt) {
            const t = await laterAttemptStartedAt(handle, type, attempt);
            if (t)
                seenAt = Math.min(t, Date.now());
            return t !== undefined;
        }
        return false;
    }, timeoutMs, 100);
    return seenAt || Date.now();
}
/** When an attempt after `attempt` of the activity started, from the history (started events carry the attempt). */
async function laterAttemptStartedAt(handle, type, attempt) {
    const history = await handle.fetchHistory();
    const scheduled = new Map();
    let last;
    for (const e of history.events ?? []) {
        const id = String(e.eventId);
        if (e.activityTaskScheduledEventAttributes)
            scheduled.set(id, e.activityTaskScheduledEventAttributes.activityType?.name ?? '');
        const started = e.activityTaskStartedEventAttributes;
        if (started && scheduled.get(String(started.scheduledEventId)) === type && (started.attempt ?? 0) > attempt) {
            const at = e.eventTime?.seconds ? Number(e.eventTime.seconds) * 1000 + Math.floor((e.eventTime.nanos ?? 0) / 1e6) : Date.now();
            last = Math.max(last ?? 0, at);
        }
    }
    return last;
}
const PG_ROOT = process.env.STP_PG_ROOT ?? node_path_1.default.join(process.env.STP_CACHE ?? node_path_1.default.join(node_os_1.default.homedir(), '.cache', 'stp-upgrade'), 'trixie-root');
const PG_BIN = '/usr/lib/postgresql/17/bin';
function inRoot(script, user = 'postgres') {
    const r = (0, node_child_process_1.spawnSync)('chroot', [PG_ROOT, 'su', user, '-c', script], { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0)
        throw new Error(`in ${PG_ROOT}: ${script}\n${r.stdout}${r.stderr}`);
    return r.stdout;
}
async function freePort() {
    return new Promise((resolve, reject) => {
        const s = node_net_1.default.createServer();
        s.once('error', reject);
        s.listen(0, '127.0.0.1', () => {
            const { port } = s.address();
            s.close(() => resolve(port));
        });
    });
}
async function startOwnPostgres(name) {
    if (!node_fs_1.default.existsSync(node_path_1.default.join(PG_ROOT, PG_BIN.slice(1), 'pg_ctl')))
        throw new Error(`no PostgreSQL 17 in ${PG_ROOT}: run npm run install:servers`);
    const port = await freePort();
    const data = `/var/lib/stp-pg-${name}-${port}`;
    inRoot(`rm -rf ${data} && mkdir -p ${data} && chown postgres ${data}`, 'root');
    inRoot(`${PG_BIN}/initdb -D ${data} -A trust -U postgres >/dev/null`);
    node_fs_1.default.appendFileSync(node_path_1.default.join(PG_ROOT, data.slice(1), 'postgresql.conf'), `listen_addresses = '127.0.0.1'\nport = ${port}\nunix_socket_directories = ''\nmax_connections = 60\nshared_buffers = 64MB\nfsync = off\n`);
    const ctl = (args) => inRoot(`${PG_BIN}/pg_ctl -D ${data} -l ${data}/server.log -w -t 60 ${args} >/dev/null`);
    ctl('start');
    let stopped = false;
    return {
        port,
        url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
        restart: (mode) => ctl(`restart -m ${mode}`),
        stop: () => {
            if (stopped)
                return;
            stopped = true;
            try {
                ctl('stop -m immediate');
            }
            finally {
                inRoot(`rm -rf ${data}`, 'root');
            }
        },
    };
}
//# sourceMappingURL=crash-support.js.map