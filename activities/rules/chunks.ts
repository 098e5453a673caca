import type pg from 'pg';
import type { StepInput } from '../../common/steps';
import { qualified } from '../db';
import type { RuleImpl } from './types';
import { countSql, notQuarantined, upToSql, tagRowKeySql } from './sql';
import { dropStages, ensureStage } from './stage';

/**
 * `metadata.tags` of rule 5, one row per tagged chunk: its distinct tag contents sorted by code
 * point, over the tag rows not quarantined in this run. `where` filters `t` further. Exported so
 * verify computes the same value from the legacy side.
 */
export function chunkTagsSql(input: StepInput, runIdParam: string, tagsTableParam: string, where = 'true'): string {
  const tags = qualified(input.plan.schema, input.plan.legacy.tags);
  return `select t.chunk_id, jsonb_agg(distinct t.tag_content collate "C" order by t.tag_content collate "C") as tags
            from ${tags} t
           where ${notQuarantined(runIdParam, tagsTableParam, tagRowKeySql('t'))} and (${where})
           group by t.chunk_id`;
}

/** Rule 1 (+ rule 5): every chunks_legacy row, same id, keyset on id (uuid order = lowercase text order). */
export const chunksRule: RuleImpl = {
  rule: 'chunks',
  rangeTable: async (_client, { plan }) => qualified(plan.schema, plan.legacy.chunks),

  total(client, input) {
    const { plan, runId } = input;
    return countSql(
      client,
      `select count(*) as n from ${qualified(plan.schema, plan.legacy.chunks)} c where ${notQuarantined('$1', '$2', 'c.id::text')}`,
      [runId, plan.legacy.chunks],
    );
  },

  // The stage is read by primary-key lookups per row (a scalar subquery): with a join, the planner
  // prefers hashing the whole stage for every batch.
  async batch(client: pg.PoolClient, input, afterKey, limit, upTo, skipExisting = true) {
    const { plan, runId } = input;
    const stage = await ensureStage(client, runId, 'chunk_tags', 'chunk_id uuid primary key, tags jsonb not null', {
      sql: chunkTagsSql(input, '$1', '$2'),
      params: [runId, plan.legacy.tags],
    }, input);
    const { rows } = await client.query<{ rows: number; first_key: string | null; last_key: string | null }>(
      `with src as (
         select c.* from ${qualified(plan.schema, plan.legacy.chunks)} c
          where ($3::uuid is null or c.id > $3::uuid) and ${upToSql('c.id', '$5')} and ${notQuarantined('$1', '$2', 'c.id::text')}
          order by c.id limit $4),
       ins as (
         insert into ${qualified(plan.schema, plan.target.chunks)}
           (id, text_id, content, is_template, is_slot, parent_chunk_id, template_chunk_id, slot_value,
            indent_level, sequence_number, metadata, created_at, updated_at)
         select s.id, s.text_id, s.content, false, false, s.parent_chunk_id, null, null,
                s.indent_level, s.sequence_number,
                coalesce((select jsonb_build_object('tags', tg.tags) from ${stage} tg where tg.chunk_id = s.id), '{}'::jsonb),
                s.created_at, s.updated_at
           from src s
         ${skipExisting ? 'on conflict (id) do nothing' : ''})
       select count(*)::int as rows, min(id::text collate "C") as first_key, max(id::text collate "C") as last_key from src`,
      [runId, plan.legacy.chunks, afterKey, limit, upTo ?? null],
    );
    return { rows: rows[0].rows, firstKey: rows[0].first_key, lastKey: rows[0].last_key };
  },

  finish: (client, input) => dropStages(client, input.runId, ['chunk_tags']),
};
