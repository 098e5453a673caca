/**
 * Regenerates test/workflow/histories/upgrade-happy.json, the history the replay test replays:
 *   npx tsc -p . && node dist/test/workflow/record-history.js
 * `... record-history.js ranges` records upgrade-ranges.json instead: the same run with
 * plan.copy.parallelism 3 (recorded before rules ran concurrently, stp-copy-rules-v1).
 * Re-record only for an intended change of the saga's commands (and version the workflow first
 * if runs of the old shape may still be open in production).
 */
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { startSagaEnv } from './env';

export const HISTORY_FILE = path.resolve(__dirname, '..', '..', '..', 'test', 'workflow', 'histories', 'upgrade-happy.json');

async function main(variant = 'happy'): Promise<void> {
  const t = await startSagaEnv('record-history');
  const file = path.resolve(HISTORY_FILE, '..', `upgrade-${variant}.json`);
  const copy = variant === 'ranges' ? { copy: { parallelism: 3 } } : {};
  try {
    const handle = await t.client.workflow.start('upgradeWorkflow', {
      taskQueue: t.taskQueue,
      workflowId: `upgrade-${variant}`,
      args: [{ database: 'primary', defects: { policy: 'quarantine' }, ...copy }],
    });
    await handle.result();
    const history = await handle.fetchHistory();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // protobufjs JSON (ids as strings, enums by name): the form Worker.runReplayHistory reads back.
    const json = temporal.api.history.v1.History.fromObject(history).toJSON();
    fs.writeFileSync(file, JSON.stringify(json, null, 1) + '\n');
    console.log(`wrote ${file} (${history.events?.length} events)`);
  } finally {
    await t.stop();
  }
}

if (require.main === module) {
  main(process.argv[2]).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
