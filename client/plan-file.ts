import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { Plan } from '../common/plan';
import { EMPTY, validatePlan } from '../common/plan-validation';
import { redact } from '../common/redact';
import { ExitCodes } from '../common/names';
import { CliError } from './command';

/** Reads a plan file: JSON when it ends in .json, else YAML (which also reads JSON). */
export function readPlanFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read the plan file ${file}: ${(err as Error).message}`, ExitCodes.badInput);
  }
  try {
    if (path.extname(file).toLowerCase() === '.json') return JSON.parse(text);
    const doc = YAML.parseDocument(text, { prettyErrors: true });
    if (doc.errors.length > 0) throw new Error(doc.errors.map((e) => e.message).join('\n'));
    return doc.toJS() ?? null;
  } catch (err) {
    throw new CliError(`the plan file ${file} is not valid ${path.extname(file) === '.json' ? 'JSON' : 'YAML'}: ${redact((err as Error).message)}`, ExitCodes.badInput);
  }
}

/**
 * Reads and validates a plan file, reporting every problem at once (exit 2). The resolved plan,
 * defaults included, is what the workflow receives: a later change of a default never alters a
 * run that has already started.
 */
export function loadPlan(file: string): Plan {
  const input = readPlanFile(file);
  if (input === null) throw new CliError(`the plan file ${file} is empty: ${EMPTY.replace('plan: empty; ', '')}`, ExitCodes.badInput);
  // The same function the workflow runs on entry: what passes here is never refused there.
  const parsed = validatePlan(input);
  if (!parsed.ok) {
    throw new CliError(`invalid plan ${file}:\n  ${parsed.errors.join('\n  ')}\nRun \`stp-upgrade plan check ${file}\` after fixing it.`, ExitCodes.badInput);
  }
  return parsed.plan;
}
