"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.CaseRun = exports.admin = void 0;
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const pg_1 = __importDefault(require("pg"));
const yaml_1 = __importDefault(require("yaml"));
const client_1 = require("@temporalio/client");
const time_1 = require("@temporalio/common/lib/time");
const proto_1 = require("@temporalio/proto");
const names_1 = require("../../common/names");
const snapshot_1 = require("../helpers/snapshot");
const contract_1 = require("../helpers/contract");
const servers_1 = require("./servers");
const pg_2 = require("../helpers/pg");
const util_1 = require("./util");
const STARTED = proto_1.temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;
/** `fn` on a connection to the suite's own server. */
const admin = (fn) => (0, pg_2.withPgClient)(fn, servers_1.ADMIN_URL);
exports.admin = admin;
/**
 * One case's world: a fresh copy of the fixture database, its own task queue, worker processes,
 * the run (started through the CLI), and everything to undo at the end.
 */
class CaseRun {
    suite;
    name;
    result = { outcome: '-', data: '-', problems: [], notes: [] };
    workflowId;
    queue;
    dir;
    dbName;
    pool;
    before;
    workers = [];
    workerEnv = {};
    cleanups = [];
    connection;
    client;
    constructor(suite, name) {
        this.suite = suite;
        this.name = name;
        const tag = `${Date.now().toString(36)}`;
        this.workflowId = `faults-${name}-${tag}`;
        this.queue = `faults-${name}-${tag}`;
        this.dbName = `stp_faults_${name.replace(/[^a-z0-9]/g, '_')}`;
        this.dir = node_path_1.default.join(suite.tmp, name);
        node_fs_1.default.rmSync(this.dir, { recursive: true, force: true });
        node_fs_1.default.mkdirSync(this.dir, { recursive: true });
    }
    get url() {
        return (0, servers_1.dbUrl)(this.dbName);
    }
    get env() {
        return { TEMPORAL_ADDRESS: this.suite.temporal.address, STP_TASK_QUEUE: this.queue, STP_DATABASE_URL: this.url, STP_STATE_DIR: node_path_1.default.join(this.dir, 'state') };
    }
    problem(p) {
        this.result.problems.push(p);
    }
    t0 = Date.now();
    note(n) {
        this.result.notes.push(n);
        console.log(`  · [${String(Math.round((Date.now() - this.t0) / 1000)).padStart(3)} s] ${n}`);
    }
    onCleanup(what, fn) {
        this.cleanups.push({ what, fn });
    }
    /** A fresh copy of the fixture and the snapshot of it before the run. */
    async setup() {
        await (0, exports.admin)(async (c) => {
            await c.query(`drop database if exists "${this.dbName}" with (force)`);
            await c.query(`create database "${this.dbName}" template "${this.suite.template}"`);
        });
        this.pool = new pg_1.default.Pool({ connectionString: this.url, max: 3 });
        this.pool.on('error', () => undefined);
        this.onCleanup('database', async () => {
            await this.pool.end().catch(() => undefined);
            if (process.env.STP_FAULTS_KEEP !== '1')
                await (0, exports.admin)((c) => c.query(`drop database if exists "${this.dbName}" with (force)`));
        });
    }
    async snapshotBefore() {
        this.before = await (0, snapshot_1.snapshotDatabase)(this.pool);
    }
    async temporalClient() {
        if (!this.client) {
            this.connection = await client_1.Connection.connect({ address: this.suite.temporal.address });
            this.client = new client_1.Client({ connection: this.connection });
            this.onCleanup('temporal client', () => this.connection?.close());
        }
        return this.client;
    }
    async handle(id = this.workflowId) {
        return (await this.temporalClient()).workflow.getHandle(id);
    }
    async startWorker() {
        const w = await util_1.WorkerProcess.start({ ...this.env, ...this.workerEnv });
        if (this.workers.length === 0)
            this.onCleanup('workers', async () => {
                for (const x of this.workers)
                    await x.stop();
            });
        this.workers.push(w);
        return w;
    }
    /** `stp-upgrade start --plan FILE --workflow-id ID --json`. */
    async start(plan) {
        const file = node_path_1.default.join(this.dir, 'plan.yaml');
        node_fs_1.default.writeFileSync(file, yaml_1.default.stringify(plan));
        const r = await (0, util_1.cli)(['start', '--plan', file, '--workflow-id', this.workflowId, '--json'], this.env);
        if (r.code !== 0)
            throw new Error(`stp-upgrade start failed (${r.code}): ${r.stdout}${r.stderr}`);
        this.onCleanup('terminate the run if still open', async () => {
            for (const id of [this.workflowId, `${this.workflowId}-monitor`]) {
                const h = await this.handle(id);
                const d = await h.describe().catch(() => undefined);
                if (d?.status.name === 'RUNNING')
                    await h.terminate('fault suite cleanup').catch(() => undefined);
            }
        });
    }
    /** The progress query, or undefined within 2 s when no worker answers. */
    async progress() {
        try {
            const h = await this.handle();
            return await this.connection.withDeadline(Date.now() + 2000, () => h.query(names_1.QueryNames.progress));
        }
        catch {
            return undefined;
        }
    }
    /** Status name and pending activities (answered by the server, no worker needed). */
    async describe(id = this.workflowId) {
        try {
            const h = await this.handle(id);
            const d = await this.connection.withDeadline(Date.now() + 3000, () => h.describe());
            const activities = (d.raw.pendingActivities ?? []).map((a) => ({
                type: a.activityType?.name ?? '?',
                started: a.state === STARTED,
                lastStartedMs: (0, time_1.optionalTsToMs)(a.lastStartedTime),
                attempt: a.attempt ?? 0,
            }));
            return { status: d.status.name, activities };
        }
        catch {
            return undefined;
        }
    }
    async closed() {
        const d = await this.describe();
        return d !== undefined && d.status !== 'RUNNING';
    }
    /** Waits for a condition on the live run; fails when the run closes first. */
    async until(what, fn, timeoutMs = 150_000, everyMs = 150) {
        await (0, util_1.waitUntil)(what, async () => {
            if (await fn())
                return true;
            if (await this.closed())
                throw new Error(`the run closed before ${what}: the fault never hit`);
            return false;
        }, timeoutMs, everyMs);
    }
    async activityStarted(type) {
        const d = await this.describe();
        return d?.activities.some((a) => a.type === type && a.started) ?? false;
    }
    /**
     * Seconds from the fault until the run moves again: an activity (re)started after it (on a
     * worker alive to run it), the progress query shows a new step, step status or row count, the
     * monitor child ran a new check, or the run closed. Undefined after suite.stuckSeconds.
     */
    async waitRecovery(faultAt, baseline) {
        const key = (p) => p && JSON.stringify([p.step, p.phase, p.steps, Object.values(p.rules).map((r) => r?.done), p.compensations.length]);
        const base = key(baseline);
        const monitorBase = await this.monitorChecks();
        const deadline = faultAt + this.suite.stuckSeconds * 1000;
        while (Date.now() < deadline) {
            for (const id of [this.workflowId, `${this.workflowId}-monitor`]) {
                const d = await this.describe(id);
                if (id === this.workflowId && d && d.status !== 'RUNNING')
                    return (0, util_1.seconds)(Date.now() - faultAt);
                if (d?.activities.some((a) => a.started && (a.lastStartedMs ?? 0) > faultAt))
                    return (0, util_1.seconds)(Date.now() - faultAt);
            }
            if (this.workers.some((w) => w.alive)) {
                const p = await this.progress();
                if (p && base && key(p) !== base)
                    return (0, util_1.seconds)(Date.now() - faultAt);
                const checks = await this.monitorChecks();
                if (checks !== undefined && monitorBase !== undefined && checks > monitorBase)
                    return (0, util_1.seconds)(Date.now() - faultAt);
            }
            await (0, util_1.sleep)(250);
        }
        return undefined;
    }
    async monitorChecks() {
        try {
            const h = await this.handle(`${this.workflowId}-monitor`);
            const s = await this.connection.withDeadline(Date.now() + 2000, () => h.query(names_1.QueryNames.status));
            return s.checks;
        }
        catch {
            return undefined;
        }
    }
    /**
     * Records the recovery time and whether it is within the budget. A replacement worker that was
     * itself slow to start (bundling workflows on a busy machine) is not held against the run: the
     * bound is the budget or the worker's readiness + 3 s, whichever is later.
     */
    recovered(faultAt, rec, what, workerReadyS = 0) {
        if (rec === undefined) {
            this.result.outcome = 'stuck';
            this.problem(`stuck: no progress for ${this.suite.stuckSeconds} s after ${what}`);
            return;
        }
        this.result.recoverS = rec;
        this.note(`moving again ${rec} s after ${what}`);
        const bound = Math.max(this.suite.recoverBudget, workerReadyS + 3);
        if (rec > bound)
            this.problem(`recovered only ${rec} s after ${what} (bound ${bound} s${workerReadyS ? `; new worker ready at ${workerReadyS} s` : ''})`);
    }
    /** Lifts the small batches and throttle that made the copy long enough to be hit (the rest runs at speed). */
    async speedUp() {
        await (await this.handle()).signal(names_1.SignalNames.throttle, { batchSize: 5000, throttleMs: 0 }).catch(() => undefined);
    }
    /** `stp-upgrade abort`, for a stuck run: the case then checks the rollback. */
    async abort(reason) {
        const r = await (0, util_1.cli)(['abort', this.workflowId, '--reason', reason], this.env, 60_000);
        this.note(`abort: exit ${r.code} ${r.stdout.trim().split('\n')[0] ?? ''}`);
    }
    /**
     * Waits for the run to close, reads `stp-upgrade status ID --json`, and checks the data: a
     * completed run against the contract (and legacy tables untouched), a rolled-back one against
     * the snapshot taken before.
     */
    async finish(expect, timeoutMs = 240_000) {
        const closedBy = await (0, util_1.waitUntil)('the run to close', () => this.closed(), timeoutMs, 500).then(() => true, () => false);
        if (!closedBy) {
            const p = await this.progress();
            this.problem(`the run did not close within ${Math.round(timeoutMs / 1000)} s (phase ${p?.phase}, step ${p?.step})`);
            if (this.result.outcome === '-')
                this.result.outcome = `open (${p?.step ?? '?'})`;
            return;
        }
        const st = await (0, util_1.cli)(['status', this.workflowId, '--json'], this.env, 60_000);
        let phase = '?';
        let error = '';
        try {
            const j = JSON.parse(st.stdout);
            phase = j.phase;
            error = j.error ?? '';
        }
        catch {
            this.problem(`status --json did not print JSON (exit ${st.code}): ${st.stdout.slice(0, 300)} ${st.stderr.slice(0, 300)}`);
        }
        if (this.result.outcome === '-' || this.result.outcome === 'stuck')
            this.result.outcome = this.result.outcome === 'stuck' ? `stuck→${phase}` : phase;
        if (error)
            this.note(`run error: ${error.slice(0, 300)}`);
        if (phase !== expect && !this.result.outcome.startsWith('stuck'))
            this.problem(`the run ended ${phase}, expected ${expect}`);
        if (phase === 'completed')
            await this.checkCompleted();
        else
            await this.checkRolledBack();
    }
    async checkCompleted() {
        const problems = await (0, contract_1.checkContract)(this.pool, this.workflowId).catch((e) => [`contract check failed to run: ${e.message}`]);
        const after = await (0, snapshot_1.snapshotDatabase)(this.pool);
        const legacy = Object.keys(this.before.rows).filter((t) => /^public\.(texts|\w+_legacy)$|^knowledge_graph\./.test(t));
        for (const t of legacy)
            if (after.rows[t] !== this.before.rows[t])
                problems.push(`legacy table ${t} changed during the run`);
        this.result.data = problems.length === 0 ? 'contract ok' : 'CONTRACT DIFF';
        for (const p of problems)
            this.problem(p);
    }
    async checkRolledBack() {
        const after = await (0, snapshot_1.snapshotDatabase)(this.pool);
        const diffs = [];
        for (const key of Object.keys(this.before)) {
            if (key === 'rows') {
                const tables = new Set([...Object.keys(this.before.rows), ...Object.keys(after.rows)]);
                for (const t of tables)
                    if (this.before.rows[t] !== after.rows[t])
                        diffs.push(`rows of ${t}: ${this.before.rows[t] ?? 'absent'} -> ${after.rows[t] ?? 'absent'}`);
            }
            else {
                const a = new Set(this.before[key]);
                const b = new Set(after[key]);
                const added = [...b].filter((x) => !a.has(x));
                const removed = [...a].filter((x) => !b.has(x));
                if (added.length)
                    diffs.push(`${key} left behind: ${added.slice(0, 4).join(', ')}${added.length > 4 ? ` (+${added.length - 4})` : ''}`);
                if (removed.length)
                    diffs.push(`${key} missing: ${removed.slice(0, 4).join(', ')}`);
            }
        }
        this.result.data = diffs.length === 0 ? 'as before' : 'NOT AS BEFORE';
        for (const d of diffs.slice(0, 8))
            this.problem(`after rollback: ${d}`);
    }
    async dispose() {
        for (const c of this.cleanups.reverse()) {
            try {
                await c.fn();
            }
            catch (err) {
                console.log(`  · cleanup ${c.what}: ${err.message}`);
            }
        }
    }
}
exports.CaseRun = CaseRun;
//# sourceMappingURL=harness.js.map