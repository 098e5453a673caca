"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.setupNamespaceCommand = void 0;
const names_1 = require("../../common/names");
const search_attributes_1 = require("../../common/search-attributes");
const command_1 = require("../command");
const connection_1 = require("../connection");
const search_attributes_2 = require("../search-attributes");
exports.setupNamespaceCommand = {
    name: 'setup-namespace',
    summary: 'register the stp search attributes on the Temporal namespace (once per namespace; idempotent)',
    usage: 'stp-upgrade setup-namespace',
    help: [
        `Adds ${search_attributes_1.SEARCH_ATTRIBUTES.map((k) => `${k.name} (${k.type})`).join(', ')} to TEMPORAL_NAMESPACE,`,
        'so the Temporal UI lists runs by phase, step, database and outcome, and `stp-upgrade list` works.',
        'Runs started before it carry no attributes (they run normally). Needs the operator permission',
        'on the namespace; `npm run dev:up` does it on the dev server. The same with the temporal CLI:',
        ...search_attributes_1.SEARCH_ATTRIBUTES.map((k) => `  temporal operator search-attribute create --name ${k.name} --type ${k.type === 'INT' ? 'Int' : 'Keyword'}`),
        'Exit 0 when they are registered (also when they already were), 4 when Temporal is unreachable.',
        'Example: TEMPORAL_NAMESPACE=stp-prod stp-upgrade setup-namespace',
    ].join('\n'),
    options: {},
    async run(args, ctx) {
        if (args.positionals.length > 0)
            throw new command_1.CliError(`unexpected argument "${args.positionals[0]}". Usage: ${this.usage}`);
        const { client, settings, close } = await (0, connection_1.connectClient)(ctx.env);
        try {
            const added = await (0, search_attributes_2.registerAttributes)(client).catch((err) => {
                throw new command_1.CliError(`could not register the search attributes on namespace "${settings.namespace}": ${err.message}. ` +
                    'Ask an administrator of the namespace to run the `temporal operator search-attribute create` lines of `stp-upgrade help setup-namespace`.', names_1.ExitCodes.failed);
            });
            ctx.out(added.length ? `Registered on namespace "${settings.namespace}": ${added.join(', ')}.` : `Namespace "${settings.namespace}" already has ${search_attributes_1.SEARCH_ATTRIBUTES.map((k) => k.name).join(', ')}.`);
            return names_1.ExitCodes.ok;
        }
        finally {
            await close();
        }
    },
};
//# sourceMappingURL=setup-namespace.js.map