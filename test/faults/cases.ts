import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import type { PlanInput } from '../../common/plan';
import { CACHE_BIN } from '../integration/upgrade-support';
import type { CaseRun } from './harness';
import { checkServing, setupRelease, type ReleaseWorld } from './release';
import { postgres } from './servers';
import { seconds, sleep } from './util';

/**
 * The fault matrix of issue 8 item 7. Each case starts a run through the CLI, injects one fault
 * when the run is provably inside the step, and records how the run recovers and what the data is.
 */
export interface FaultCase {
  name: string;
  what: string;
  fast?: boolean;
  /** Hard bound on the whole case, setup and checks included. */
  deadlineS: number;
  run: (r: CaseRun) => Promise<void>;
}

/** Data steps with small batches so that each step lasts long enough to be hit. */
export function dataPlan(r: CaseRun, over: Partial<PlanInput> = {}): PlanInput {
  return {
    database: 'primary',
    steps: ['preflight', 'backup', 'schema', 'copy', 'embeddings', 'graph', 'verify'],
    copy: { batchSize: 5000 },
    defects: { policy: 'quarantine' },
    embeddings: { index: { kind: 'ivfflat', lists: 10 } },
    graph: { batchSize: 2000 },
    backup: { dir: path.join(r.dir, 'backup'), pgDump: path.join(CACHE_BIN, 'pg_dump'), pgRestore: path.join(CACHE_BIN, 'pg_restore'), testRestore: false },
    ...over,
  };
}

/** Small batches and a throttle: the chunks copy lasts long enough to be hit (speedUp() lifts it). */
const SLOW_COPY = { copy: { batchSize: 500, throttleMs: 60 } };

/** The release cases run the same data steps (they are not what those cases test). */
const quickDataPlan = (r: CaseRun): PlanInput => dataPlan(r);

async function checkpointBatches(pool: pg.Pool, rule: string): Promise<number> {
  const { rows } = await pool
    .query<{ b: number; f: boolean }>(`select batches::int as b, finished as f from stp_migration.checkpoints where rule = $1`, [rule])
    .catch(() => ({ rows: [] as { b: number; f: boolean }[] }));
  return rows[0] && !rows[0].f ? rows[0].b : -1;
}

/** A session of the test holding a lock a step needs: the step waits on it, provably inside. */
async function holdLock(r: CaseRun, sql: string): Promise<() => Promise<void>> {
  const c = await r.pool.connect();
  c.on('error', () => undefined); // a PostgreSQL restart cuts it: expected
  await c.query('begin');
  await c.query(sql);
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    await c.query('rollback').catch(() => undefined);
    c.release();
  };
  r.onCleanup('gate lock', release);
  return release;
}

/** True when a backend of the run waits for a lock on `table`. */
async function waitsOn(r: CaseRun, table: string): Promise<boolean> {
  const { rows } = await r.pool.query(
    `select 1 from pg_locks l join pg_class c on c.oid = l.relation where not l.granted and c.relname = $1 limit 1`, [table]);
  return rows.length > 0;
}

async function waitsOnAdvisory(r: CaseRun): Promise<boolean> {
  const { rows } = await r.pool.query(`select 1 from pg_locks where locktype = 'advisory' and not granted limit 1`);
  return rows.length > 0;
}

interface KillSpec {
  step: string;
  release?: { monitorSeconds: number };
  plan?: (r: CaseRun) => Partial<PlanInput>;
  /** Set up before the run starts (a gate); returns what to do right after the kill. */
  arm?: (r: CaseRun) => Promise<(() => Promise<void>) | undefined>;
  /** Resolves once the run is inside the step; returns what to do right after the kill. */
  reached: (r: CaseRun, world?: ReleaseWorld) => Promise<(() => Promise<void> | void) | void>;
}

/** kill -9 of the worker inside a step, a new worker 5 s later; the run must finish by itself. */
function killWorker(name: string, spec: KillSpec, fast = false): FaultCase {
  return {
    name,
    what: `kill -9 of the worker during ${spec.step}`,
    fast,
    deadlineS: spec.release ? 720 : 600,
    async run(r) {
      await r.setup();
      const world = spec.release ? await setupRelease(r, quickDataPlan(r)) : undefined;
      await r.snapshotBefore();
      const afterArm = await spec.arm?.(r);
      const w1 = await r.startWorker();
      await r.start(world ? { ...world.plan(spec.release!.monitorSeconds), ...spec.plan?.(r) } : dataPlan(r, spec.plan?.(r)));
      const afterReach = await spec.reached(r, world);
      const baseline = await r.progress();
      const at = Date.now();
      w1.kill9();
      r.note(`worker killed in ${baseline?.step ?? spec.step} (${JSON.stringify(baseline?.rules ?? {})})`);
      await afterArm?.();
      await afterReach?.();
      await sleep(5000);
      const w2 = await r.startWorker();
      const readyS = seconds(Date.now() - at);
      r.note(`new worker polling ${readyS} s after the kill (its start-up took ${seconds(w2.readyMs)} s)`);
      const rec = await r.waitRecovery(at, baseline);
      r.recovered(at, rec, `the kill in ${spec.step}`, readyS);
      await r.speedUp();
      if (rec === undefined) await r.abort(`fault suite: stuck in ${spec.step}`);
      await r.finish(rec === undefined ? 'rolled_back' : 'completed');
      if (world) await checkServing(r, world, r.result.outcome === 'completed' ? 'green' : 'blue');
    },
  };
}

const stepIs = (r: CaseRun, step: string) => r.until(`the run to reach ${step}`, async () => (await r.progress())?.step === step);
const activity = (r: CaseRun, type: string) => r.until(`activity ${type} to run`, () => r.activityStarted(type), 180_000, 100);

