import type pg from 'pg';
import type { StepInput, VerifyReport } from '../common/steps';
import { cancelOnAbort, type Pools, withLongSession } from './db';
import { cancellationSignal, heartbeat, keepAliveAll } from './heartbeat';
import { hierarchyChecks } from './verify/checks';
import { remainingDigests, ruleChecksums, vectorSchemaOf } from './verify/checksums';
import { tablesOf, type VerifyCtx } from './verify/context';
import { quarantineByKind } from './verify/counts';
import { legacyPass } from './verify/legacy';
import { targetPass } from './verify/target';
import { verifyGraph } from './verify/graph';
import { beginSnapshot, pendingChanges, syncMark } from './verify/snapshot';
import { recordVerify } from './metrics';

/**
 * Which run's quarantine explains the legacy rows that were not migrated. Inside a run: that run.
 * Outside one (runId 'adhoc' or unknown): the latest run that was not rolled back, since its target
 * rows are the ones in place; said in a warning, so an operator knows which quarantine counted.
 */
async function quarantineRun(client: pg.PoolClient, runId: string): Promise<{ run: string | null; warning?: string }> {
  const { rows } = await client.query<{ reg: string | null }>(`select to_regclass('stp_migration.quarantine')::text as reg`);
  if (!rows[0].reg) return { run: null };
  const { rows: known } = await client.query<{ n: number }>(
    `select ((select count(*) from stp_migration.runs where run_id = $1) + (select count(*) from (select 1 from stp_migration.quarantine where run_id = $1 limit 1) q))::int as n`,
    [runId],
  );
  if (known[0].n > 0) return { run: runId };
  const { rows: latest } = await client.query<{ run_id: string }>(
    `select run_id from stp_migration.runs order by (status in ('rolled_back', 'rollback_failed')), started_at desc limit 1`,
  );
  const run = latest[0]?.run_id ?? '';
  return { run, warning: run ? `verify outside a run ("${runId}"): the quarantine of run "${run}", the latest, is counted` : `verify outside a run ("${runId}"): no run recorded, nothing counts as quarantined` };
}

async function missingTables(client: pg.PoolClient, names: string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const n of names) {
    const { rows } = await client.query<{ reg: string | null }>(`select to_regclass($1)::text as reg`, [n]);
    if (!rows[0].reg) missing.push(n);
  }
  return missing;
}

/**
 * ANALYZE the tables whose planner statistics are missing or stale (just loaded by the copy, before
 * autovacuum got to them): with none, the planner expects a handful of rows and picks nested loops
 * over the quarantine and the targets, which turns these scans quadratic. Statistics only: no row
 * changes, and ANALYZE blocks neither readers nor writers.
 */
async function refreshStatistics(client: pg.PoolClient, tables: string[]): Promise<void> {
  for (const table of tables) {
    const { rows } = await client.query<{ stale: boolean | null }>(
      `select (s.last_analyze is null and s.last_autoanalyze is null) or s.n_mod_since_analyze > 0.1 * greatest(c.reltuples, 1000) as stale
         from pg_class c join pg_stat_user_tables s on s.relid = c.oid where c.oid = to_regclass($1)`,
      [table],
    );
    if (rows[0]?.stale) await client.query(`analyze ${table}`);
  }
}

/**
 * A second session reading the same snapshot as `client` (exported and imported, so every number
 * of the report still comes from one moment), tagged like it so a retry's clean-up ends it too.
 * Undefined when the server refuses (no free connection is waited for long: the pool's clients
 * may all be busy), and verify runs on one session.
 */
async function openTwin(pool: pg.Pool, client: pg.PoolClient): Promise<{ client: pg.PoolClient; close: () => Promise<void> } | undefined> {
  const { rows } = await client.query<{ snap: string; tag: string }>(`select pg_export_snapshot() as snap, current_setting('application_name') as tag`);
  let twin: pg.PoolClient | undefined;
  try {
    const connecting = pool.connect();
    let timer: NodeJS.Timeout | undefined;
    twin = await Promise.race([
      connecting,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          connecting.then((late) => late.release(), () => undefined);
          reject(new Error('no free connection'));
        }, TWIN_CONNECT_MS);
      }),
    ]).finally(() => clearTimeout(timer));
    await twin.query(`select set_config('application_name', $1, false)`, [rows[0].tag]);
    await twin.query(`begin isolation level repeatable read, read only`);
    await twin.query(`set transaction snapshot '${rows[0].snap.replace(/'/g, "''")}'`);
    await twin.query(`set local timezone = 'UTC'; set local jit = off`);
  } catch {
    twin?.release(true);
    return undefined;
  }
  const c = twin;
  return {
    client: c,
    close: async () => {
      const ok = await c.query('rollback; reset application_name').then(() => true, () => false);
      c.release(!ok);
    },
  };
}

