import { after, before } from 'node:test';
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import pg from 'pg';
import YAML from 'yaml';
import { generateFixtures, type FixtureOptions, type FixtureSummary } from '../../fixtures/generate';
import type { PlanInput } from '../../common/plan';
import { ADMIN_URL, createTestDatabase, urlFor, withPgClient } from '../helpers/pg';
import { REPO_ROOT, type startWorkerProcess } from '../helpers/processes';
import { TEMPORAL_ADDRESS } from '../helpers/temporal';

/** Shared by the end-to-end upgrade tests (upgrade-*.test.ts): fixture databases, clones, plans. */

export const CACHE_BIN = path.join(process.env.STP_CACHE ?? path.join(os.homedir(), '.cache', 'stp-upgrade'), 'bin');

/** The pg_dump/pg_restore wrappers of scripts/install.sh (installed on first use). */
export function pgTools(): { pgDump: string; pgRestore: string } {
  const pgDump = path.join(CACHE_BIN, 'pg_dump');
  const pgRestore = path.join(CACHE_BIN, 'pg_restore');
  if (!fs.existsSync(pgDump) || !fs.existsSync(pgRestore)) {
    const r = spawnSync('bash', [path.join(REPO_ROOT, 'scripts', 'install.sh')], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('scripts/install.sh failed');
  }
  return { pgDump, pgRestore };
}

export function randomQueue(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `stp-${prefix}-`));
}

export function writePlan(dir: string, name: string, plan: PlanInput): string {
  const file = path.join(dir, `${name}.yaml`);
  fs.writeFileSync(file, YAML.stringify(plan));
  return file;
}

export interface TestDb {
  name: string;
  url: string;
  pool: pg.Pool;
  drop: () => Promise<void>;
}

const admin = <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => withPgClient(fn);

function dbHandle(name: string): TestDb {
  const url = urlFor(name);
  const pool = new pg.Pool({ connectionString: url, max: 3 });
  pool.on('error', () => undefined);
  return {
    name,
    url,
    pool,
    drop: async () => {
      await pool.end().catch(() => undefined);
      await admin((c) => c.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

/**
 * Generates a fixture once into a template database (no connection is kept to it, so it can be
 * copied with `create database … template`, much faster than generating again).
 */
export async function fixtureTemplate(name: string, opts: FixtureOptions): Promise<{ template: string; summary: FixtureSummary; drop: () => Promise<void> }> {
  const db = await createTestDatabase(name);
  try {
    const summary = await generateFixtures(db.pool, opts);
    await db.pool.end();
    const template = new URL(db.url).pathname.slice(1);
    return { template, summary, drop: () => admin((c) => c.query(`drop database if exists "${template}" with (force)`)).then(() => undefined) };
  } catch (err) {
    await db.drop();
    throw err;
  }
}

/** A fresh copy of a template database. */
export async function cloneDatabase(template: string, name: string): Promise<TestDb> {
  const db = `${process.env.STP_TEST_DB_PREFIX ?? 'stp_test'}_${name}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  await admin(async (c) => {
    await c.query(`drop database if exists "${db}" with (force)`);
    await c.query(`create database "${db}" template "${template}"`);
  });
  return dbHandle(db);
}

type WorkerProcess = Awaited<ReturnType<typeof startWorkerProcess>>;

/**
 * The set-up of a test file that runs upgrades through worker processes: one fixture template,
 * a clone of it per name in `clones` (in that order in `dbs`; `db` is the first), a Temporal client,
 * and `workers` (what the tests start), stopped and dropped at the end.
 */
export function workerProcessSuite(template: string, fixture: FixtureOptions, clones: string[]): {
  readonly db: TestDb;
  readonly dbs: TestDb[];
  readonly client: Client;
  readonly workers: WorkerProcess[];
} {
  const dbs: TestDb[] = [];
  const workers: WorkerProcess[] = [];
  let dropTemplate: (() => Promise<void>) | undefined;
  let connection: Connection | undefined;
  let client: Client | undefined;
  before(async () => {
    const tpl = await fixtureTemplate(template, fixture);
    dropTemplate = tpl.drop;
    for (const name of clones) dbs.push(await cloneDatabase(tpl.template, name));
    connection = await Connection.connect({ address: TEMPORAL_ADDRESS });
    client = new Client({ connection });
  });
  after(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await connection?.close();
    for (const d of dbs) await d.drop();
    await dropTemplate?.();
  });
  return {
    get db() {
      return dbs[0];
    },
    dbs,
    get client() {
      if (!client) throw new Error('workerProcessSuite: the client exists once before() has run');
      return client;
    },
    workers,
  };
}

/** Polls until fn() is truthy; fails with `what` after timeoutMs. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The committed progress of one copy rule, from the copy engine's own checkpoint table. */
export async function checkpoint(pool: pg.Pool, rule: string): Promise<{ batches: number; finished: boolean } | undefined> {
  const { rows } = await pool
    .query<{ batches: number; finished: boolean }>(`select batches::int, finished from stp_migration.checkpoints where rule = $1`, [rule])
    .catch(() => ({ rows: [] as { batches: number; finished: boolean }[] }));
  return rows[0];
}

/** md5 of every row of a table, ordered by id. */
export async function tableMd5(pool: pg.Pool, table: string): Promise<string> {
  const { rows } = await pool.query<{ n: string; md5: string }>(
    `select count(*)::text as n, md5(string_agg(t::text, E'\\n' order by t.id)) as md5 from ${table} t`,
  );
  return `${rows[0].n} ${rows[0].md5}`;
}

/**
 * A worker inside the test process on `taskQueue`, running the real workflows with the given
 * activities (the real ones, wrapped to inject failures or watch calls), and a client of the
 * dev server. stop() shuts the worker down (waiting for it) and closes both connections.
 */
export async function startInProcessWorker(taskQueue: string, activities: object): Promise<{ client: Client; stop: () => Promise<void> }> {
  const native = await NativeConnection.connect({ address: TEMPORAL_ADDRESS });
  const worker = await Worker.create({ connection: native, taskQueue, workflowsPath: require.resolve('../../workflows'), activities });
  const running = worker.run().finally(() => native.close());
  const connection = await Connection.connect({ address: TEMPORAL_ADDRESS });
  return {
    client: new Client({ connection }),
    stop: async () => {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
