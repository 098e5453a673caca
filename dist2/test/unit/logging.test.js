"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const logging_1 = require("../../workers/logging");
const activity_context_1 = require("../../workers/activity-context");
const runtime_1 = require("../../workers/runtime");
function capture(isTTY = false) {
    const lines = [];
    return { lines, write: (l) => lines.push(l), isTTY };
}
const env = {
    TEMPORAL_API_KEY: 'tk_live_0123456789',
    STP_CODEC_KEYS: 'k2:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVowMTIzNDU=,k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
    STP_DATABASE_URL: 'postgres://stp:pa%24%24word-42@db:5432/stp',
    STP_CODEC_SERVER_TOKEN: 'bearer-token-xyz',
};
(0, node_test_1.test)('JSON lines with the level by name; nothing below STP_LOG_LEVEL', () => {
    const out = capture();
    const log = (0, logging_1.createLogger)({ STP_LOG_LEVEL: 'warn' }, out);
    log.info('hidden');
    log.warn({ run_id: 'r1', step: 'copy', rule: 'chunks', attempt: 2 }, 'slow batch');
    strict_1.default.equal(out.lines.length, 1);
    const line = JSON.parse(out.lines[0]);
    strict_1.default.deepEqual({ ...line, time: undefined }, { time: undefined, level: 'warn', run_id: 'r1', step: 'copy', rule: 'chunks', attempt: 2, msg: 'slow batch' });
    strict_1.default.throws(() => (0, logging_1.createLogger)({ STP_LOG_LEVEL: 'loud' }, capture()), (e) => e instanceof logging_1.LogSettingsError && /STP_LOG_LEVEL=loud: expected one of trace, debug, info, warn, error/.test(e.message));
});
(0, node_test_1.test)('no secret of the environment in any line: API key, codec keys, URL passwords, token', () => {
    strict_1.default.deepEqual((0, logging_1.secretsOf)(env).sort(), ['QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVowMTIzNDU=', 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=', 'pa$$word-42', 'tk_live_0123456789', 'bearer-token-xyz'].sort());
    const out = capture();
    const log = (0, logging_1.createLogger)(env, out);
    log.error({ key: env.TEMPORAL_API_KEY, nested: { codec: env.STP_CODEC_KEYS } }, `failed with ${env.STP_DATABASE_URL} and pa$$word-42 and bearer-token-xyz`);
    log.info('other url postgres://someone:hunter2@elsewhere/db');
    const text = out.lines.join('');
    for (const s of [...(0, logging_1.secretsOf)(env), 'hunter2'])
        strict_1.default.ok(!text.includes(s), s);
    strict_1.default.match(text, /postgres:\/\/stp:\[redacted\]@db:5432\/stp/);
    strict_1.default.match(text, /postgres:\/\/someone:\[redacted\]@elsewhere/);
});
(0, node_test_1.test)('a terminal gets readable lines', () => {
    const out = capture(true);
    (0, logging_1.createLogger)({}, out).info({ run_id: 'r1', step: 'verify' }, 'step started');
    strict_1.default.match(out.lines[0], /^\d\d:\d\d:\d\d INFO  step started {2}run_id=r1 step=verify\n$/);
});
(0, node_test_1.test)('SDK log metadata becomes our fields: run_id is the workflow id', () => {
    const out = capture();
    const sdk = (0, logging_1.sdkLogger)((0, logging_1.createLogger)({ STP_LOG_LEVEL: 'debug' }, out));
    sdk.info('step started', { sdkComponent: 'workflow', workflowId: 'stp-upgrade-primary-1', runId: 'abc-def', workflowType: 'upgradeWorkflow', namespace: 'default', step: 'copy' });
    sdk.debug('Activity completed', { sdkComponent: 'activity', workflowId: 'w', workflowRunId: 'x', activityType: 'copySlice', attempt: 3, taskToken: 'secret-ish' });
    const [wf, act] = out.lines.map((l) => JSON.parse(l));
    strict_1.default.equal(wf.run_id, 'stp-upgrade-primary-1');
    strict_1.default.equal(wf.temporal_run_id, 'abc-def');
    strict_1.default.equal(wf.step, 'copy');
    strict_1.default.equal(wf.workflow, 'upgradeWorkflow');
    strict_1.default.equal(act.level, 'debug');
    strict_1.default.equal(act.activity, 'copySlice');
    strict_1.default.equal(act.attempt, 3);
    strict_1.default.equal(act.taskToken, undefined);
});
(0, node_test_1.test)('activity fields: step from the rule or the activity, run id from the input', () => {
    strict_1.default.deepEqual((0, activity_context_1.activityFields)('copySlice', { runId: 'r', rule: 'templates' }), { run_id: 'r', step: 'copy', rule: 'templates' });
    strict_1.default.deepEqual((0, activity_context_1.activityFields)('copySlice', { runId: 'r', rule: 'embeddings' }), { run_id: 'r', step: 'embeddings', rule: 'embeddings' });
    strict_1.default.deepEqual((0, activity_context_1.activityFields)('verify', { runId: 'r' }), { run_id: 'r', step: 'verify' });
    strict_1.default.deepEqual((0, activity_context_1.activityFields)('somethingNew', undefined), { step: 'somethingNew' });
});
(0, node_test_1.test)('STP_METRICS_ADDRESS is host:port', () => {
    strict_1.default.equal((0, runtime_1.metricsAddress)({}), undefined);
    strict_1.default.equal((0, runtime_1.metricsAddress)({ STP_METRICS_ADDRESS: '0.0.0.0:9464' }), '0.0.0.0:9464');
    strict_1.default.throws(() => (0, runtime_1.metricsAddress)({ STP_METRICS_ADDRESS: '9464' }), (e) => e instanceof runtime_1.MetricsSettingsError && /STP_METRICS_ADDRESS=9464: expected host:port/.test(e.message));
});
//# sourceMappingURL=logging.test.js.map