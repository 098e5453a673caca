"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const alerts_1 = require("../../activities/alerts");
const alerts_2 = require("../../common/alerts");
const plan_1 = require("../../common/plan");
const ports_1 = require("../../demo/ports");
const receiver_1 = require("../helpers/receiver");
// The alert activity against a real HTTP receiver on loopback (no Temporal needed: it is a function).
let rx;
(0, node_test_1.before)(async () => {
    rx = await (0, receiver_1.startReceiver)({ failFirst: 0, status: (p) => (p.startsWith('/flaky') ? undefined : p.startsWith('/broken') ? 500 : p.startsWith('/gone') ? 404 : 200) });
});
(0, node_test_1.after)(() => rx?.close());
const EVENT = {
    event: 'rolled_back', runId: 'stp-upgrade-primary-1', database: 'primary', at: '2026-12-02T06:00:00.000Z', phase: 'rolled_back', step: 'monitor',
    message: 'rolled back: deploy: connect to postgres://stp:s3cret@db.internal:5432/stp failed (password=hunter2)',
};
(0, node_test_1.test)('plan.alerts: URLs with credentials or a Slack secret are refused, with the fix', () => {
    const r = (0, plan_1.parsePlan)({ alerts: { webhooks: [
                { url: 'https://user:pw@alerts.example.com/hook' },
                { url: 'https://hooks.slack.com/services/T000/B000/XXXX', format: 'slack' },
                { url: 'https://alerts.example.com/hook?token=abc' },
                { urlEnv: 'SLACK_URL', url: 'https://alerts.example.com/hook' },
                {},
            ] } });
    strict_1.default.ok(!r.ok);
    const text = r.errors.join('\n');
    strict_1.default.match(text, /plan\.alerts\.webhooks\.0\.url: must not carry credentials/);
    strict_1.default.match(text, /plan\.alerts\.webhooks\.1\.url: carries a secret .* urlEnv/);
    strict_1.default.match(text, /plan\.alerts\.webhooks\.2\.url: carries a secret/);
    strict_1.default.match(text, /plan\.alerts\.webhooks\.3\.url: set exactly one of url and urlEnv/);
    strict_1.default.match(text, /plan\.alerts\.webhooks\.4\.url: set exactly one of url and urlEnv/);
    const ok = (0, plan_1.parsePlan)({ alerts: { webhooks: [{ urlEnv: 'SLACK_URL', format: 'slack', events: ['switched'] }] } });
    strict_1.default.ok(ok.ok);
    strict_1.default.equal(ok.plan.alerts?.attempts, 3);
    const none = (0, plan_1.parsePlan)({});
    strict_1.default.ok(none.ok && none.plan.alerts === undefined, 'a plan without alerts is unchanged');
});
(0, node_test_1.test)('redact: connection-string credentials and key=value secrets', () => {
    strict_1.default.equal((0, alerts_2.redact)('postgres://stp:s3cret@db:5432/x and password=hunter2, token: abc'), 'postgres://***@db:5432/x and password=***, token: ***');
});
(0, node_test_1.test)('sendAlert: a generic JSON body and a Slack-compatible body, URL from the worker env; no secret in either', async () => {
    const alerts = alerts_2.AlertsPlan.parse({ webhooks: [
            { name: 'ops', url: `${rx.url}/json` },
            { urlEnv: 'STP_TEST_SLACK_URL', format: 'slack' },
            { url: `${rx.url}/only-switched`, events: ['switched'] },
        ] });
    const acts = (0, alerts_1.createAlertActivities)({ env: { STP_TEST_SLACK_URL: `${rx.url}/slack` }, retryDelayMs: 10 });
    const r = await acts.sendAlert({ alerts, event: EVENT });
    strict_1.default.deepEqual(r, { event: 'rolled_back', delivered: ['ops', '$STP_TEST_SLACK_URL'], failed: [] });
    const json = rx.got.find((g) => g.path === '/json');
    strict_1.default.equal(json.headers['content-type'], 'application/json');
    strict_1.default.deepEqual(json.body, {
        source: 'stp-upgrade', event: 'rolled_back', severity: 'warning', title: 'upgrade rolled back', runId: EVENT.runId, database: 'primary',
        phase: 'rolled_back', step: 'monitor', message: 'rolled back: deploy: connect to postgres://***@db.internal:5432/stp failed (password=***)', at: EVENT.at,
    });
    const slack = rx.got.find((g) => g.path === '/slack').body;
    strict_1.default.match(slack.text, /^:warning: stp-upgrade stp-upgrade-primary-1: upgrade rolled back$/);
    strict_1.default.deepEqual(slack.blocks.map((b) => b.type), ['section', 'context']);
    for (const g of rx.got)
        strict_1.default.doesNotMatch(JSON.stringify(g.body), /s3cret|hunter2/);
    strict_1.default.equal(rx.attempts('/only-switched'), 0, 'a webhook gets only the events it asked for');
});
(0, node_test_1.test)('sendAlert: retries a failing receiver, never throws, and names webhooks without their URL', async () => {
    const flaky = await (0, receiver_1.startReceiver)({ failFirst: 2 });
    const dead = await (0, ports_1.freePort)();
    try {
        const alerts = alerts_2.AlertsPlan.parse({ attempts: 3, timeoutMs: 2000, webhooks: [
                { name: 'flaky', url: `${flaky.url}/flaky` },
                { name: 'down', url: `http://127.0.0.1:${dead}/x` },
                { name: 'broken', url: `${rx.url}/broken` },
                { name: 'gone', url: `${rx.url}/gone` },
                { urlEnv: 'STP_TEST_UNSET' },
            ] });
        const acts = (0, alerts_1.createAlertActivities)({ env: {}, retryDelayMs: 10 });
        const r = await acts.sendAlert({ alerts, event: { ...EVENT, event: 'rollback_failed' } });
        strict_1.default.deepEqual(r.delivered, ['flaky']);
        strict_1.default.equal(flaky.attempts('/flaky'), 3);
        const failed = Object.fromEntries(r.failed.map((f) => [f.webhook, f.error]));
        strict_1.default.match(failed.down, /after 3 attempt\(s\)$/);
        strict_1.default.equal(failed.broken, 'HTTP 500 after 3 attempt(s)');
        strict_1.default.equal(rx.attempts('/broken'), 3);
        strict_1.default.equal(failed.gone, 'HTTP 404 after 3 attempt(s)');
        strict_1.default.equal(rx.attempts('/gone'), 1, 'a 4xx is not retried');
        strict_1.default.equal(failed.$STP_TEST_UNSET, 'the worker variable STP_TEST_UNSET is not set');
        strict_1.default.doesNotMatch(JSON.stringify(r), /127\.0\.0\.1:\d+\/x/);
    }
    finally {
        await flaky.close();
    }
});
//# sourceMappingURL=alerts.test.js.map