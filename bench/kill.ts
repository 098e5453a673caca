import type pg from 'pg';
import type { PlanInput } from '../common/plan';
import { runCliProcess, startWorkerProcess } from '../test/helpers/processes';
import { benchEnv, temporalClient, writePlanFile } from './tool-run';

/**
 * Time lost to a kill -9 of the worker mid-copy: the copy runs under worker A; once a few batches
 * of the chunks rule have committed, A is killed with SIGKILL. `restart`: a new worker process B
 * is started at once (as a supervisor would); `standby`: B was already polling the task queue (a
 * fleet of two). Lost = from the kill to the next committed batch, minus the usual time between
 * two batches. The run is terminated afterwards.
 */
export type KillMode = 'restart' | 'standby';

export interface KillFigures {
  mode: KillMode;
  lostMs: number;
  killToNextBatchMs: number;
  batchGapMs: number;
  restartMs: number;
}

async function batchTimes(pool: pg.Pool, workflowId: string): Promise<number[]> {
  const { rows } = await pool
    .query<{ at: Date }>(`select committed_at as at from stp_migration.batches where run_id = $1 and rule = 'chunks' order by batch_no`, [workflowId])
    .catch(() => ({ rows: [] as { at: Date }[] }));
  return rows.map((r) => r.at.getTime());
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function measureKill(db: { url: string; pool: pg.Pool }, plan: PlanInput, mode: KillMode, log: (l: string) => void): Promise<KillFigures> {
  const env = benchEnv(db.url);
  type W = Awaited<ReturnType<typeof startWorkerProcess>>;
  const workers: W[] = [await startWorkerProcess(env)];
  if (mode === 'standby') workers.push(await startWorkerProcess(env));
  const workflowId = `bench-kill-${Date.now()}`;
  const t = await temporalClient();
  try {
    const started = await runCliProcess(['start', '--plan', writePlanFile(plan), '--workflow-id', workflowId], env);
    if (started.code !== 0) throw new Error(`start failed: ${started.stdout}${started.stderr}`);
    for (let i = 0; (await batchTimes(db.pool, workflowId)).length < 5; i++) {
      if (i > 6000) throw new Error(`no copy batch committed within 10 minutes:\n${workers[0].output().slice(-2000)}`);
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
    if (mode === 'restart') workers.push(await startWorkerProcess(env));
    const survivor = workers[workers.length - 1] === victim ? workers[0] : workers[workers.length - 1];
    const restartMs = Date.now() - killedAt;
    let after: number[] = [];
    while (after.length === 0) {
      if (Date.now() - killedAt > 300_000) throw new Error(`the copy did not resume within 5 minutes:\n${survivor.output().slice(-2000)}`);
      await sleep(100);
      after = (await batchTimes(db.pool, workflowId)).filter((x) => x > killedAt);
    }
    const before = (await batchTimes(db.pool, workflowId)).filter((x) => x <= killedAt);
    const gaps = before.slice(1).map((x, i) => x - before[i]).sort((p, q) => p - q);
    const batchGapMs = gaps[Math.floor(gaps.length / 2)] ?? 0;
    const killToNextBatchMs = after[0] - killedAt;
    return { mode, lostMs: Math.max(0, killToNextBatchMs - batchGapMs), killToNextBatchMs, batchGapMs, restartMs };
  } finally {
    await t.client.workflow.getHandle(workflowId).terminate('bench: kill measured').catch(() => undefined);
    await t.close();
    for (const w of workers) await w.stop();
  }
}
