import type { VerifyReport } from '../../common/steps';
import { tagRowKeySql } from '../rules/sql';
import { tagIdSql } from '../rules/tags';
import { isQ, kindSql, one, type VerifyCtx } from './context';

type LegacyCounts = VerifyReport['legacy'][string] & { both: number };

/**
 * Per legacy table: rows, rows that reached the target, rows in the run's quarantine, and rows
 * counted as both (a copy that ignored the quarantine). Each row is classified once, so "rows =
 * migrated + quarantined" holds exactly when nothing was lost or doubled.
 */
export async function legacyCounts(ctx: VerifyCtx): Promise<Record<string, LegacyCounts>> {
  const { t, plan } = ctx;
  const L = plan.legacy;
  const inTarget = (kind: Parameters<typeof kindSql>[0], idExpr: string) =>
    `exists (select 1 from ${t.target} u where u.id = ${idExpr} and ${kindSql(kind)})`;
  const tables: [string, string, string, string][] = [
    [L.texts, t.texts, 'true', 'x.id::text'],
    [L.chunks, t.chunks, inTarget('chunks', 'x.id'), 'x.id::text'],
    [L.templates, t.templates, inTarget('templates', 'x.id'), 'x.id::text'],
    [L.slots, t.slots, inTarget('slots', 'x.id'), 'x.id::text'],
    // An instance lives on in its slot's slot_value / metadata.slot_instances.
    [L.instances, t.instances, inTarget('slots', 'x.slot_id'), 'x.id::text'],
    [
      L.tags,
      t.tags,
      `exists (select 1 from ${t.chunks} c join ${t.target} u on u.id = ${tagIdSql('c.text_id', 'x.tag_content')}
                where c.id = x.chunk_id and ${kindSql('tags')} and u.metadata -> 'original_chunk_ids' ? x.chunk_id::text)`,
      tagRowKeySql('x'),
    ],
    [L.embeddings, t.embeddings, `exists (select 1 from ${t.targetEmbeddings} e where e.id = x.id)`, 'x.id::text'],
  ];
  const out: Record<string, LegacyCounts> = {};
  for (const [name, table, migrated, key] of tables) {
    const r = await one<{ rows: number; migrated: number; quarantined: number; both: number }>(
      ctx,
      `select count(*)::int as rows, count(*) filter (where m)::int as migrated, count(*) filter (where q)::int as quarantined,
              count(*) filter (where m and q)::int as both
         from (select ${migrated} as m, ${isQ(name, key)} as q from ${table} x) s`,
    );
    out[name] = r;
  }
  return out;
}

/** Target rows per kind (graph kinds are added by the graph part). */
export async function targetCounts(ctx: VerifyCtx): Promise<Record<string, number>> {
  const r = await one<Record<string, number>>(
    ctx,
    `select count(*) filter (where ${kindSql('chunks')})::int as chunks,
            count(*) filter (where ${kindSql('templates')})::int as templates,
            count(*) filter (where ${kindSql('slots')})::int as slots,
            count(*) filter (where ${kindSql('tags')})::int as tags,
            (select count(*) from ${ctx.t.targetEmbeddings})::int as embeddings
       from ${ctx.t.target} u`,
  );
  return { ...r };
}

/** Quarantined rows of the run by defect kind. */
export async function quarantineByKind(ctx: VerifyCtx): Promise<Record<string, number>> {
  const { rows } = await ctx.client.query<{ kind: string; n: number }>(
    `select kind, count(*)::int as n from stp_migration.quarantine where run_id = $1 group by kind order by kind`,
    [ctx.quarantineRun],
  );
  return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
}
