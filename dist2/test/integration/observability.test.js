"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = __importDefault(require("node:crypto"));
const ports_1 = require("../../demo/ports");
const processes_1 = require("../helpers/processes");
const temporal_1 = require("../helpers/temporal");
const upgrade_support_1 = require("./upgrade-support");
// A real worker process during a real run: its stdout is JSON lines with the run's fields and no
// secret of its environment; STP_METRICS_ADDRESS serves the SDK's metrics and ours, scraped while
// the run goes and after it.
const SECRETS = {
    STP_CODEC_KEYS: `obs:${node_crypto_1.default.randomBytes(32).toString('base64')}`,
    STP_CODEC_SERVER_TOKEN: `tok-${node_crypto_1.default.randomBytes(8).toString('hex')}`,
    PGPASSWORD: `pw-${node_crypto_1.default.randomBytes(8).toString('hex')}`,
    STP_DATABASE_URL_ELSEWHERE: `postgres://stp:urlpw-${node_crypto_1.default.randomBytes(6).toString('hex')}@127.0.0.1:1/elsewhere`,
};
let dropTemplate;
let db;
let worker;
let env;
let metricsUrl;
let dir;
(0, node_test_1.before)(async () => {
    const tpl = await (0, upgrade_support_1.fixtureTemplate)('obs_tpl', { chunks: 3000, dim: 8, defects: true, seed: 23 });
    dropTemplate = tpl.drop;
    db = await (0, upgrade_support_1.cloneDatabase)(tpl.template, 'obs');
    dir = (0, upgrade_support_1.tempDir)('obs');
    const port = await (0, ports_1.freePort)();
    metricsUrl = `http://127.0.0.1:${port}/metrics`;
    // The test database needs no password: PGPASSWORD is only there to be kept out of the logs.
    env = { TEMPORAL_ADDRESS: temporal_1.TEMPORAL_ADDRESS, STP_TASK_QUEUE: (0, upgrade_support_1.randomQueue)('obs'), STP_DATABASE_URL: db.url, STP_METRICS_ADDRESS: `127.0.0.1:${port}`, STP_LOG_LEVEL: 'info', ...SECRETS };
    worker = await (0, processes_1.startWorkerProcess)(env);
});
(0, node_test_1.after)(async () => {
    await worker?.stop();
    await db?.drop();
    await dropTemplate?.();
});
/** name{labels} value, for the series of one metric name. */
function series(text, name) {
    return text
        .split('\n')
        .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
        .map((l) => {
        const i = l.lastIndexOf(' ');
        return { labels: l.slice(name.length, i), value: Number(l.slice(i + 1)) };
    });
}
(0, node_test_1.test)('a run: JSON log lines with run_id, step, rule and attempt, no secret; metrics scraped during and after', { timeout: 240_000 }, async () => {
    const wf = `obs-${Date.now()}`;
    const plan = (0, upgrade_support_1.writePlan)(dir, 'obs', { copy: { batchSize: 200 }, defects: { policy: 'quarantine' }, embeddings: { index: { kind: 'none' } }, steps: ['preflight', 'schema', 'copy', 'embeddings', 'verify'] });
    const running = (0, processes_1.runCliProcess)(['start', '--plan', plan, '--workflow-id', wf, '--wait', '--json'], env, 200_000);
    const scrapes = [];
    let done = false;
    void running.finally(() => (done = true));
    while (!done) {
        scrapes.push(await fetch(metricsUrl).then((r) => r.text(), () => ''));
        await new Promise((r) => setTimeout(r, 300));
    }
    const run = await running;
    strict_1.default.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    const final = await fetch(metricsUrl).then((r) => r.text());
    // Metrics: ours and the SDK's on one endpoint.
    strict_1.default.ok(scrapes.some((s) => series(s, 'stp_run_step').some((x) => x.labels.includes(`run_id="${wf}"`) && x.value > 0)), 'the step gauge seen during the run');
    const copied = series(final, 'stp_rows_copied_total');
    strict_1.default.ok(copied.some((s) => s.labels.includes('rule="chunks"') && s.value > 0), `rows copied per rule: ${JSON.stringify(copied)}`);
    strict_1.default.ok(series(final, 'stp_copy_batch_duration_bucket').length > 0, 'batch duration histogram');
    strict_1.default.ok(series(final, 'stp_copy_batch_duration_count').some((s) => s.value >= 10), 'one observation per batch');
    strict_1.default.ok(series(final, 'stp_verify_duration_count').some((s) => s.labels.includes('ok="true"') && s.value >= 1), 'verify duration');
    strict_1.default.ok(series(final, 'stp_runs_closed_total').some((s) => s.labels.includes('phase="completed"') && s.value >= 1), 'runs closed');
    strict_1.default.ok(series(final, 'stp_run_step').some((s) => s.labels.includes(`run_id="${wf}"`) && s.value === 0), 'the step gauge is 0 once closed');
    strict_1.default.ok(series(final, 'stp_run_phase').some((s) => s.labels.includes(`run_id="${wf}"`) && s.value === 10), 'the phase gauge says completed (10)');
    strict_1.default.ok(scrapes.some((s) => series(s, 'stp_run_phase').some((x) => x.labels.includes(`run_id="${wf}"`) && x.value === 2)), 'and running (2) during the run');
    strict_1.default.ok(/^temporal_\w+/m.test(final), 'the SDK\'s own metrics are on the same endpoint');
    // Logs: every stdout line is JSON; the run's lines carry its fields.
    const lines = worker.output().split('\n').filter((l) => l.trim().startsWith('{'));
    const parsed = lines.map((l) => JSON.parse(l));
    const mine = parsed.filter((l) => l.run_id === wf);
    const activityDone = mine.filter((l) => l.msg === 'activity completed');
    strict_1.default.ok(activityDone.some((l) => l.step === 'copy' && l.rule === 'chunks' && typeof l.attempt === 'number' && typeof l.duration_ms === 'number'), 'copy slices logged with step, rule and attempt');
    strict_1.default.ok(activityDone.some((l) => l.step === 'verify' && l.activity === 'verify'));
    strict_1.default.ok(mine.some((l) => l.msg === 'step started' && l.step === 'copy' && l.component === 'workflow'), 'workflow log lines through the SDK sink');
    strict_1.default.ok(mine.some((l) => l.msg === 'rule copied' && l.rule === 'chunks'), 'workflow lines keep their fields');
    const all = worker.output();
    for (const [name, value] of Object.entries(SECRETS)) {
        const secret = name === 'STP_CODEC_KEYS' ? value.split(':')[1] : name === 'STP_DATABASE_URL_ELSEWHERE' ? new URL(value).password : value;
        strict_1.default.ok(!all.includes(secret), `${name} is not in the worker's output`);
    }
});
//# sourceMappingURL=observability.test.js.map