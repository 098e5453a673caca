import { type VerifyCtx } from './context';

/** Quarantined rows of the run by defect kind. */
export async function quarantineByKind(ctx: VerifyCtx): Promise<Record<string, number>> {
  const { rows } = await ctx.client.query<{ kind: string; n: number }>(
    `select kind, count(*)::int as n from stp_migration.quarantine where run_id = $1 group by kind order by kind`,
    [ctx.quarantineRun],
  );
  return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
}
