import YAML from 'yaml';
import { ExitCodes } from '../../common/names';
import { CliError, type Command } from '../command';
import { loadPlan } from '../plan-file';

export const planCheckCommand: Command = {
  name: 'plan check',
  summary: 'validate a plan file (YAML or JSON) and print it with every default filled in',
  usage: 'stp-upgrade plan check FILE [--yaml]',
  help: [
    'Prints the resolved plan as JSON (or YAML with --yaml); this is exactly what `start` sends.',
    'Every problem is listed, one per line, e.g.',
    '  plan.copy.batchSize: expected a positive integer, got "abc"',
    'Exit 0 when the plan is valid, 2 when it is not.',
    'Example: stp-upgrade plan check plans/primary.yaml --yaml',
  ].join('\n'),
  options: { yaml: { type: 'boolean' } },
  async run(args, ctx) {
    const [file, ...extra] = args.positionals;
    if (!file || extra.length > 0) throw new CliError(`expected exactly one plan file. Usage: ${this.usage}`);
    const plan = loadPlan(file);
    ctx.out(args.values.yaml ? YAML.stringify(plan).trimEnd() : JSON.stringify(plan, null, 2));
    return ExitCodes.ok;
  },
};
