import type pg from 'pg';
import type { StepInput } from '../../common/steps';
import { qualified } from '../db';
import type { RuleImpl } from './types';
import { countSql, jsonTimestampSql, notQuarantined, upToSql } from './sql';
import { dropStages, ensureStage } from './stage';

/**
 * Rule 3's aggregates over the instances of one slot, exported for verify so both sides use the
 * same bytes. `i` is the instance alias; use inside `group by i.slot_id`. A NULL updated_at counts
 * as the oldest (nulls first ascending, last descending).
 */
export function slotValueSql(i = 'i'): string {
  // The value of the instance with the latest updated_at (ties: greatest id); '' applied by the caller.
  return `(array_agg(${i}.slot_value order by ${i}.updated_at desc nulls last, ${i}.id desc))[1]`;
}

/** `[{id, slot_value, updated_at}, ...]` ordered by updated_at, then id; timestamps as UTC text. */
export function slotInstancesSql(i = 'i'): string {
  return `jsonb_agg(jsonb_build_object('id', ${i}.id, 'slot_value', ${i}.slot_value, 'updated_at', ${jsonTimestampSql(`${i}.updated_at`)})
                    order by ${i}.updated_at asc nulls first, ${i}.id asc)`;
}

/** Per slot id: value, count and instances list of its instances not quarantined in this run. */
export function slotInstanceAggSql(input: StepInput, runIdParam: string, instancesTableParam: string, where = 'true'): string {
  return `select i.slot_id, ${slotValueSql('i')} as slot_value, count(*)::int as n, ${slotInstancesSql('i')} as instances
            from ${qualified(input.plan.schema, input.plan.legacy.instances)} i
           where ${notQuarantined(runIdParam, instancesTableParam, 'i.id::text')} and (${where})
           group by i.slot_id`;
}

/** Rule 3: every template_slots_legacy row becomes a slot chunk under its template. */
export const slotsRule: RuleImpl = {
  rule: 'slots',
  rangeTable: async (_client, { plan }) => qualified(plan.schema, plan.legacy.slots),

  total(client, { plan, runId }) {
    return countSql(
      client,
      `select count(*) as n from ${qualified(plan.schema, plan.legacy.slots)} s where ${notQuarantined('$1', '$2', 's.id::text')}`,
      [runId, plan.legacy.slots],
    );
  },

  // `limit 1` keeps the lateral lookups as per-row index probes (primary keys): as plain joins
  // the planner hashes the whole templates table and stage for every batch.
  async batch(client: pg.PoolClient, input, afterKey, limit, upTo, skipExisting = true) {
    const { plan, runId } = input;
    const stage = await ensureStage(client, runId, 'slot_values', 'slot_id uuid primary key, slot_value text, n int not null, instances jsonb', {
      sql: slotInstanceAggSql(input, '$1', '$2'),
      params: [runId, plan.legacy.instances],
    }, input);
    const { rows } = await client.query<{ rows: number; first_key: string | null; last_key: string | null }>(
      `with src as (
         select s.* from ${qualified(plan.schema, plan.legacy.slots)} s
          where ($3::uuid is null or s.id > $3::uuid) and ${upToSql('s.id', '$5')} and ${notQuarantined('$1', '$2', 's.id::text')}
          order by s.id limit $4),
       ins as (
         insert into ${qualified(plan.schema, plan.target.chunks)}
           (id, text_id, content, is_template, is_slot, parent_chunk_id, template_chunk_id, slot_value,
            indent_level, sequence_number, metadata, created_at, updated_at)
         select s.id, t.text_id, s.slot_name, false, true, s.template_id, s.template_id, coalesce(a.slot_value, ''),
                1, s.slot_order,
                case when a.n >= 2 then jsonb_build_object('slot_instances', a.instances) else '{}'::jsonb end,
                s.created_at, s.updated_at
           from src s
           cross join lateral (select t.text_id from ${qualified(plan.schema, plan.legacy.templates)} t
                                where t.id = s.template_id limit 1) t
           left join lateral (select a.* from ${stage} a where a.slot_id = s.id limit 1) a on true
         ${skipExisting ? 'on conflict (id) do nothing' : ''})
       select count(*)::int as rows, min(id::text collate "C") as first_key, max(id::text collate "C") as last_key from src`,
      [runId, plan.legacy.slots, afterKey, limit, upTo ?? null],
    );
    return { rows: rows[0].rows, firstKey: rows[0].first_key, lastKey: rows[0].last_key };
  },

  finish: (client, input) => dropStages(client, input.runId, ['slot_values']),
};
