import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import crypto from 'node:crypto';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { dataConverterFromEnv, ENCRYPTED_ENCODING } from '../../common/codec';
import { startSagaEnv } from './env';

// A recorded happy-path history (test/workflow/record-history.ts) replayed against today's code:
// a change that alters the saga's command sequence fails here instead of breaking open runs.
const HISTORY = path.resolve(__dirname, '..', '..', '..', 'test', 'workflow', 'histories', 'upgrade-happy.json');

// A run recorded on the dev server with the stp search attributes registered (stp-upgrade start):
// the patched upserts of workflows/upgrade/search.ts and plan-validation-v2 replay too.
const SEARCH_HISTORY = path.resolve(HISTORY, '..', 'upgrade-search-attributes.json');

test('a run with search attribute upserts replays deterministically', async () => {
  const history = temporal.api.history.v1.History.fromObject(JSON.parse(fs.readFileSync(SEARCH_HISTORY, 'utf8')));
  const upserts = (history.events ?? []).filter((e) => e.upsertWorkflowSearchAttributesEventAttributes).length;
  assert.ok(upserts > 5, `the history holds the run's upserts (${upserts})`);
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: new DefaultLogger('ERROR') });
  await Worker.runReplayHistory({ workflowBundle }, history, 'upgrade-search-attributes');
});

test('the recorded upgrade history replays deterministically', async () => {
  // fromObject rather than historyFromJSON: the latter trips over two protobufjs versions in node_modules.
  const history = temporal.api.history.v1.History.fromObject(JSON.parse(fs.readFileSync(HISTORY, 'utf8')));
  assert.ok((history.events?.length ?? 0) > 50, 'the history holds a whole run');
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: new DefaultLogger('ERROR') });
  await Worker.runReplayHistory({ workflowBundle }, history, 'upgrade-happy');
});

// A run with plan.copy.parallelism 3 recorded before rules ran concurrently (stp-copy-rules-v1):
// it keeps its one-rule-after-another shape on replay.
const RANGES_HISTORY = path.resolve(HISTORY, '..', 'upgrade-ranges.json');

test('a run with key ranges from before concurrent rules replays deterministically', async () => {
  const history = temporal.api.history.v1.History.fromObject(JSON.parse(fs.readFileSync(RANGES_HISTORY, 'utf8')));
  const planned = (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'planRanges').length;
  assert.equal(planned, 6, 'the history plans the ranges of every rule');
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: new DefaultLogger('ERROR') });
  await Worker.runReplayHistory({ workflowBundle }, history, 'upgrade-ranges');
});

test('an encrypted history (STP_CODEC_KEYS) replays with the codec, and only with it', async () => {
  const dataConverter = dataConverterFromEnv({ STP_CODEC_KEYS: `replay:${crypto.randomBytes(32).toString('base64')}` });
  const t = await startSagaEnv('replay-encrypted', { dataConverter });
  try {
    const handle = await t.client.workflow.start('upgradeWorkflow', {
      taskQueue: t.taskQueue,
      workflowId: 'upgrade-encrypted',
      args: [{ database: 'primary', defects: { policy: 'quarantine' } }],
    });
    await handle.result();
    const history = await handle.fetchHistory();
    const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    assert.equal(Buffer.from(input.metadata!.encoding!).toString(), ENCRYPTED_ENCODING);
    await Worker.runReplayHistory({ workflowBundle: t.workflowBundle, dataConverter }, history, 'upgrade-encrypted');
    await assert.rejects(Worker.runReplayHistory({ workflowBundle: t.workflowBundle }, history, 'upgrade-encrypted'));
  } finally {
    await t.stop();
  }
});
