import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePlan } from '../../common/plan';
import { releasePlanOf } from '../../common/release';

test('plan.release: defaults for every field, absent section included', () => {
  const r = releasePlanOf({});
  assert.equal(r.deployer.kind, 'process');
  assert.deepEqual(r.deployer.blue, { instance: 'blue', port: 8080, version: '1' });
  assert.deepEqual(r.deployer.green, { instance: 'green', port: 8081, version: '2' });
  assert.deepEqual(r.health, { consecutive: 3, deadlineSeconds: 60, intervalMs: 1000 });
  assert.equal(r.traffic.nginx.listenPort, 8088);
  assert.deepEqual(r.finalize, { legacyTables: 'keep', archiveSuffix: '_archived' });
  assert.equal(r.blueAfterSwitch, 'stop');
  assert.equal(r.drainSeconds, 60);
  assert.equal(r.approval.required, false);
  assert.equal(r.monitoring, undefined);
  const parsed = parsePlan({ release: { monitoring: {} } });
  assert.ok(parsed.ok && parsed.plan.release?.monitoring?.intervalSeconds === 60);
});

test('plan.release: every problem reported with its path', () => {
  const r = parsePlan({
    release: { traffic: { kind: 'command' }, deployer: { env: ['lower'], green: { port: 0 } }, bogus: 1 },
  });
  assert.equal(r.ok, false);
  const errors = r.ok ? [] : r.errors.join('\n');
  assert.match(errors as string, /plan\.release\.traffic\.command: required when kind is "command"/);
  assert.match(errors as string, /plan\.release\.traffic\.lbUrl: required/);
  assert.match(errors as string, /plan\.release\.deployer\.env\.0: expected an environment variable name/);
  assert.match(errors as string, /plan\.release\.deployer\.green\.port/);
  assert.match(errors as string, /plan\.release\.bogus: unknown field/);
});
