import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';

// A recorded happy-path history (test/workflow/record-history.ts) replayed against today's code:
// a change that alters the saga's command sequence fails here instead of breaking open runs.
const HISTORY = path.resolve(__dirname, '..', '..', '..', 'test', 'workflow', 'histories', 'upgrade-happy.json');

test('the recorded upgrade history replays deterministically', async () => {
  // fromObject rather than historyFromJSON: the latter trips over two protobufjs versions in node_modules.
  const history = temporal.api.history.v1.History.fromObject(JSON.parse(fs.readFileSync(HISTORY, 'utf8')));
  assert.ok((history.events?.length ?? 0) > 50, 'the history holds a whole run');
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: new DefaultLogger('ERROR') });
  await Worker.runReplayHistory({ workflowBundle }, history, 'upgrade-happy');
});
