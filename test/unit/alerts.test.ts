import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAlertActivities } from '../../activities/alerts';
import { AlertsPlan, type AlertEvent, redact } from '../../common/alerts';
import { parsePlan } from '../../common/plan';
import { freePort } from '../../demo/ports';
import { startReceiver } from '../helpers/receiver';

// The alert activity against a real HTTP receiver on loopback (no Temporal needed: it is a function).
let rx: Awaited<ReturnType<typeof startReceiver>>;
before(async () => {
  rx = await startReceiver({ failFirst: 0, status: (p) => (p.startsWith('/flaky') ? undefined : p.startsWith('/broken') ? 500 : p.startsWith('/gone') ? 404 : 200) });
});
after(() => rx?.close());

const EVENT: AlertEvent = {
  event: 'rolled_back', runId: 'stp-upgrade-primary-1', database: 'primary', at: '2026-12-02T06:00:00.000Z', phase: 'rolled_back', step: 'monitor',
  message: 'rolled back: deploy: connect to postgres://stp:s3cret@db.internal:5432/stp failed (password=hunter2)',
};

test('plan.alerts: URLs with credentials or a Slack secret are refused, with the fix', () => {
  const r = parsePlan({ alerts: { webhooks: [
    { url: 'https://user:pw@alerts.example.com/hook' },
    { url: 'https://hooks.slack.com/services/T000/B000/XXXX', format: 'slack' },
    { url: 'https://alerts.example.com/hook?token=abc' },
    { urlEnv: 'SLACK_URL', url: 'https://alerts.example.com/hook' },
    {},
  ] } });
  assert.ok(!r.ok);
  const text = r.errors.join('\n');
  assert.match(text, /plan\.alerts\.webhooks\.0\.url: must not carry credentials/);
  assert.match(text, /plan\.alerts\.webhooks\.1\.url: carries a secret .* urlEnv/);
  assert.match(text, /plan\.alerts\.webhooks\.2\.url: carries a secret/);
  assert.match(text, /plan\.alerts\.webhooks\.3\.url: set exactly one of url and urlEnv/);
  assert.match(text, /plan\.alerts\.webhooks\.4\.url: set exactly one of url and urlEnv/);
  const ok = parsePlan({ alerts: { webhooks: [{ urlEnv: 'SLACK_URL', format: 'slack', events: ['switched'] }] } });
  assert.ok(ok.ok);
  assert.equal(ok.plan.alerts?.attempts, 3);
  const none = parsePlan({});
  assert.ok(none.ok && none.plan.alerts === undefined, 'a plan without alerts is unchanged');
});

test('redact: connection-string credentials and key=value secrets', () => {
  assert.equal(redact('postgres://stp:s3cret@db:5432/x and password=hunter2, token: abc'), 'postgres://***@db:5432/x and password=***, token: ***');
});

test('sendAlert: a generic JSON body and a Slack-compatible body, URL from the worker env; no secret in either', async () => {
  const alerts = AlertsPlan.parse({ webhooks: [
    { name: 'ops', url: `${rx.url}/json` },
    { urlEnv: 'STP_TEST_SLACK_URL', format: 'slack' },
    { url: `${rx.url}/only-switched`, events: ['switched'] },
  ] });
  const acts = createAlertActivities({ env: { STP_TEST_SLACK_URL: `${rx.url}/slack` }, retryDelayMs: 10 });
  const r = await acts.sendAlert({ alerts, event: EVENT });
  assert.deepEqual(r, { event: 'rolled_back', delivered: ['ops', '$STP_TEST_SLACK_URL'], failed: [] });
  const json = rx.got.find((g) => g.path === '/json')!;
  assert.equal(json.headers['content-type'], 'application/json');
  assert.deepEqual(json.body, {
    source: 'stp-upgrade', event: 'rolled_back', severity: 'warning', title: 'upgrade rolled back', runId: EVENT.runId, database: 'primary',
    phase: 'rolled_back', step: 'monitor', message: 'rolled back: deploy: connect to postgres://***@db.internal:5432/stp failed (password=***)', at: EVENT.at,
  });
  const slack = rx.got.find((g) => g.path === '/slack')!.body as { text: string; blocks: { type: string }[] };
  assert.match(slack.text, /^:warning: stp-upgrade stp-upgrade-primary-1: upgrade rolled back$/);
  assert.deepEqual(slack.blocks.map((b) => b.type), ['section', 'context']);
  for (const g of rx.got) assert.doesNotMatch(JSON.stringify(g.body), /s3cret|hunter2/);
  assert.equal(rx.attempts('/only-switched'), 0, 'a webhook gets only the events it asked for');
});

test('sendAlert: retries a failing receiver, never throws, and names webhooks without their URL', async () => {
  const flaky = await startReceiver({ failFirst: 2 });
  const dead = await freePort();
  try {
    const alerts = AlertsPlan.parse({ attempts: 3, timeoutMs: 2000, webhooks: [
      { name: 'flaky', url: `${flaky.url}/flaky` },
      { name: 'down', url: `http://127.0.0.1:${dead}/x` },
      { name: 'broken', url: `${rx.url}/broken` },
      { name: 'gone', url: `${rx.url}/gone` },
      { urlEnv: 'STP_TEST_UNSET' },
    ] });
    const acts = createAlertActivities({ env: {}, retryDelayMs: 10 });
    const r = await acts.sendAlert({ alerts, event: { ...EVENT, event: 'rollback_failed' } });
    assert.deepEqual(r.delivered, ['flaky']);
    assert.equal(flaky.attempts('/flaky'), 3);
    const failed = Object.fromEntries(r.failed.map((f) => [f.webhook, f.error]));
    assert.match(failed.down, /after 3 attempt\(s\)$/);
    assert.equal(failed.broken, 'HTTP 500 after 3 attempt(s)');
    assert.equal(rx.attempts('/broken'), 3);
    assert.equal(failed.gone, 'HTTP 404 after 3 attempt(s)');
    assert.equal(rx.attempts('/gone'), 1, 'a 4xx is not retried');
    assert.equal(failed.$STP_TEST_UNSET, 'the worker variable STP_TEST_UNSET is not set');
    assert.doesNotMatch(JSON.stringify(r), /127\.0\.0\.1:\d+\/x/);
  } finally {
    await flaky.close();
  }
});
