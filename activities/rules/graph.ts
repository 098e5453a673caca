import type pg from 'pg';
import { PreconditionError } from '../../common/errors';
import type { StepInput } from '../../common/steps';
import { ageInstalled, graphInfo, graphLabels, labelCounts, useAge } from '../graph/age';
import { ageBatch } from '../graph/age-copy';
import { csvBatch } from '../graph/csv-copy';
import { readCsv } from '../graph/csv';
import type { RuleImpl } from './types';

/**
 * Rule 7: every legacy vertex and edge recreated in plan.graph.target with the same properties,
 * from the legacy AGE graph or from the two CSV exports. prepareGraph (activities/graph.ts) makes
 * the target graph and its labels first; when it skipped the graph (AGE absent, plan.graph.optional)
 * this rule has nothing to do.
 */
export const graphRule: RuleImpl = {
  rule: 'graph',

  async total(client, input) {
    if (await skipped(client, input)) return 0;
    const source = input.plan.graph.source;
    if (source.kind === 'csv') return (await countCsv(source.nodesFile)) + (await countCsv(source.edgesFile));
    if (!(await graphInfo(client, source.graph))) throw new PreconditionError(`legacy graph "${source.graph}" does not exist`);
    const { vertices, edges } = await labelCounts(client, await graphLabels(client, source.graph));
    return vertices + edges;
  },

  async batch(client, input, afterKey, limit) {
    if (await skipped(client, input)) return { rows: 0, lastKey: null };
    await useAge(client);
    // graphid/agtype estimates are rough: JIT would compile every batch for nothing.
    await client.query('set local jit = off');
    const source = input.plan.graph.source;
    return source.kind === 'csv'
      ? csvBatch(client, input, source, afterKey, limit)
      : ageBatch(client, input, source.graph, afterKey, limit);
  },
};

async function skipped(client: pg.PoolClient, { plan }: StepInput): Promise<boolean> {
  if (await ageInstalled(client)) return false;
  if (plan.graph.optional) return true;
  throw new PreconditionError('the age extension is not installed: install Apache AGE or set plan.graph.optional');
}

/** Data records of a CSV file (header excluded), streamed in bounded chunks. */
export async function countCsv(file: string): Promise<number> {
  let offset = 0;
  let n = -1; // the header
  for (;;) {
    const chunk = await readCsv(file, offset, 10_000);
    n += chunk.records.length;
    offset = chunk.next;
    if (chunk.eof) return Math.max(0, n);
  }
}
