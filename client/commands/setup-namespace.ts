import { ExitCodes } from '../../common/names';
import { SEARCH_ATTRIBUTES } from '../../common/search-attributes';
import { CliError, type Command } from '../command';
import { connectClient } from '../connection';
import { registerAttributes } from '../search-attributes';

export const setupNamespaceCommand: Command = {
  name: 'setup-namespace',
  summary: 'register the stp search attributes on the Temporal namespace (once per namespace; idempotent)',
  usage: 'stp-upgrade setup-namespace',
  help: [
    `Adds ${SEARCH_ATTRIBUTES.map((k) => `${k.name} (${k.type})`).join(', ')} to TEMPORAL_NAMESPACE,`,
    'so the Temporal UI lists runs by phase, step, database and outcome, and `stp-upgrade list` works.',
    'Runs started before it carry no attributes (they run normally). Needs the operator permission',
    'on the namespace; `npm run dev:up` does it on the dev server. The same with the temporal CLI:',
    ...SEARCH_ATTRIBUTES.map((k) => `  temporal operator search-attribute create --name ${k.name} --type ${k.type === 'INT' ? 'Int' : 'Keyword'}`),
    'Exit 0 when they are registered (also when they already were), 4 when Temporal is unreachable.',
    'Example: TEMPORAL_NAMESPACE=stp-prod stp-upgrade setup-namespace',
  ].join('\n'),
  options: {},
  async run(args, ctx) {
    if (args.positionals.length > 0) throw new CliError(`unexpected argument "${args.positionals[0]}". Usage: ${this.usage}`);
    const { client, settings, close } = await connectClient(ctx.env);
    try {
      const added = await registerAttributes(client).catch((err: unknown) => {
        throw new CliError(`could not register the search attributes on namespace "${settings.namespace}": ${(err as Error).message}. ` +
          'Ask an administrator of the namespace to run the `temporal operator search-attribute create` lines of `stp-upgrade help setup-namespace`.', ExitCodes.failed);
      });
      ctx.out(added.length ? `Registered on namespace "${settings.namespace}": ${added.join(', ')}.` : `Namespace "${settings.namespace}" already has ${SEARCH_ATTRIBUTES.map((k) => k.name).join(', ')}.`);
      return ExitCodes.ok;
    } finally {
      await close();
    }
  },
};
