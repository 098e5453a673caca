import type pg from 'pg';
import { BadInputError } from '../../common/errors';
import type { StepInput } from '../../common/steps';
import { qualified } from '../db';
import type { RuleImpl } from './types';
import { countSql, notQuarantined, tagRowKeySql, upToSql } from './sql';
import { dropStages, ensureStage } from './stage';

/**
 * The deterministic id of the tag chunk for (text_id, tag_content): a retried or resumed batch
 * makes the same row, and verify computes the same id. Exported for verify.
 */
export function tagIdSql(textIdExpr: string, contentExpr: string): string {
  return `md5('stp-tag:' || (${textIdExpr})::text || ':' || (${contentExpr}))::uuid`;
}

/**
 * Tag groups of rule 4: one row per (text_id of the tagged chunk, tag_content), over the
 * tag rows and chunks not quarantined in this run; the key (text_id, tag_content COLLATE "C") is
 * the keyset order. `where` is an extra condition on c / t. Exported for verify.
 */
export function tagGroupsSql(input: StepInput, runIdParam: string, tagsParam: string, chunksParam: string, where = 'true'): string {
  const { plan } = input;
  return `select c.text_id, t.tag_content collate "C" as tag_content, min(t.created_at) as created_at,
                 jsonb_agg(distinct t.chunk_id order by t.chunk_id) as chunk_ids, count(*)::int as n
            from ${qualified(plan.schema, plan.legacy.tags)} t
            join ${qualified(plan.schema, plan.legacy.chunks)} c on c.id = t.chunk_id
           where ${notQuarantined(runIdParam, tagsParam, tagRowKeySql('t'))}
             and ${notQuarantined(runIdParam, chunksParam, 'c.id::text')}
             and (${where})
           group by c.text_id, t.tag_content collate "C"`;
}

/**
 * A checkpoint key: [text_id, tag_content] after a batch, or a bare text_id, the exclusive lower
 * bound a key range starts from (activities/copy-ranges.ts): content null, so the keyset's row
 * comparison skips every group of that text_id (they belong to the range below).
 */
function decodeKey(key: string | null): [string | null, string | null] {
  if (key === null) return [null, null];
  if (!key.startsWith('[')) return [key, null];
  const parsed: unknown = JSON.parse(key);
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string') {
    throw new BadInputError(`tags checkpoint key ${key} is not [text_id, tag_content]`);
  }
  return [parsed[0], parsed[1]];
}

/** The staged tag groups of the run, built by the first caller (a batch, or planRanges splitting the rule). */
function tagGroups(client: pg.PoolClient, input: StepInput): Promise<string> {
  const { plan, runId } = input;
  return ensureStage(
    client,
    runId,
    'tag_groups',
    `text_id uuid not null, tag_content text collate "C" not null, created_at timestamptz, chunk_ids jsonb not null,
     n int not null, primary key (text_id, tag_content)`,
    { sql: tagGroupsSql(input, '$1', '$2', '$3'), params: [runId, plan.legacy.tags, plan.legacy.chunks] },
    input,
  );
}

/**
 * Rule 4. The groups are staged once per run (keyed by the composite (text_id, tag_content)); a
 * batch is a set of whole groups and its key a JSON array [text_id, tag_content]. Key ranges split
 * the stage by text_id (its primary key's first column). updated_at = created_at: deterministic,
 * so a retry and verify agree (the runbook's now() would differ on every run).
 */
export const tagsRule: RuleImpl = {
  rule: 'tags',

  total(client, { plan, runId }) {
    return countSql(
      client,
      `select count(*) as n from ${qualified(plan.schema, plan.legacy.tags)} t where ${notQuarantined('$1', '$2', tagRowKeySql('t'))}`,
      [runId, plan.legacy.tags],
    );
  },

  // Ranges split the groups by text_id: a group has one text_id, so it lies in exactly one range.
  rangeTable: async (client, input) => `(select text_id as id from ${await tagGroups(client, input)}) g`,

  async batch(client: pg.PoolClient, input, afterKey, limit, upTo, skipExisting = true) {
    const stage = await tagGroups(client, input);
    const [textId, content] = decodeKey(afterKey);
    const { rows } = await client.query<{ rows: number; first: string | null; last: string | null }>(
      `with grp as (
         select g.* from ${stage} g
          where ($1::uuid is null or (g.text_id, g.tag_content) > ($1::uuid, $2::text collate "C")) and ${upToSql('g.text_id', '$4')}
          order by g.text_id, g.tag_content limit $3),
       ins as (
         insert into ${qualified(input.plan.schema, input.plan.target.chunks)}
           (id, text_id, content, is_template, is_slot, parent_chunk_id, template_chunk_id, slot_value,
            indent_level, sequence_number, metadata, created_at, updated_at)
         select ${tagIdSql('g.text_id', 'g.tag_content')}, g.text_id, g.tag_content, false, false, null, null, null, 0, 0,
                jsonb_build_object('type', 'tag', 'original_chunk_ids', g.chunk_ids), g.created_at, g.created_at
           from grp g
         ${skipExisting ? 'on conflict (id) do nothing' : ''})
       select coalesce(sum(n), 0)::int as rows,
              (select jsonb_build_array(text_id, tag_content)::text from grp order by text_id, tag_content limit 1) as first,
              (select jsonb_build_array(text_id, tag_content)::text from grp order by text_id desc, tag_content desc limit 1) as last
         from grp`,
      [textId, content, limit, upTo ?? null],
    );
    return { rows: rows[0].rows, firstKey: rows[0].first, lastKey: rows[0].last };
  },

  finish: (client, input) => dropStages(client, input.runId, ['tag_groups']),
};
