import fs from 'node:fs';
import path from 'node:path';
import { configFileOf } from '../../common/app-config-file';
import { migrateAppConfig } from '../../common/app-config-migrate';
import { ExitCodes } from '../../common/names';
import { CliError, type Command, requireOpt } from '../command';

export const configMigrateCommand: Command = {
  name: 'config migrate',
  summary: "write the new version's config.yaml from the old one and say what changed",
  usage: 'stp-upgrade config migrate --from OLD --out NEW [--force]',
  help: [
    'Every setting of OLD keeps its value; the unified chunk features (features.use_unified_handlers,',
    'use_enhanced_search, enable_batch_operations) are turned on; missing settings get the runbook\'s',
    'values; keys the new version does not know are removed. Comments and order are kept. OLD is',
    'never changed (it is the previous configuration a rollback goes back to); NEW gets OLD\'s file',
    'mode and is written atomically. NEW must not exist unless --force. OLD and NEW may be',
    'directories (their config.yaml). The result is checked as `config check` does.',
    'Exit 0 when NEW was written, 2 on a bad OLD file or arguments (nothing written).',
    'Example: stp-upgrade config migrate --from /etc/semantic-text-processor --out /etc/semantic-text-processor.v2/config.yaml',
  ].join('\n'),
  options: { from: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' } },
  async run(args, ctx) {
    if (args.positionals.length > 0) throw new CliError(`unexpected argument "${args.positionals[0]}". Usage: ${this.usage}`);
    const from = configFileOf(requireOpt(args, 'from', this.usage));
    const out = configFileOf(requireOpt(args, 'out', this.usage));
    if (path.resolve(from) === path.resolve(out)) throw new CliError(`--out must differ from --from (${from} is the previous configuration a rollback needs)`);
    let text: string;
    let mode: number;
    try {
      text = fs.readFileSync(from, 'utf8');
      mode = fs.statSync(from).mode & 0o7777;
    } catch (err) {
      throw new CliError(`--from: cannot read ${from}: ${(err as Error).message}`);
    }
    if (fs.existsSync(out) && !args.values.force) throw new CliError(`--out: ${out} exists; pass --force to replace it`);
    const result = migrateAppConfig(text);
    if (!result.ok) throw new CliError(`cannot migrate ${from}:\n  ${result.errors.join('\n  ')}`);
    const tmp = `${out}.tmp-${process.pid}`;
    try {
      fs.writeFileSync(tmp, result.text, { mode });
      fs.chmodSync(tmp, mode);
      fs.renameSync(tmp, out);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw new CliError(`--out: cannot write ${out}: ${(err as Error).message}`);
    }
    ctx.out(`Wrote ${out} from ${from}: ${result.changes.length === 0 ? 'no change needed' : `${result.changes.length} change(s)`}`);
    for (const c of result.changes) ctx.out(`  ${c}`);
    return ExitCodes.ok;
  },
};
