import { BadInputError } from '../../common/errors';
import type { CopyRule } from '../../common/steps';
import { chunksRule } from './chunks';
import { slotsRule } from './slots';
import { tagsRule } from './tags';
import { templatesRule } from './templates';
import type { RuleImpl } from './types';

/**
 * The registry the copy engine resolves rules from. Rules 6 and 7 live in their own files
 * (rules/embeddings.ts exporting `embeddingsRule`, rules/graph.ts exporting `graphRule`), loaded
 * lazily so the engine builds and runs rules 1-5 even before those exist.
 */
const LOADERS: Record<CopyRule, () => RuleImpl> = {
  chunks: () => chunksRule,
  templates: () => templatesRule,
  slots: () => slotsRule,
  tags: () => tagsRule,
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  embeddings: () => require('./embeddings').embeddingsRule,
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  graph: () => require('./graph').graphRule,
};

export function ruleImpl(rule: CopyRule): RuleImpl {
  const load = LOADERS[rule];
  if (!load) throw new BadInputError(`unknown copy rule ${JSON.stringify(rule)}`);
  const impl = load();
  if (!impl) throw new BadInputError(`copy rule ${rule} is not implemented`);
  return impl;
}
