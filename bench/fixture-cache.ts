import pg from 'pg';
import { generateFixtures } from '../fixtures/generate';
import { ADMIN_URL, urlFor, withPgClient } from '../test/helpers/pg';

/**
 * Bench fixtures kept between runs as template databases, one per size, seed and dimension
 * (`stp_bench_tpl_<chunks>_s<seed>_d<dim>`): generating 1M chunks takes minutes, copying a
 * template database seconds. A template is generated under a `_partial` name and renamed once
 * complete, so an interrupted generation is never reused.
 */
export interface FixtureKey {
  chunks: number;
  seed: number;
  dim: number;
}

export const admin = <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => withPgClient(fn);

export const templateName = (k: FixtureKey) => `stp_bench_tpl_${k.chunks}_s${k.seed}_d${k.dim}`;

async function exists(name: string): Promise<boolean> {
  return admin(async (c) => (await c.query(`select 1 from pg_database where datname = $1`, [name])).rowCount === 1);
}

/** The template database of `k`, generated (with every defect kind, no graph) unless it exists. */
export async function ensureTemplate(k: FixtureKey, log: (l: string) => void): Promise<{ name: string; generatedMs: number | null }> {
  const name = templateName(k);
  if (await exists(name)) return { name, generatedMs: null };
  const partial = `${name}_partial`;
  await admin(async (c) => {
    await c.query(`drop database if exists "${partial}" with (force)`);
    await c.query(`create database "${partial}"`);
  });
  const pool = new pg.Pool({ connectionString: urlFor(partial), max: 2 });
  pool.on('error', () => undefined);
  const started = Date.now();
  try {
    await pool.query(`set client_min_messages = warning; create extension if not exists vector; create extension if not exists age`);
    await generateFixtures(pool, { chunks: k.chunks, dim: k.dim, seed: k.seed, defects: true, graph: false, log: (l) => log(`  fixture ${k.chunks}: ${l}`) });
  } finally {
    await pool.end();
  }
  await admin((c) => c.query(`alter database "${partial}" rename to "${name}"`));
  return { name, generatedMs: Date.now() - started };
}

/** A fresh copy of a template; `drop` removes it. */
export async function cloneTemplate(template: string, name: string): Promise<{ name: string; url: string; pool: pg.Pool; drop: () => Promise<void> }> {
  const db = `${process.env.STP_TEST_DB_PREFIX ?? 'stp_bench'}_${name}`;
  await admin(async (c) => {
    await c.query(`drop database if exists "${db}" with (force)`);
    await c.query(`create database "${db}" template "${template}"`);
  });
  const pool = new pg.Pool({ connectionString: urlFor(db), max: 3 });
  pool.on('error', () => undefined);
  return {
    name: db,
    url: urlFor(db),
    pool,
    drop: async () => {
      await pool.end().catch(() => undefined);
      await admin((c) => c.query(`drop database if exists "${db}" with (force)`));
    },
  };
}
