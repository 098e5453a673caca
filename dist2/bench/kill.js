"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.measureKill = measureKill;
const processes_1 = require("../test/helpers/processes");
const tool_run_1 = require("./tool-run");
async function batchTimes(pool, workflowId) {
    const { rows } = await pool
        .query(`select committed_at as at from stp_migration.batches where run_id = $1 and rule = 'chunks' order by batch_no`, [workflowId])
        .catch(() => ({ rows: [] }));
    return rows.map((r) => r.at.getTime());
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function measureKill(db, plan, mode, log) {
    const env = (0, tool_run_1.benchEnv)(db.url);
    const workers = [await (0, processes_1.startWorkerProcess)(env)];
    if (mode === 'standby')
        workers.push(await (0, processes_1.startWorkerProcess)(env));
    const workflowId = `bench-kill-${Date.now()}`;
    const t = await (0, tool_run_1.temporalClient)();
    try {
        const started = await (0, processes_1.runCliProcess)(['start', '--plan', (0, tool_run_1.writePlanFile)(plan), '--workflow-id', workflowId], env);
        if (started.code !== 0)
            throw new Error(`start failed: ${started.stdout}${started.stderr}`);
        for (let i = 0; (await batchTimes(db.pool, workflowId)).length < 5; i++) {
            if (i > 6000)
                throw new Error(`no copy batch committed within 10 minutes:\n${workers[0].output().slice(-2000)}`);
            await sleep(100);
        }
        // the worker running the copy slice, by the identity (pid@host) Temporal recorded for it
        const running = async () => {
            const d = await t.client.workflow.getHandle(workflowId).describe();
            const act = d.raw.pendingActivities?.find((p) => p.activityType?.name === 'copySlice' && p.lastWorkerIdentity);
            const pid = Number(act?.lastWorkerIdentity?.split('@')[0]);
            return workers.find((w) => w.child.pid === pid);
        };
        let victim = await running();
        for (let i = 0; !victim && i < 100; i++) {
            await sleep(50);
            victim = await running();
        }
        victim ??= workers[0];
        const killedAt = Date.now();
        victim.child.kill('SIGKILL');
        log(`    kill -9 of worker pid ${victim.child.pid} mid-copy (${mode})`);
        if (mode === 'restart')
            workers.push(await (0, processes_1.startWorkerProcess)(env));
        const survivor = workers[workers.length - 1] === victim ? workers[0] : workers[workers.length - 1];
        const restartMs = Date.now() - killedAt;
        let after = [];
        while (after.length === 0) {
            if (Date.now() - killedAt > 300_000)
                throw new Error(`the copy did not resume within 5 minutes:\n${survivor.output().slice(-2000)}`);
            await sleep(100);
            after = (await batchTimes(db.pool, workflowId)).filter((x) => x > killedAt);
        }
        const before = (await batchTimes(db.pool, workflowId)).filter((x) => x <= killedAt);
        const gaps = before.slice(1).map((x, i) => x - before[i]).sort((p, q) => p - q);
        const batchGapMs = gaps[Math.floor(gaps.length / 2)] ?? 0;
        const killToNextBatchMs = after[0] - killedAt;
        return { mode, lostMs: Math.max(0, killToNextBatchMs - batchGapMs), killToNextBatchMs, batchGapMs, restartMs };
    }
    finally {
        await t.client.workflow.getHandle(workflowId).terminate('bench: kill measured').catch(() => undefined);
        await t.close();
        for (const w of workers)
            await w.stop();
    }
}
//# sourceMappingURL=kill.js.map