"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.CASES = void 0;
exports.dataPlan = dataPlan;
const node_child_process_1 = require("node:child_process");
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const upgrade_support_1 = require("../integration/upgrade-support");
const release_1 = require("./release");
const servers_1 = require("./servers");
const util_1 = require("./util");
/** Data steps with small batches so that each step lasts long enough to be hit. */
function dataPlan(r, over = {}) {
    return {
        database: 'primary',
        steps: ['preflight', 'backup', 'schema', 'copy', 'embeddings', 'graph', 'verify'],
        copy: { batchSize: 5000 },
        defects: { policy: 'quarantine' },
        embeddings: { index: { kind: 'ivfflat', lists: 10 } },
        graph: { batchSize: 2000 },
        backup: { dir: node_path_1.default.join(r.dir, 'backup'), pgDump: node_path_1.default.join(upgrade_support_1.CACHE_BIN, 'pg_dump'), pgRestore: node_path_1.default.join(upgrade_support_1.CACHE_BIN, 'pg_restore'), testRestore: false },
        ...over,
    };
}
/** Small batches and a throttle: the chunks copy lasts long enough to be hit (speedUp() lifts it). */
const SLOW_COPY = { copy: { batchSize: 500, throttleMs: 60 } };
/** The release cases run the same data steps (they are not what those cases test). */
const quickDataPlan = (r) => dataPlan(r);
async function checkpointBatches(pool, rule) {
    const { rows } = await pool
        .query(`select batches::int as b, finished as f from stp_migration.checkpoints where rule = $1`, [rule])
        .catch(() => ({ rows: [] }));
    return rows[0] && !rows[0].f ? rows[0].b : -1;
}
/** A session of the test holding a lock a step needs: the step waits on it, provably inside. */
async function holdLock(r, sql) {
    const c = await r.pool.connect();
    c.on('error', () => undefined); // a PostgreSQL restart cuts it: expected
    await c.query('begin');
    await c.query(sql);
    let released = false;
    const release = async () => {
        if (released)
            return;
        released = true;
        await c.query('rollback').catch(() => undefined);
        c.release();
    };
    r.onCleanup('gate lock', release);
    return release;
}
/** True when a backend of the run waits for a lock on `table`. */
async function waitsOn(r, table) {
    const { rows } = await r.pool.query(`select 1 from pg_locks l join pg_class c on c.oid = l.relation where not l.granted and c.relname = $1 limit 1`, [table]);
    return rows.length > 0;
}
async function waitsOnAdvisory(r) {
    const { rows } = await r.pool.query(`select 1 from pg_locks where locktype = 'advisory' and not granted limit 1`);
    return rows.length > 0;
}
/** kill -9 of the worker inside a step, a new worker 5 s later; the run must finish by itself. */
function killWorker(name, spec, fast = false) {
    return {
        name,
        what: `kill -9 of the worker during ${spec.step}`,
        fast,
        deadlineS: spec.release ? 720 : 600,
        async run(r) {
            await r.setup();
            const world = spec.release ? await (0, release_1.setupRelease)(r, quickDataPlan(r)) : undefined;
            await r.snapshotBefore();
            const afterArm = await spec.arm?.(r);
            const w1 = await r.startWorker();
            await r.start(world ? { ...world.plan(spec.release.monitorSeconds), ...spec.plan?.(r) } : dataPlan(r, spec.plan?.(r)));
            const afterReach = await spec.reached(r, world);
            const baseline = await r.progress();
            const at = Date.now();
            w1.kill9();
            r.note(`worker killed in ${baseline?.step ?? spec.step} (${JSON.stringify(baseline?.rules ?? {})})`);
            await afterArm?.();
            await afterReach?.();
            await (0, util_1.sleep)(5000);
            const w2 = await r.startWorker();
            const readyS = (0, util_1.seconds)(Date.now() - at);
            r.note(`new worker polling ${readyS} s after the kill (its start-up took ${(0, util_1.seconds)(w2.readyMs)} s)`);
            const rec = await r.waitRecovery(at, baseline);
            r.recovered(at, rec, `the kill in ${spec.step}`, readyS);
            await r.speedUp();
            if (rec === undefined)
                await r.abort(`fault suite: stuck in ${spec.step}`);
            await r.finish(rec === undefined ? 'rolled_back' : 'completed');
            if (world)
                await (0, release_1.checkServing)(r, world, r.result.outcome === 'completed' ? 'green' : 'blue');
        },
    };
}
const stepIs = (r, step) => r.until(`the run to reach ${step}`, async () => (await r.progress())?.step === step);
const activity = (r, type) => r.until(`activity ${type} to run`, () => r.activityStarted(type), 180_000, 100);
/** PostgreSQL restarted under the run; the worker is expected to live through it. */
function pgRestart(name, mode, step, fast = false) {
    return {
        name,
        what: `pg_ctl restart -m ${mode} during ${step}`,
        fast,
        deadlineS: 480,
        async run(r) {
            await r.setup();
            await r.snapshotBefore();
            const w1 = await r.startWorker();
            let gate;
            await r.start(dataPlan(r, step === 'copy' ? SLOW_COPY : {}));
            if (step === 'copy') {
                await r.until('10 committed chunk batches', async () => (await checkpointBatches(r.pool, 'chunks')) >= 10, 180_000, 100);
            }
            else {
                await stepIs(r, 'graph');
                gate = await holdLock(r, 'lock table chunks_unified in access exclusive mode');
                await r.until('verify to wait on chunks_unified', () => waitsOn(r, 'chunks_unified'), 180_000, 100);
            }
            const baseline = await r.progress();
            const at = Date.now();
            servers_1.postgres.restart(mode);
            await gate?.();
            r.note(`PostgreSQL restarted (-m ${mode}) in ${(0, util_1.seconds)(Date.now() - at)} s, during ${baseline?.step}`);
            await (0, util_1.sleep)(3000);
            if (!w1.alive) {
                const why = w1.tail(60).split('\n').filter((l) => /Unhandled|Error:|terminat/i.test(l)).slice(0, 2).join(' / ');
                r.problem(`the worker process exited after the restart (exit ${w1.exit?.code ?? w1.exit?.signal}): ${why.slice(0, 300)}`);
                r.result.outcome = 'worker died';
                await r.startWorker();
                r.note('started a new worker so that the run can finish and the data be checked');
            }
            const rec = await r.waitRecovery(at, baseline);
            r.recovered(at, rec, `the restart`, w1.alive ? 0 : (0, util_1.seconds)(Date.now() - at));
            await r.speedUp();
            if (rec === undefined)
                await r.abort(`fault suite: stuck after a PostgreSQL restart`);
            await r.finish(rec === undefined ? 'rolled_back' : 'completed');
            if (r.workers.every((w) => !w.alive))
                r.problem('no worker alive at the end of the run');
        },
    };
}
exports.CASES = [
    killWorker('kill-preflight', {
        step: 'preflight',
        arm: async (r) => holdLock(r, 'lock table chunks_legacy in access exclusive mode'),
        reached: async (r) => r.until('preflight to wait on chunks_legacy', () => waitsOn(r, 'chunks_legacy'), 120_000, 100),
    }),
    killWorker('kill-backup', {
        step: 'backup',
        plan: (r) => ({ backup: { ...dataPlan(r).backup, testRestore: true } }),
        reached: (r) => activity(r, 'backup').then(() => (0, util_1.sleep)(1000)),
    }),
    killWorker('kill-schema', {
        step: 'schema',
        arm: async (r) => holdLock(r, `select pg_advisory_xact_lock(hashtextextended('stp-upgrade:schema:public.chunks_unified', 0))`),
        reached: async (r) => r.until('createTargetSchema to wait on its advisory lock', () => waitsOnAdvisory(r), 180_000, 100),
    }),
    killWorker('kill-copy', {
        step: 'copy',
        plan: () => SLOW_COPY,
        reached: (r) => r.until('10 committed chunk batches', async () => (await checkpointBatches(r.pool, 'chunks')) >= 10, 180_000, 100),
    }, true),
    killWorker('kill-embeddings-index', {
        step: 'embeddings (vector index build)',
        plan: () => ({ embeddings: { index: { kind: 'hnsw', m: 16, efConstruction: 96 } } }),
        reached: (r) => r.until('the vector index build', async () => {
            const { rows } = await r.pool.query(`select 1 from pg_stat_progress_create_index p join pg_class c on c.oid = p.index_relid
          join pg_am a on a.oid = c.relam where a.amname in ('hnsw', 'ivfflat')`);
            return rows.length > 0;
        }, 240_000, 100),
    }),
    killWorker('kill-graph', {
        step: 'graph',
        plan: () => ({ graph: { batchSize: 500 }, copy: { batchSize: 5000, throttleMs: 30 } }),
        reached: (r) => r.until('3 committed graph batches', async () => (await checkpointBatches(r.pool, 'graph')) >= 3, 240_000, 100),
    }),
    killWorker('kill-verify', {
        step: 'verify',
        reached: async (r) => {
            await stepIs(r, 'graph');
            const release = await holdLock(r, 'lock table chunks_unified in access exclusive mode');
            await r.until('verify to wait on chunks_unified', () => waitsOn(r, 'chunks_unified'), 240_000, 100);
            return release;
        },
    }),
    killWorker('kill-deploy', { step: 'deploy', release: { monitorSeconds: 10 }, reached: (r) => activity(r, 'deployGreen') }),
    killWorker('kill-switch', {
        step: 'switch',
        release: { monitorSeconds: 10 },
        reached: async (r, world) => {
            node_fs_1.default.writeFileSync(node_path_1.default.join(world.wrapperDir, 'hold-reload'), '');
            await r.until('nginx -s reload to hang in switchTraffic', async () => node_fs_1.default.existsSync(node_path_1.default.join(world.wrapperDir, 'holding')), 240_000, 100);
            return () => node_fs_1.default.rmSync(node_path_1.default.join(world.wrapperDir, 'hold-reload'), { force: true });
        },
    }),
    killWorker('kill-monitor', {
        step: 'monitor',
        release: { monitorSeconds: 40 },
        reached: (r) => r.until('two monitoring checks', async () => ((await r.monitorChecks()) ?? 0) >= 2, 240_000, 250),
    }),
    pgRestart('pg-restart-fast-copy', 'fast', 'copy', true),
    pgRestart('pg-restart-immediate-copy', 'immediate', 'copy'),
    pgRestart('pg-restart-fast-verify', 'fast', 'verify'),
    pgRestart('pg-restart-immediate-verify', 'immediate', 'verify'),
    {
        name: 'temporal-restart',
        what: 'kill -9 of the Temporal server mid-copy, restarted 5 s later on the same SQLite file',
        deadlineS: 420,
        async run(r) {
            await r.setup();
            await r.snapshotBefore();
            const w = await r.startWorker();
            await r.start(dataPlan(r, SLOW_COPY));
            await r.until('10 committed chunk batches', async () => (await checkpointBatches(r.pool, 'chunks')) >= 10, 180_000, 100);
            const baseline = await r.progress();
            const at = Date.now();
            await r.suite.temporal.restart(5000);
            r.note(`Temporal server killed and back after ${(0, util_1.seconds)(Date.now() - at)} s`);
            const rec = await r.waitRecovery(at, baseline);
            r.recovered(at, rec, 'the Temporal kill');
            await r.speedUp();
            if (!w.alive)
                r.problem(`the worker process exited when Temporal went away: ${w.tail(3)}`);
            if (rec === undefined)
                await r.abort('fault suite: stuck after a Temporal restart');
            await r.finish(rec === undefined ? 'rolled_back' : 'completed');
        },
    },
    {
        name: 'backup-disk-full',
        what: 'backup.dir on a 1 MB tmpfs: expect a clean rollback and no dump that looks complete',
        deadlineS: 300,
        async run(r) {
            await r.setup();
            await r.snapshotBefore();
            const dir = node_path_1.default.join(r.dir, 'full');
            node_fs_1.default.mkdirSync(dir, { recursive: true });
            (0, node_child_process_1.execFileSync)('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'stp-faults-full', dir]);
            r.onCleanup('umount the tmpfs', () => void (0, node_child_process_1.execFileSync)('umount', ['-l', dir]));
            await r.startWorker();
            const at = Date.now();
            await r.start(dataPlan(r, { backup: { ...dataPlan(r).backup, dir } }));
            await r.finish('rolled_back', 240_000);
            r.result.recoverS = (0, util_1.seconds)(Date.now() - at);
            const runDir = node_path_1.default.join(dir, r.workflowId);
            const files = node_fs_1.default.existsSync(runDir) ? node_fs_1.default.readdirSync(runDir) : [];
            r.note(`left in ${runDir}: ${files.join(', ') || 'nothing'}`);
            const marked = files.some((f) => /incomplete|partial|failed/i.test(f));
            const dumps = files.filter((f) => /\.dump$/.test(f));
            if (dumps.length > 0 && !marked)
                r.problem(`a truncated ${dumps.join(', ')} is left in ${runDir} with nothing marking it incomplete`);
            const st = r.result.notes.find((n) => n.startsWith('run error:')) ?? '';
            if (!/backup\.dir/.test(st))
                r.problem('the error does not name plan.backup.dir');
        },
    },
    {
        name: 'nginx-reload-fails',
        what: 'nginx -s reload fails when switching to green: expect a clean rollback to blue',
        deadlineS: 600,
        async run(r) {
            await r.setup();
            const world = await (0, release_1.setupRelease)(r, quickDataPlan(r));
            await r.snapshotBefore();
            node_fs_1.default.writeFileSync(node_path_1.default.join(world.wrapperDir, 'fail-reload-green'), '');
            await r.startWorker();
            const at = Date.now();
            await r.start(world.plan(10));
            await r.finish('rolled_back', 420_000);
            r.result.recoverS = (0, util_1.seconds)(Date.now() - at);
            await (0, release_1.checkServing)(r, world, 'blue');
            const green = await fetchOk(`http://127.0.0.1:${world.ports.green}/api/v1/health`);
            if (green)
                r.problem('green still answers after the rollback');
        },
    },
];
async function fetchOk(url) {
    try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
        return res.ok;
    }
    catch {
        return false;
    }
}
//# sourceMappingURL=cases.js.map