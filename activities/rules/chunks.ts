import type pg from 'pg';
import type { StepInput } from '../../common/steps';
import { qualified } from '../db';
import type { RuleImpl } from './types';
import { countSql, notQuarantined, tagRowKeySql } from './sql';

/**
 * `metadata.tags` of rule 5 for the chunks of one batch: distinct tag contents, sorted by code point.
 * `chunkIds` is a SQL expression yielding the batch's chunk ids; quarantined tag rows do not count.
 * Exported so verify can compute the same value from the legacy side.
 */
export function chunkTagsSql(input: StepInput, chunkIds: string, runIdParam: string, tagsTableParam: string): string {
  const tags = qualified(input.plan.schema, input.plan.legacy.tags);
  return `select t.chunk_id, jsonb_agg(distinct t.tag_content collate "C" order by t.tag_content collate "C") as tags
            from ${tags} t
           where t.chunk_id in (${chunkIds})
             and ${notQuarantined(runIdParam, tagsTableParam, tagRowKeySql('t'))}
           group by t.chunk_id`;
}

/** Rule 1 (+ rule 5): every chunks_legacy row, same id, keyset on id (uuid order = lowercase text order). */
export const chunksRule: RuleImpl = {
  rule: 'chunks',

  total(client, input) {
    const { plan, runId } = input;
    return countSql(
      client,
      `select count(*) as n from ${qualified(plan.schema, plan.legacy.chunks)} c where ${notQuarantined('$1', '$2', 'c.id::text')}`,
      [runId, plan.legacy.chunks],
    );
  },

  async batch(client: pg.PoolClient, input, afterKey, limit) {
    const { plan, runId } = input;
    const { rows } = await client.query<{ rows: number; first_key: string | null; last_key: string | null }>(
      `with src as (
         select c.* from ${qualified(plan.schema, plan.legacy.chunks)} c
          where ($3::uuid is null or c.id > $3::uuid) and ${notQuarantined('$1', '$2', 'c.id::text')}
          order by c.id limit $4),
       tg as (${chunkTagsSql(input, 'select id from src', '$1', '$5')}),
       ins as (
         insert into ${qualified(plan.schema, plan.target.chunks)}
           (id, text_id, content, is_template, is_slot, parent_chunk_id, template_chunk_id, slot_value,
            indent_level, sequence_number, metadata, created_at, updated_at)
         select s.id, s.text_id, s.content, false, false, s.parent_chunk_id, null, null,
                s.indent_level, s.sequence_number,
                case when tg.tags is null then '{}'::jsonb else jsonb_build_object('tags', tg.tags) end,
                s.created_at, s.updated_at
           from src s left join tg on tg.chunk_id = s.id
         on conflict (id) do nothing)
       select count(*)::int as rows, min(id::text collate "C") as first_key, max(id::text collate "C") as last_key from src`,
      [runId, plan.legacy.chunks, afterKey, limit, plan.legacy.tags],
    );
    return { rows: rows[0].rows, firstKey: rows[0].first_key, lastKey: rows[0].last_key };
  },
};
