import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, LogSettingsError, sdkLogger, secretsOf } from '../../workers/logging';
import { activityFields } from '../../workers/activity-context';
import { metricsAddress, MetricsSettingsError } from '../../workers/runtime';

function capture(isTTY = false): { lines: string[]; write: (l: string) => void; isTTY: boolean } {
  const lines: string[] = [];
  return { lines, write: (l) => lines.push(l), isTTY };
}

const env = {
  TEMPORAL_API_KEY: 'tk_live_0123456789',
  STP_CODEC_KEYS: 'k2:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVowMTIzNDU=,k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
  STP_DATABASE_URL: 'postgres://stp:pa%24%24word-42@db:5432/stp',
  STP_CODEC_SERVER_TOKEN: 'bearer-token-xyz',
};

test('JSON lines with the level by name; nothing below STP_LOG_LEVEL', () => {
  const out = capture();
  const log = createLogger({ STP_LOG_LEVEL: 'warn' }, out);
  log.info('hidden');
  log.warn({ run_id: 'r1', step: 'copy', rule: 'chunks', attempt: 2 }, 'slow batch');
  assert.equal(out.lines.length, 1);
  const line = JSON.parse(out.lines[0]!) as Record<string, unknown>;
  assert.deepEqual({ ...line, time: undefined }, { time: undefined, level: 'warn', run_id: 'r1', step: 'copy', rule: 'chunks', attempt: 2, msg: 'slow batch' });
  assert.throws(() => createLogger({ STP_LOG_LEVEL: 'loud' }, capture()), (e: Error) => e instanceof LogSettingsError && /STP_LOG_LEVEL=loud: expected one of trace, debug, info, warn, error/.test(e.message));
});

test('no secret of the environment in any line: API key, codec keys, URL passwords, token', () => {
  assert.deepEqual(secretsOf(env).sort(), ['QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVowMTIzNDU=', 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=', 'pa$$word-42', 'tk_live_0123456789', 'bearer-token-xyz'].sort());
  const out = capture();
  const log = createLogger(env, out);
  log.error({ key: env.TEMPORAL_API_KEY, nested: { codec: env.STP_CODEC_KEYS } }, `failed with ${env.STP_DATABASE_URL} and pa$$word-42 and bearer-token-xyz`);
  log.info('other url postgres://someone:hunter2@elsewhere/db');
  const text = out.lines.join('');
  for (const s of [...secretsOf(env), 'hunter2']) assert.ok(!text.includes(s), s);
  assert.match(text, /postgres:\/\/stp:\[redacted\]@db:5432\/stp/);
  assert.match(text, /postgres:\/\/someone:\[redacted\]@elsewhere/);
});

test('a terminal gets readable lines', () => {
  const out = capture(true);
  createLogger({}, out).info({ run_id: 'r1', step: 'verify' }, 'step started');
  assert.match(out.lines[0]!, /^\d\d:\d\d:\d\d INFO  step started {2}run_id=r1 step=verify\n$/);
});

test('SDK log metadata becomes our fields: run_id is the workflow id', () => {
  const out = capture();
  const sdk = sdkLogger(createLogger({ STP_LOG_LEVEL: 'debug' }, out));
  sdk.info('step started', { sdkComponent: 'workflow', workflowId: 'stp-upgrade-primary-1', runId: 'abc-def', workflowType: 'upgradeWorkflow', namespace: 'default', step: 'copy' });
  sdk.debug('Activity completed', { sdkComponent: 'activity', workflowId: 'w', workflowRunId: 'x', activityType: 'copySlice', attempt: 3, taskToken: 'secret-ish' });
  const [wf, act] = out.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(wf!.run_id, 'stp-upgrade-primary-1');
  assert.equal(wf!.temporal_run_id, 'abc-def');
  assert.equal(wf!.step, 'copy');
  assert.equal(wf!.workflow, 'upgradeWorkflow');
  assert.equal(act!.level, 'debug');
  assert.equal(act!.activity, 'copySlice');
  assert.equal(act!.attempt, 3);
  assert.equal(act!.taskToken, undefined);
});

test('activity fields: step from the rule or the activity, run id from the input', () => {
  assert.deepEqual(activityFields('copySlice', { runId: 'r', rule: 'templates' }), { run_id: 'r', step: 'copy', rule: 'templates' });
  assert.deepEqual(activityFields('copySlice', { runId: 'r', rule: 'embeddings' }), { run_id: 'r', step: 'embeddings', rule: 'embeddings' });
  assert.deepEqual(activityFields('verify', { runId: 'r' }), { run_id: 'r', step: 'verify' });
  assert.deepEqual(activityFields('somethingNew', undefined), { step: 'somethingNew' });
});

test('STP_METRICS_ADDRESS is host:port', () => {
  assert.equal(metricsAddress({}), undefined);
  assert.equal(metricsAddress({ STP_METRICS_ADDRESS: '0.0.0.0:9464' }), '0.0.0.0:9464');
  assert.throws(() => metricsAddress({ STP_METRICS_ADDRESS: '9464' }), (e: Error) => e instanceof MetricsSettingsError && /STP_METRICS_ADDRESS=9464: expected host:port/.test(e.message));
});