const TWIN_CONNECT_MS = 5000;

/** Both results; on a failure, the first error once the other lane has ended too (its session is then idle and can be closed). */
async function both<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b]);
  if (ra.status === 'rejected') throw ra.reason;
  if (rb.status === 'rejected') throw rb.reason;
  return [ra.value, rb.value];
}

export function createVerifyActivities({ pools }: { pools: Pools }) {
  return keepAliveAll({
    /**
     * Contract section 5. Read-only (one REPEATABLE READ READ ONLY transaction: every number comes
     * from the same snapshot), callable at any time, also outside a run. `ok` is false with a
     * reason in `problems` for any lost, doubled or changed row; `missing_embeddings` and deep
     * hierarchies are warnings, as in the runbook. Heartbeats throughout and is simply redone
     * after a crash (an earlier attempt's scan still running is terminated first); cancellation
     * cancels the statement in the server.
     */
    async verify({ runId, plan }: StepInput): Promise<VerifyReport> {
      const pool = pools.get(plan.database);
      const started = Date.now();
      return withLongSession(pool, { runId, activity: 'verify', signal: cancellationSignal() }, async (client) => {
        await refreshStatistics(client, [...Object.values(tablesOf(plan)), 'stp_migration.quarantine']);
        const held = await beginSnapshot(pool, client, runId, plan);
        // A second session in the same snapshot takes half the statements (on a server that runs one
        // transaction at a time, none: everything runs on this one).
        const twin = plan.sync.replayUnderHold === 'holding-connection' ? undefined : await openTwin(pool, client);
        const stopTwin = twin ? cancelOnAbort(pool, twin.client, cancellationSignal()) : () => undefined;
        try {
          // Scans with rough row estimates (agtype, jsonb): JIT compiling costs more than it saves.
          await client.query(`set local timezone = 'UTC'; set local jit = off`);
          // The planner prices a row md5 at almost nothing, so it never hands the scans that compute
          // them to parallel workers; they are the bulk of the cost. Only this session's statements.
          await client.query(`set local parallel_tuple_cost = 0.0001`);
          const report = await buildReport(client, twin?.client, runId, plan);
          const pending = await pendingChanges(client, runId);
          if (pending) report.pending = pending;
          const mark = await syncMark(client, runId);
          if (mark !== undefined) report.syncMark = mark;
          if (held) report.warnings.push(held);
          recordVerify(Date.now() - started, report.ok);
          return report;
        } finally {
          stopTwin();
          await twin?.close();
          await client.query('rollback');
        }
      });
    },
  });
}

async function embeddingRows(ctx: VerifyCtx): Promise<number> {
  const { rows } = await ctx.client.query<{ n: number }>(`select count(*)::int as n from ${ctx.t.targetEmbeddings}`);
  return rows[0].n;
}

