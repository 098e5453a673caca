import crypto from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { PreconditionError, VerificationError } from '../../common/errors';
import { ident, inTransaction, qualified } from '../db';
import { childConnection, heartbeat, runTool } from './tools';

/** Row count and an order-independent fingerprint of one table's rows. */
export interface TableStats {
  rows: number;
  fingerprint: string;
}

/**
 * Counts and fingerprints tables (sum of the first 60 bits of md5 over each row's text). Call it
 * inside a transaction: it pins the output settings locally so both sides print rows alike.
 */
export async function tableStats(client: pg.ClientBase, schema: string, tables: string[]): Promise<Record<string, TableStats>> {
  await client.query(`select set_config('timezone', 'UTC', true), set_config('extra_float_digits', '1', true),
                             set_config('datestyle', 'ISO, MDY', true), set_config('bytea_output', 'hex', true)`);
  const stats: Record<string, TableStats> = {};
  for (const table of tables) {
    const { rows } = await client.query<{ n: string; f: string }>(
      `select count(*)::text as n, coalesce(sum(('x' || left(md5(t::text), 15))::bit(60)::bigint), 0)::text as f
         from ${qualified(schema, table)} t`,
    );
    stats[table] = { rows: Number(rows[0].n), fingerprint: rows[0].f };
    heartbeat({ phase: 'fingerprint', table });
  }
  return stats;
}

/** The scratch database of a run's restore test: stable per run, so a retry finds and drops a leftover. */
export function scratchDatabaseName(runId: string): string {
  return `stp_restore_${crypto.createHash('sha256').update(runId).digest('hex').slice(0, 12)}`;
}

const quoteCatalog = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Extensions owning the column types of the dumped tables (pg_dump -t does not dump them). */
async function neededExtensions(client: pg.Pool, schema: string, tables: string[]) {
  const { rows } = await client.query<{ extname: string; nspname: string }>(
    `select distinct e.extname, en.nspname
       from pg_attribute a
       join pg_class c on c.oid = a.attrelid
       join pg_namespace cn on cn.oid = c.relnamespace
       join pg_type ty on ty.oid = a.atttypid
       join pg_depend d on d.classid = 'pg_type'::regclass and d.deptype = 'e'
                       and d.objid in (ty.oid, ty.typelem)
       join pg_extension e on e.oid = d.refobjid
       join pg_namespace en on en.oid = e.extnamespace
      where cn.nspname = $1 and c.relname = any($2) and a.attnum > 0 and not a.attisdropped`,
    [schema, tables],
  );
  return rows;
}

export interface RestoreTestInput {
  source: pg.Pool;
  url: string;
  runId: string;
  schema: string;
  tables: string[];
  file: string;
  pgRestore: string;
  expected: Record<string, TableStats>;
}

/**
 * Restores the dump into a scratch database on the same server and compares every table with the
 * dump's snapshot. The scratch database is dropped on every path. Returns post-data warnings (an
 * index or trigger that does not restore in isolation), which do not fail the test.
 */
export async function testRestore(input: RestoreTestInput): Promise<{ warnings: string[] }> {
  const scratch = scratchDatabaseName(input.runId);
  const dropScratch = () => input.source.query(`drop database if exists ${ident(scratch)} with (force)`);
  await dropScratch();
  await input.source.query(`create database ${ident(scratch)} template template0`).catch((err: { code?: string; message: string }) => {
    if (err.code !== '42501') throw err;
    throw new PreconditionError(
      `the restore test needs to create a scratch database (${err.message}): grant CREATEDB to the worker's role or set plan.backup.testRestore to false`,
    );
  });
  try {
    const exts = await neededExtensions(input.source, input.schema, input.tables);
    const conn = childConnection(input.url, scratch);
    const scratchUrl = new URL(input.url);
    scratchUrl.pathname = `/${scratch}`;
    const client = new pg.Client({ connectionString: scratchUrl.toString() });
    client.on('error', () => undefined); // a dropped connection fails the query in flight, not the worker
    await client.connect();
    try {
      for (const s of new Set([input.schema, ...exts.map((e) => e.nspname)])) {
        await client.query(`create schema if not exists ${quoteCatalog(s)}`);
      }
      for (const e of exts) {
        await client.query(`create extension if not exists ${quoteCatalog(e.extname)} with schema ${quoteCatalog(e.nspname)}`);
      }
      const base = ['--no-password', `--dbname=${conn.dbname}`, '--no-owner', '--no-privileges'];
      heartbeat({ phase: 'restore' });
      await runTool(input.pgRestore, [...base, '--exit-on-error', '--section=pre-data', '--section=data'], conn.env, {
        stdin: fs.createReadStream(input.file),
      });
      const warnings: string[] = [];
      await runTool(input.pgRestore, [...base, '--section=post-data'], conn.env, { stdin: fs.createReadStream(input.file) }).catch(
        (err: Error) => warnings.push(`post-data objects did not all restore in the scratch database: ${err.message}`),
      );
      const restored = await inTransaction(client, (c) => tableStats(c, input.schema, input.tables));
      const diffs = input.tables.filter(
        (t) => restored[t]?.rows !== input.expected[t]?.rows || restored[t]?.fingerprint !== input.expected[t]?.fingerprint,
      );
      if (diffs.length) {
        const what = diffs.map((t) => `${t}: dumped ${input.expected[t]?.rows} rows, restored ${restored[t]?.rows}`);
        throw new VerificationError(`the backup does not restore to the same rows (${what.join('; ')})`);
      }
      return { warnings };
    } finally {
      await client.end().catch(() => undefined);
    }
  } finally {
    await dropScratch();
  }
}
