import type pg from 'pg';
import { qualified } from '../db';
import type { RuleImpl } from './types';
import { countSql, notQuarantined, upToSql } from './sql';

/** Rule 2: every templates_legacy row becomes a template chunk with the same id. */
export const templatesRule: RuleImpl = {
  rule: 'templates',
  rangeTable: async (_client, { plan }) => qualified(plan.schema, plan.legacy.templates),

  total(client, { plan, runId }) {
    return countSql(
      client,
      `select count(*) as n from ${qualified(plan.schema, plan.legacy.templates)} t where ${notQuarantined('$1', '$2', 't.id::text')}`,
      [runId, plan.legacy.templates],
    );
  },

  async batch(client: pg.PoolClient, { plan, runId }, afterKey, limit, upTo, skipExisting = true) {
    const { rows } = await client.query<{ rows: number; first_key: string | null; last_key: string | null }>(
      `with src as (
         select t.* from ${qualified(plan.schema, plan.legacy.templates)} t
          where ($3::uuid is null or t.id > $3::uuid) and ${upToSql('t.id', '$5')} and ${notQuarantined('$1', '$2', 't.id::text')}
          order by t.id limit $4),
       ins as (
         insert into ${qualified(plan.schema, plan.target.chunks)}
           (id, text_id, content, is_template, is_slot, parent_chunk_id, template_chunk_id, slot_value,
            indent_level, sequence_number, metadata, created_at, updated_at)
         select s.id, s.text_id, s.content, true, false, null, null, null, 0, 0, '{}'::jsonb, s.created_at, s.updated_at
           from src s
         ${skipExisting ? 'on conflict (id) do nothing' : ''})
       select count(*)::int as rows, min(id::text collate "C") as first_key, max(id::text collate "C") as last_key from src`,
      [runId, plan.legacy.templates, afterKey, limit, upTo ?? null],
    );
    return { rows: rows[0].rows, firstKey: rows[0].first_key, lastKey: rows[0].last_key };
  },
};