async function buildReport(client: pg.PoolClient, twin: pg.PoolClient | undefined, runId: string, plan: StepInput['plan']): Promise<VerifyReport> {
  const report: VerifyReport = {
    ok: false,
    runId,
    at: new Date().toISOString(),
    legacy: {},
    target: {},
    quarantine: {},
    checks: { orphaned_chunks: 0, invalid_template_refs: 0, missing_embeddings: 0, cycles: 0, deep_hierarchies: 0, invalid_metadata: 0 },
    checksums: [],
    graph: { skipped: true, reason: 'not verified' },
    problems: [],
    warnings: [],
  };
  const beat = (what: string) => heartbeat({ verify: what });
  const q = await quarantineRun(client, runId);
  if (q.warning) report.warnings.push(q.warning);
  const t = tablesOf(plan);
  const missing = await missingTables(client, Object.values(t));
  if (q.run === null) report.problems.push('stp_migration does not exist: no run has migrated this database');
  if (missing.length) report.problems.push(`missing tables: ${missing.join(', ')}`);
  if (report.problems.length) return report;
  const ctx: VerifyCtx = { client, plan, quarantineRun: q.run ?? '', t };

  // Few passes: one per legacy table (counts and the legacy side of rules 1-3), one over the
  // target (counts per kind, the target side of rules 1-5, the shape checks) and its anti joins,
  // the tag rows once (rules 4 and 5), rule 6 on both sides, and the hierarchy walk. Two lanes:
  // the passes (parallel scans) here, the walk and the aggregates that cannot run in parallel
  // workers (ordered aggregates, a recursive walk) on the twin session, at the same time.
  const withEmbeddings = plan.steps.includes('embeddings');
  const vectorSchema = await vectorSchemaOf(ctx);
  const passes = async () => {
    beat('legacy tables');
    const l = await legacyPass(ctx);
    beat('target');
    return { legacy: l, target: await targetPass(ctx), quarantine: await quarantineByKind(ctx) };
  };
  const walks = async (c: VerifyCtx) => {
    beat('hierarchy');
    const tree = await hierarchyChecks(c);
    return { tree, rest: await remainingDigests(c, vectorSchema, beat) };
  };
  const [a, b] = twin ? await both(passes(), walks({ ...ctx, client: twin })) : [await passes(), await walks(ctx)];
  const { counts: legacy, digests: source } = a.legacy;
  if (!withEmbeddings) delete legacy[plan.legacy.embeddings];
  const { target } = a;
  const { rest } = b;
  report.quarantine = a.quarantine;
  report.checks = { ...target.checks, ...b.tree };
  const targetDigests = { ...target.digests, ...rest.target };
  report.checksums = ruleChecksums({ ...source, ...rest.source }, targetDigests);
  report.target = { ...target.counts, embeddings: rest.target.embeddings?.n ?? (await embeddingRows(ctx)) };
  if (!withEmbeddings) report.warnings.push('embeddings: not in plan.steps, not verified');

  beat('graph');
  if (plan.steps.includes('graph')) {
    const g = await verifyGraph(ctx);
    report.graph = g.graph;
    Object.assign(report.target, g.target);
    if (g.checksum) report.checksums.push(g.checksum);
    report.problems.push(...g.problems);
    report.warnings.push(...g.warnings);
    for (const [k, v] of Object.entries(g.legacy)) legacy[k] = { ...v, both: 0 };
    for (const kind of ['vertices', 'edges'] as const) {
      const c = g.graph[kind];
      if (c && c.source !== c.target) report.problems.push(`graph: ${c.source} legacy ${kind} to migrate but ${c.target} in "${plan.graph.target}"`);
    }
  } else {
    report.graph = { skipped: true, reason: 'graph is not in plan.steps' };
  }

  for (const [table, c] of Object.entries(legacy)) {
    report.legacy[table] = { rows: c.rows, migrated: c.migrated, quarantined: c.quarantined };
    if (c.rows !== c.migrated + c.quarantined) {
      report.problems.push(`${table}: ${c.rows} legacy rows but ${c.migrated} migrated + ${c.quarantined} quarantined`);
    }
    if (c.both > 0) report.problems.push(`${table}: ${c.both} rows are both migrated and quarantined`);
  }
  for (const c of report.checksums) {
    if (!c.match) {
      report.problems.push(`checksum mismatch for rule ${c.rule}: legacy ${c.rows.source} rows (${c.source}) vs target ${c.rows.target} rows (${c.target})`);
    }
  }
  const ch = report.checks;
  if (ch.orphaned_chunks) report.problems.push(`${ch.orphaned_chunks} orphaned chunks (parent_chunk_id not in ${plan.target.chunks})`);
  if (ch.invalid_template_refs) report.problems.push(`${ch.invalid_template_refs} invalid template references`);
  if (ch.cycles) report.problems.push(`${ch.cycles} chunks on or below a parent cycle`);
  if (ch.invalid_metadata) report.problems.push(`${ch.invalid_metadata} rows with invalid metadata`);
  if (ch.missing_embeddings) report.warnings.push(`${ch.missing_embeddings} chunks without embeddings`);
  if (ch.deep_hierarchies) report.warnings.push(`${ch.deep_hierarchies} hierarchies deeper than 15 levels`);
  report.ok = report.problems.length === 0;
  return report;
}
