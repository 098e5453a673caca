import { BadInputError } from '../../common/errors';
import type { CopyRule } from '../../common/steps';
import { chunksRule } from './chunks';
import { embeddingsRule } from './embeddings';
import { graphRule } from './graph';
import { slotsRule } from './slots';
import { tagsRule } from './tags';
import { templatesRule } from './templates';
import type { RuleImpl } from './types';

/** The registry the copy engine resolves rules from: rules 1-5 here, 6 (embeddings) and 7 (graph). */
const RULES: Record<CopyRule, RuleImpl> = {
  chunks: chunksRule,
  templates: templatesRule,
  slots: slotsRule,
  tags: tagsRule,
  embeddings: embeddingsRule,
  graph: graphRule,
};

export function ruleImpl(rule: CopyRule): RuleImpl {
  const impl = Object.hasOwn(RULES, rule) ? RULES[rule] : undefined;
  if (!impl) throw new BadInputError(`unknown copy rule ${JSON.stringify(rule)}`);
  return impl;
}
