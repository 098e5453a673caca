import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { createAssessActivities } from '../../activities/assess';
import type { Assessment } from '../../common/steps';
import { WorkflowTypes } from '../../common/names';
import { testServerPath } from '../helpers/temporal';

type AssessActivities = ReturnType<typeof createAssessActivities>;

let env: TestWorkflowEnvironment;
before(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testServerPath() } } });
});
after(async () => {
  await env?.teardown();
});

const report: Assessment = {
  database: 'primary', serverVersion: '17.12', serverVersionNum: 170012, extensions: { vector: '0.8.0' },
  availableExtensions: ['age', 'vector'], tables: { texts: 3 }, databaseSizeBytes: 1, legacySizeBytes: 1,
  requiredFreeBytes: 3, freeBytes: null, warnings: [],
};

async function run(activities: AssessActivities, database: string) {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'assess-test',
    workflowsPath: require.resolve('../../workflows'),
    activities,
  });
  return worker.runUntil(
    env.client.workflow.execute(WorkflowTypes.assess, { taskQueue: 'assess-test', workflowId: `assess-${database}-${Date.now()}`, args: [{ database }] }),
  );
}

test('the assess workflow returns the activity report for the named database', async () => {
  const seen: string[] = [];
  const result = await run({ assess: async ({ database }) => (seen.push(database), report) }, 'primary');
  assert.deepEqual(result, report);
  assert.deepEqual(seen, ['primary']);
});

test('an unknown database is not retried', async () => {
  let calls = 0;
  const failing: AssessActivities = {
    assess: async () => {
      calls++;
      throw ApplicationFailure.create({ type: 'UnknownDatabaseError', message: 'unknown database "x"' });
    },
  };
  await assert.rejects(run(failing, 'x'), (err: unknown) => err instanceof WorkflowFailedError);
  assert.equal(calls, 1);
});
