import type pg from 'pg';
import type { Plan } from '../../common/plan';
import { qualified } from '../db';
import { notQuarantined } from '../rules/sql';

/**
 * What every verify query needs: the client (inside one read-only REPEATABLE READ transaction, so
 * all counts and checksums see the same snapshot), the plan's quoted table names, and the run
 * whose quarantine explains the legacy rows that were not migrated ($1 of every query).
 */
export interface VerifyCtx {
  client: pg.PoolClient;
  plan: Plan;
  /** The run whose quarantine rows count; '' when there is none (no row matches). */
  quarantineRun: string;
  t: {
    texts: string;
    chunks: string;
    templates: string;
    slots: string;
    instances: string;
    tags: string;
    embeddings: string;
    target: string;
    targetEmbeddings: string;
  };
}

export function tablesOf(plan: Plan): VerifyCtx['t'] {
  const q = (name: string) => qualified(plan.schema, name);
  return {
    texts: q(plan.legacy.texts),
    chunks: q(plan.legacy.chunks),
    templates: q(plan.legacy.templates),
    slots: q(plan.legacy.slots),
    instances: q(plan.legacy.instances),
    tags: q(plan.legacy.tags),
    embeddings: q(plan.legacy.embeddings),
    target: q(plan.target.chunks),
    targetEmbeddings: q(plan.target.embeddings),
  };
}

/** A SQL string literal; only for names the plan or the catalog gave (validated identifiers, AGE labels). */
export const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The legacy row keyed `keyExpr` of table `table` is not in the quarantine of run $1. */
export const notQ = (table: string, keyExpr: string) => notQuarantined('$1', literal(table), keyExpr);
export const isQ = (table: string, keyExpr: string) => `not ${notQ(table, keyExpr)}`;

/** Target row kinds: the classification verify counts and checksums by. */
export type TargetKind = 'chunks' | 'templates' | 'slots' | 'tags';
export function kindSql(kind: TargetKind, u = 'u'): string {
  const tpl = `coalesce(${u}.is_template, false)`;
  const slot = `coalesce(${u}.is_slot, false)`;
  const tag = `(${u}.metadata ->> 'type') is not distinct from 'tag'`;
  switch (kind) {
    case 'templates':
      return tpl;
    case 'slots':
      return `(${slot} and not ${tpl})`;
    case 'tags':
      return `(not ${tpl} and not ${slot} and ${tag})`;
    case 'chunks':
      return `(not ${tpl} and not ${slot} and not ${tag})`;
  }
}

/** One row; $1 is the quarantine run when the SQL uses it (an unused parameter has no type and fails). */
export async function one<T extends pg.QueryResultRow>(ctx: VerifyCtx, sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await ctx.client.query<T>(sql, /\$1\b/.test(sql) ? [ctx.quarantineRun, ...params] : params);
  return rows[0];
}