/** PostgreSQL restarted under the run; the worker is expected to live through it. */
function pgRestart(name: string, mode: 'fast' | 'immediate', step: 'copy' | 'verify', fast = false): FaultCase {
  return {
    name,
    what: `pg_ctl restart -m ${mode} during ${step}`,
    fast,
    deadlineS: 480,
    async run(r) {
      await r.setup();
      await r.snapshotBefore();
      const w1 = await r.startWorker();
      let gate: (() => Promise<void>) | undefined;
      await r.start(dataPlan(r, step === 'copy' ? SLOW_COPY : {}));
      if (step === 'copy') {
        await r.until('10 committed chunk batches', async () => (await checkpointBatches(r.pool, 'chunks')) >= 10, 180_000, 100);
      } else {
        await stepIs(r, 'graph');
        gate = await holdLock(r, 'lock table chunks_unified in access exclusive mode');
        await r.until('verify to wait on chunks_unified', () => waitsOn(r, 'chunks_unified'), 180_000, 100);
      }
      const baseline = await r.progress();
      const at = Date.now();
      postgres.restart(mode);
      await gate?.();
      r.note(`PostgreSQL restarted (-m ${mode}) in ${seconds(Date.now() - at)} s, during ${baseline?.step}`);
      await sleep(3000);
      if (!w1.alive) {
        const why = w1.tail(60).split('\n').filter((l) => /Unhandled|Error:|terminat/i.test(l)).slice(0, 2).join(' / ');
        r.problem(`the worker process exited after the restart (exit ${w1.exit?.code ?? w1.exit?.signal}): ${why.slice(0, 300)}`);
        r.result.outcome = 'worker died';
        await r.startWorker();
        r.note('started a new worker so that the run can finish and the data be checked');
      }
      const rec = await r.waitRecovery(at, baseline);
      r.recovered(at, rec, `the restart`, w1.alive ? 0 : seconds(Date.now() - at));
      await r.speedUp();
      if (rec === undefined) await r.abort(`fault suite: stuck after a PostgreSQL restart`);
      await r.finish(rec === undefined ? 'rolled_back' : 'completed');
      if (r.workers.every((w) => !w.alive)) r.problem('no worker alive at the end of the run');
    },
  };
}

export const CASES: FaultCase[] = [
  killWorker('kill-preflight', {
    step: 'preflight',
    arm: async (r) => holdLock(r, 'lock table chunks_legacy in access exclusive mode'),
    reached: async (r) => r.until('preflight to wait on chunks_legacy', () => waitsOn(r, 'chunks_legacy'), 120_000, 100),
  }),
  killWorker('kill-backup', {
    step: 'backup',
    plan: (r) => ({ backup: { ...dataPlan(r).backup, testRestore: true } }),
    reached: (r) => activity(r, 'backup').then(() => sleep(1000)),
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
      const { rows } = await r.pool.query(
        `select 1 from pg_stat_progress_create_index p join pg_class c on c.oid = p.index_relid
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
      fs.writeFileSync(path.join(world!.wrapperDir, 'hold-reload'), '');
      await r.until('nginx -s reload to hang in switchTraffic', async () => fs.existsSync(path.join(world!.wrapperDir, 'holding')), 240_000, 100);
      return () => fs.rmSync(path.join(world!.wrapperDir, 'hold-reload'), { force: true });
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
      r.note(`Temporal server killed and back after ${seconds(Date.now() - at)} s`);
      const rec = await r.waitRecovery(at, baseline);
      r.recovered(at, rec, 'the Temporal kill');
      await r.speedUp();
      if (!w.alive) r.problem(`the worker process exited when Temporal went away: ${w.tail(3)}`);
      if (rec === undefined) await r.abort('fault suite: stuck after a Temporal restart');
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
      const dir = path.join(r.dir, 'full');
      fs.mkdirSync(dir, { recursive: true });
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'stp-faults-full', dir]);
      r.onCleanup('umount the tmpfs', () => void execFileSync('umount', ['-l', dir]));
      await r.startWorker();
      const at = Date.now();
      await r.start(dataPlan(r, { backup: { ...dataPlan(r).backup, dir } }));
      await r.finish('rolled_back', 240_000);
      r.result.recoverS = seconds(Date.now() - at);
      const runDir = path.join(dir, r.workflowId);
      const files = fs.existsSync(runDir) ? fs.readdirSync(runDir) : [];
      r.note(`left in ${runDir}: ${files.join(', ') || 'nothing'}`);
      const marked = files.some((f) => /incomplete|partial|failed/i.test(f));
      const dumps = files.filter((f) => /\.dump$/.test(f));
      if (dumps.length > 0 && !marked) r.problem(`a truncated ${dumps.join(', ')} is left in ${runDir} with nothing marking it incomplete`);
      const st = r.result.notes.find((n) => n.startsWith('run error:')) ?? '';
      if (!/backup\.dir/.test(st)) r.problem('the error does not name plan.backup.dir');
    },
  },
  {
    name: 'nginx-reload-fails',
    what: 'nginx -s reload fails when switching to green: expect a clean rollback to blue',
    deadlineS: 600,
    async run(r) {
      await r.setup();
      const world = await setupRelease(r, quickDataPlan(r));
      await r.snapshotBefore();
      fs.writeFileSync(path.join(world.wrapperDir, 'fail-reload-green'), '');
      await r.startWorker();
      const at = Date.now();
      await r.start(world.plan(10));
      await r.finish('rolled_back', 420_000);
      r.result.recoverS = seconds(Date.now() - at);
      await checkServing(r, world, 'blue');
      const green = await fetchOk(`http://127.0.0.1:${world.ports.green}/api/v1/health`);
      if (green) r.problem('green still answers after the rollback');
    },
  },
];

async function fetchOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}
