"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_path_1 = __importDefault(require("node:path"));
const activity_1 = require("@temporalio/activity");
const client_1 = require("@temporalio/client");
const common_1 = require("@temporalio/common");
const worker_1 = require("@temporalio/worker");
const activities_1 = require("../../activities");
const names_1 = require("../../common/names");
const databases_1 = require("../../workers/databases");
const full_disk_1 = require("../helpers/full-disk");
const processes_1 = require("../helpers/processes");
const temporal_1 = require("../helpers/temporal");
const snapshot_1 = require("../helpers/snapshot");
const bookkeeping_1 = require("../../activities/bookkeeping");
const upgrade_support_1 = require("./upgrade-support");
const injections = new Map();
/** Plan database name -> its test database; the database state when the injected failure struck. */
const testDbs = new Map();
const atFailure = new Map();
const dbEnv = {};
const pools = new databases_1.EnvPools(dbEnv);
const taskQueue = (0, upgrade_support_1.randomQueue)('upgrade-rollback');
const cliEnv = { TEMPORAL_ADDRESS: temporal_1.TEMPORAL_ADDRESS, STP_TASK_QUEUE: taskQueue };
let template;
let dropTemplate;
let dir;
let stopWorker;
let client;
function injected(name) {
    return common_1.ApplicationFailure.nonRetryable(`injected failure in ${name}`, 'InjectedFailure');
}
/** Fails the nth matching call before it runs (`when: 'before'`) or after it has done its work. */
function fail(activity, opts = {}) {
    let calls = 0;
    return async (name, input, call) => {
        if (name !== activity || !(opts.match?.(input) ?? true))
            return call();
        calls += 1;
        if (calls !== (opts.nth ?? 1))
            return call();
        if ((opts.when ?? 'after') === 'after')
            await call();
        const db = testDbs.get(input.plan.database);
        if (db)
            atFailure.set(db.name, await (0, snapshot_1.snapshotDatabase)(db.pool));
        throw injected(name);
    };
}
function both(a, b) {
    return (name, input, call) => a(name, input, () => b(name, input, call));
}
(0, node_test_1.before)(async () => {
    worker_1.Runtime.install({ logger: new worker_1.DefaultLogger('ERROR') });
    const tpl = await (0, upgrade_support_1.fixtureTemplate)('upgrade_rb_tpl', { chunks: 3000, dim: 8, defects: true, seed: 5 });
    template = tpl.template;
    dropTemplate = tpl.drop;
    dir = (0, upgrade_support_1.tempDir)('upgrade-rollback');
    const real = (0, activities_1.createActivities)({ pools, resolveUrl: (db) => pools.url(db), stateRoot: node_path_1.default.join(dir, 'state'), env: dbEnv });
    const activities = Object.fromEntries(Object.entries(real).map(([name, fn]) => [
        name,
        (input) => {
            const inject = injections.get(activity_1.Context.current().info.workflowExecution?.workflowId ?? "");
            return inject ? inject(name, input, () => fn(input)) : fn(input);
        },
    ]));
    ({ client, stop: stopWorker } = await (0, upgrade_support_1.startInProcessWorker)(taskQueue, activities));
});
(0, node_test_1.after)(async () => {
    await stopWorker?.();
    await pools.close();
    await dropTemplate?.();
});
let seq = 0;
/** A fresh copy of the fixture, its snapshot, and a plan for it that the worker resolves. */
async function scenario(label, copy = { batchSize: 200 }) {
    const name = `rb_${label}`;
    const db = await (0, upgrade_support_1.cloneDatabase)(template, `upgrade_${name}`);
    dbEnv[`STP_DATABASE_URL_${name.toUpperCase()}`] = db.url;
    testDbs.set(name, db);
    const tools = (0, upgrade_support_1.pgTools)();
    const plan = {
        database: name,
        copy,
        defects: { policy: 'quarantine' },
        backup: { dir: node_path_1.default.join(dir, 'backup', name), pgDump: tools.pgDump, pgRestore: tools.pgRestore, testRestore: false },
        graph: { batchSize: 500 },
    };
    const before = await (0, snapshot_1.snapshotDatabase)(db.pool);
    return { db, plan, before, workflowId: `upgrade-rb-${label}-${Date.now()}-${++seq}` };
}
async function failureOf(handle) {
    const err = await handle.result().then(() => undefined, (e) => e);
    strict_1.default.ok(err instanceof client_1.WorkflowFailedError, `the run failed (${String(err)})`);
    return err;
}
async function assertRolledBack(handle, db, before, phase = 'rolled_back') {
    const progress = await handle.query(names_1.QueryNames.progress);
    strict_1.default.equal(progress.phase, phase, progress.error);
    for (const c of progress.compensations)
        strict_1.default.equal(c.status, 'done', `compensation ${c.step}: ${c.error ?? ''}`);
    (0, snapshot_1.assertSnapshotsEqual)(await (0, snapshot_1.snapshotDatabase)(db.pool), before, `after ${progress.error}`);
    return progress;
}
/** `status ID --json` of a rolled-back run: phase rolled_back, exit 1, and when, why and by what. */
async function assertStatusRolledBack(workflowId, trigger, reason) {
    const r = await (0, processes_1.runCliProcess)(['status', workflowId, '--json'], cliEnv, 30_000);
    strict_1.default.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
    const out = JSON.parse(r.stdout);
    strict_1.default.equal(out.phase, 'rolled_back');
    strict_1.default.ok(out.rolledBack, r.stdout);
    strict_1.default.equal(out.rolledBack.trigger, trigger);
    strict_1.default.match(out.rolledBack.reason, reason);
    const at = Date.parse(out.rolledBack.at);
    strict_1.default.ok(at > Date.now() - 5 * 60_000 && at <= Date.now(), `rolled back at ${out.rolledBack.at}`);
    const text = await (0, processes_1.runCliProcess)(['status', workflowId], cliEnv, 30_000);
    strict_1.default.match(text.stdout, new RegExp(`Rolled back at ${out.rolledBack.at} by \\S+ \\(${trigger}\\): `));
}
const bookkeepingExists = async (db) => (await db.pool.query(`select 1 from pg_namespace where nspname = 'stp_migration'`)).rowCount === 1;
/** [label, injection, the step that fails, whether the database had changed when it failed]. */
const CASES = [
    ['preflight', fail('preflight', { when: 'before' }), 'preflight', false],
    ['acquire', fail('acquireRun', { when: 'before' }), 'preflight', false],
    ['backup', fail('backup'), 'backup', true],
    ['schema', fail('createTargetSchema'), 'schema', true],
    ['quarantine', fail('quarantineDefects'), 'copy', true],
    ['copy', fail('copySlice', { nth: 3 }), 'copy', true],
    ['finish', fail('finishTargetSchema'), 'embeddings', true],
    ['vector_index', fail('buildVectorIndex'), 'embeddings', true],
    ['prepare_graph', fail('prepareGraph'), 'graph', true],
    ['graph_copy', fail('copySlice', { match: (i) => i.rule === 'graph' }), 'graph', true],
    ['verify', fail('verify', { when: 'before' }), 'verify', true],
    ['release', fail('releaseRun', { when: 'before', match: (i) => i.status === 'completed' }), 'verify', true],
];
(0, node_test_1.describe)('a failure at each step rolls everything back', { concurrency: 2 }, () => {
    for (const [label, inject, step, changed] of CASES) {
        (0, node_test_1.test)(`failure in ${label}: the database is as before the run`, { timeout: 90_000 }, async () => {
            const s = await scenario(label);
            try {
                injections.set(s.workflowId, inject);
                const handle = await client.workflow.start(names_1.WorkflowTypes.upgrade, { taskQueue, workflowId: s.workflowId, args: [s.plan], workflowExecutionTimeout: '2 minutes' });
                const err = await failureOf(handle);
                strict_1.default.match(String(err.cause?.message), /injected failure/);
                // A failed preflight has nothing to undo: the run ends as blocked (exit 2), not rolled back.
                const p = await assertRolledBack(handle, s.db, s.before, label === 'preflight' ? 'blocked' : 'rolled_back');
                strict_1.default.match(p.error ?? '', new RegExp(`^${step}: injected failure`));
                const mid = atFailure.get(s.db.name);
                strict_1.default.ok(mid, 'the injected failure struck');
                if (changed)
                    strict_1.default.notDeepEqual(mid, s.before, 'the run had changed the database when it failed');
                else
                    strict_1.default.deepEqual(mid, s.before);
            }
            finally {
                await s.db.drop();
            }
        });
    }
});
/** Starts a run whose chunks copy is slow enough to be interrupted, and waits until it has committed batches. */
async function startSlowCopy(label) {
    const s = await scenario(label, { batchSize: 100, throttleMs: 250 });
    const handle = await client.workflow.start(names_1.WorkflowTypes.upgrade, { taskQueue, workflowId: s.workflowId, args: [s.plan], workflowExecutionTimeout: '2 minutes' });
    await (0, upgrade_support_1.waitFor)('committed chunk batches', async () => ((await (0, upgrade_support_1.checkpoint)(s.db.pool, 'chunks'))?.batches ?? 0) >= 3, 60_000, 50);
    return { ...s, handle };
}
(0, node_test_1.test)('the snapshot notices a changed byte, a new index and a leftover schema', async () => {
    const db = await (0, upgrade_support_1.cloneDatabase)(template, 'upgrade_rb_snapshot');
    try {
        let prev = await (0, snapshot_1.snapshotDatabase)(db.pool);
        const changes = [
            [`update texts set title = title || ' ' where id = (select id from texts order by id limit 1)`, /rows differ/],
            [`create index texts_title on texts (title)`, /relations differ/],
            [`create schema stp_migration`, /schemas differ/],
        ];
        for (const [sql, what] of changes) {
            await db.pool.query(sql);
            const next = await (0, snapshot_1.snapshotDatabase)(db.pool);
            strict_1.default.throws(() => (0, snapshot_1.assertSnapshotsEqual)(next, prev), what, sql);
            prev = next;
        }
    }
    finally {
        await db.drop();
    }
});
(0, node_test_1.describe)('stopping a run during the copy', { concurrency: 2 }, () => {
    (0, node_test_1.test)('abort from the CLI: the compensations run, the database is as before', { timeout: 90_000 }, async () => {
        const s = await startSlowCopy('abort');
        try {
            const r = await (0, processes_1.runCliProcess)(['abort', s.workflowId, '--reason', 'test'], cliEnv, 30_000);
            strict_1.default.equal(r.code, 0, r.stderr);
            const err = await failureOf(s.handle);
            strict_1.default.match(String(err.cause?.message), /aborted by the operator: test/);
            const p = await assertRolledBack(s.handle, s.db, s.before);
            strict_1.default.ok(p.compensations.length >= 3, JSON.stringify(p.compensations));
            await assertStatusRolledBack(s.workflowId, 'abort', /^copy: aborted by the operator: test$/);
        }
        finally {
            await s.db.drop();
        }
    });
    (0, node_test_1.test)('stp-upgrade rollback of the open run: it rolls itself back, status names the rollback', { timeout: 90_000 }, async () => {
        const s = await startSlowCopy('rollback_open');
        try {
            const r = await (0, processes_1.runCliProcess)(['rollback', s.workflowId, '--reason', 'bad numbers'], cliEnv, 80_000);
            strict_1.default.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
            strict_1.default.match(r.stdout, /was aborted and rolled itself back/);
            await assertRolledBack(s.handle, s.db, s.before);
            await assertStatusRolledBack(s.workflowId, 'rollback', /^copy: aborted by the operator: bad numbers$/);
        }
        finally {
            await s.db.drop();
        }
    });
    (0, node_test_1.test)('workflow cancellation: the compensations run, the database is as before', { timeout: 90_000 }, async () => {
        const s = await startSlowCopy('cancel');
        try {
            await s.handle.cancel();
            const err = await failureOf(s.handle);
            strict_1.default.ok(err.cause instanceof common_1.CancelledFailure, String(err.cause));
            const p = await assertRolledBack(s.handle, s.db, s.before);
            strict_1.default.ok(p.compensations.length >= 3, JSON.stringify(p.compensations));
            await assertStatusRolledBack(s.workflowId, 'cancellation', /^workflow cancelled$/);
        }
        finally {
            await s.db.drop();
        }
    });
});
(0, node_test_1.test)('a compensation that fails: phase rollback_failed, status shows it, start --wait exits 3', { timeout: 90_000 }, async () => {
    const s = await scenario('comp_fails');
    try {
        injections.set(s.workflowId, both(fail('copySlice', { nth: 2 }), fail('dropTargetSchema', { when: 'before' })));
        const planFile = (0, upgrade_support_1.writePlan)(dir, 'comp-fails', s.plan);
        const start = await (0, processes_1.runCliProcess)(['start', '--plan', planFile, '--workflow-id', s.workflowId, '--wait', '--json'], cliEnv, 80_000);
        strict_1.default.equal(start.code, 3, `${start.stdout}\n${start.stderr}`);
        strict_1.default.equal(JSON.parse(start.stdout).phase, 'rollback_failed');
        const status = await (0, processes_1.runCliProcess)(['status', s.workflowId, '--json'], cliEnv, 30_000);
        strict_1.default.equal(status.code, 3, status.stderr);
        const out = JSON.parse(status.stdout);
        strict_1.default.equal(out.phase, 'rollback_failed');
        strict_1.default.match(out.error, /rollback failed at schema\.dropTargetSchema/);
        const failed = out.progress.compensations.find((c) => c.status === 'failed');
        strict_1.default.equal(failed?.step, 'schema.dropTargetSchema');
        const { rows } = await s.db.pool.query(`select status from stp_migration.runs where run_id = $1`, [s.workflowId]);
        strict_1.default.deepEqual(rows, [{ status: 'rollback_failed' }]);
    }
    finally {
        await s.db.drop();
    }
});
(0, node_test_1.test)('a failed step: status says rolled_back, when and why', { timeout: 90_000 }, async () => {
    const s = await scenario('status_failure');
    try {
        injections.set(s.workflowId, fail('createTargetSchema'));
        const handle = await client.workflow.start(names_1.WorkflowTypes.upgrade, { taskQueue, workflowId: s.workflowId, args: [s.plan], workflowExecutionTimeout: '2 minutes' });
        await failureOf(handle);
        await assertRolledBack(handle, s.db, s.before);
        await assertStatusRolledBack(s.workflowId, 'failure', /^schema: injected failure in createTargetSchema$/);
    }
    finally {
        await s.db.drop();
    }
});
(0, node_test_1.describe)('stp-upgrade rollback ID of a completed run', { concurrency: 2 }, () => {
    (0, node_test_1.test)('leaves the database as before the run, stp_migration included; status says rolled_back', { timeout: 120_000 }, async () => {
        const s = await scenario('rollback_id');
        try {
            const handle = await client.workflow.start(names_1.WorkflowTypes.upgrade, { taskQueue, workflowId: s.workflowId, args: [s.plan], workflowExecutionTimeout: '2 minutes' });
            await handle.result();
            strict_1.default.ok(await bookkeepingExists(s.db), 'the run created stp_migration');
            const r = await (0, processes_1.runCliProcess)(['rollback', s.workflowId, '--reason', 'search latency'], cliEnv, 90_000);
            strict_1.default.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
            strict_1.default.match(r.stdout, /reverted: .*schema\.dropTargetSchema, preflight\.forgetRun/);
            (0, snapshot_1.assertSnapshotsEqual)(await (0, snapshot_1.snapshotDatabase)(s.db.pool), s.before, 'after stp-upgrade rollback');
            await assertStatusRolledBack(s.workflowId, 'rollback', /^search latency$/);
            const again = await (0, processes_1.runCliProcess)(['rollback', s.workflowId], cliEnv, 30_000);
            strict_1.default.equal(again.code, 0, again.stderr);
            strict_1.default.match(again.stdout, /already rolled back \(.* by .*-rollback: search latency\)/);
        }
        finally {
            await s.db.drop();
        }
    });
    (0, node_test_1.test)('keeps an stp_migration that existed before the run, without a trace of the run', { timeout: 120_000 }, async () => {
        const s = await scenario('rollback_id_kept');
        try {
            // an earlier, finished run left the bookkeeping schema behind
            await (0, bookkeeping_1.ensureBookkeeping)(s.db.pool);
            await s.db.pool.query(`insert into stp_migration.runs (run_id, status, finished_at) values ('earlier-run', 'completed', now())`);
            const before = await (0, snapshot_1.snapshotDatabase)(s.db.pool);
            const handle = await client.workflow.start(names_1.WorkflowTypes.upgrade, { taskQueue, workflowId: s.workflowId, args: [s.plan], workflowExecutionTimeout: '2 minutes' });
            await handle.result();
            const r = await (0, processes_1.runCliProcess)(['rollback', s.workflowId], cliEnv, 90_000);
            strict_1.default.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
            (0, snapshot_1.assertSnapshotsEqual)(await (0, snapshot_1.snapshotDatabase)(s.db.pool), before, 'after stp-upgrade rollback');
            await assertStatusRolledBack(s.workflowId, 'rollback', /^emergency rollback \(.*-rollback\)$/);
        }
        finally {
            await s.db.drop();
        }
    });
});
(0, node_test_1.describe)('a full disk during the backup', { concurrency: 1 }, () => {
    /** The backup's attempts as the history records them (a retried activity's Started event carries its attempt). */
    async function backupAttempts(handle) {
        const { events } = await handle.fetchHistory();
        const scheduled = new Map();
        const attempts = [];
        for (const e of events ?? []) {
            const sch = e.activityTaskScheduledEventAttributes;
            if (sch)
                scheduled.set(String(e.eventId), sch.activityType?.name ?? '');
            const st = e.activityTaskStartedEventAttributes;
            if (st && scheduled.get(String(st.scheduledEventId)) === 'backup')
                attempts.push(st.attempt ?? 0);
        }
        return attempts;
    }
    const cases = [
        ['too small from the start', '64k', () => undefined, /has too little free space for the backup/],
        // another process takes every free block just as pg_dump starts
        ['filled during the dump', '16m', (mnt) => (0, full_disk_1.wrapTool)(dir, (0, upgrade_support_1.pgTools)().pgDump, `dd if=/dev/zero of="${mnt}/filler" bs=64k 2>/dev/null || true`), /ran out of space during the dump/],
    ];
    for (const [label, size, pgDump, what] of cases) {
        (0, node_test_1.test)(`${label}: one attempt, rolled back, no file left that looks like a backup`, { timeout: 90_000 }, async () => {
            const s = await scenario(`full_${size}`);
            const disk = (0, full_disk_1.mountTmpfs)(size);
            try {
                const tool = pgDump(disk.dir);
                const plan = { ...s.plan, backup: { ...s.plan.backup, dir: disk.dir, ...(tool ? { pgDump: tool } : {}) } };
                const handle = await client.workflow.start(names_1.WorkflowTypes.upgrade, { taskQueue, workflowId: s.workflowId, args: [plan], workflowExecutionTimeout: '2 minutes' });
                const err = await failureOf(handle);
                const message = String(err.cause?.message);
                strict_1.default.match(message, new RegExp(`^backup: plan\\.backup\\.dir "${disk.dir}" `));
                strict_1.default.match(message, what);
                strict_1.default.match(message, /about \d+(\.\d)? (KiB|MiB) needed \(the dumped tables' size\), \d+(\.\d)? (bytes|KiB|MiB) free/);
                strict_1.default.deepEqual(await backupAttempts(handle), [1], 'out of space is not retried');
                await assertRolledBack(handle, s.db, s.before);
                strict_1.default.deepEqual((0, full_disk_1.filesUnder)(disk.dir).filter((f) => f !== 'filler'), []);
            }
            finally {
                disk.unmount();
                await s.db.drop();
            }
        });
    }
});
//# sourceMappingURL=upgrade-rollback.test.js.map