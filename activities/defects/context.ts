import type { Plan } from '../../common/plan';
import type { DefectKind } from '../../common/steps';
import { qualified } from '../db';

/** The legacy tables of a plan, each as its plain name (for reasons, source_table) and quoted. */
export interface LegacyNames {
  name: Plan['legacy'];
  q: Record<keyof Plan['legacy'], string>;
  defaultModel: string;
}

export function legacyNames(plan: Plan): LegacyNames {
  const q = Object.fromEntries(
    Object.entries(plan.legacy).map(([role, table]) => [role, qualified(plan.schema, table)]),
  ) as Record<keyof Plan['legacy'], string>;
  return { name: plan.legacy, q, defaultModel: plan.embeddings.defaultModel };
}

/**
 * One defect kind on one legacy table, as SQL over that table aliased `r`: `where` selects the
 * defective rows, `reason` and `key` are text expressions over `r`. Preflight lists and counts
 * them; quarantine copies `to_jsonb(r)`. The SQL binds no parameter of its own: the plan's default
 * model is read from the transaction setting DEFAULT_MODEL_SETTING (see setDefaultModel).
 */
export interface TableDefect {
  kind: DefectKind;
  /** The legacy table role (key of plan.legacy). */
  role: keyof Plan['legacy'];
  /** Joined after `from <table> r`, for defects computed over a set (cycles, rule 6 winners). */
  join?: string;
  where: string;
  reason: string;
  /** The row key: `r.id::text` unless given (tags: `chunk_id|tag_content`). */
  key?: string;
}

export const ROW_KEY = 'r.id::text';
export const TAG_KEY = `r.chunk_id::text || '|' || r.tag_content`;

export function keyOf(d: TableDefect): string {
  return d.key ?? ROW_KEY;
}

export const DEFAULT_MODEL = `current_setting('stp_upgrade.default_model')`;

/** Sets what DEFAULT_MODEL reads, for the current transaction. */
export async function setDefaultModel(client: { query(sql: string, values: unknown[]): Promise<unknown> }, model: string): Promise<void> {
  await client.query(`select set_config('stp_upgrade.default_model', $1, true)`, [model]);
}

/** `select row_key, reason[, row]` for one table defect. */
export function defectSelect(t: LegacyNames, d: TableDefect, withRow: boolean): string {
  return `select ${keyOf(d)} as row_key, ${d.reason} as reason${withRow ? ', to_jsonb(r) as row' : ''}
    from ${t.q[d.role]} r ${d.join ?? ''} where ${d.where}`;
}
