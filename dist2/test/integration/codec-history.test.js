"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = __importDefault(require("node:crypto"));
const client_1 = require("@temporalio/client");
const proto_1 = require("@temporalio/proto");
const worker_1 = require("@temporalio/worker");
const codec_1 = require("../../common/codec");
const ports_1 = require("../../demo/ports");
const processes_1 = require("../helpers/processes");
const temporal_1 = require("../helpers/temporal");
const upgrade_support_1 = require("./upgrade-support");
const node_path_1 = __importDefault(require("node:path"));
const node_child_process_1 = require("node:child_process");
// With STP_CODEC_KEYS set on the worker and the CLI, a real upgrade run (defects quarantined,
// verify report) and a failing one (policy block: the failure message lists legacy ids) leave
// nothing readable in the exported history: no plan value, no defect id, no report field, no
// failure message. Decrypted with the key (the CLI, the codec server, a replayer) all is there.
const KEYS = `test-${process.pid}:${node_crypto_1.default.randomBytes(32).toString('base64')}`;
const MODEL = `model-vault-${node_crypto_1.default.randomBytes(4).toString('hex')}`;
const BACKUP_DIR = `/var/backups/vault-${node_crypto_1.default.randomBytes(4).toString('hex')}`;
let summary;
let dropTemplate;
let qdb;
let bdb;
let worker;
let env;
let dir;
let connection;
let plainClient;
const runs = { ok: `codec-ok-${Date.now()}`, blocked: `codec-blocked-${Date.now()}` };
(0, node_test_1.before)(async () => {
    const tpl = await (0, upgrade_support_1.fixtureTemplate)('codec_tpl', { chunks: 400, dim: 8, defects: true, seed: 17 });
    summary = tpl.summary;
    dropTemplate = tpl.drop;
    qdb = await (0, upgrade_support_1.cloneDatabase)(tpl.template, 'codec_q');
    bdb = await (0, upgrade_support_1.cloneDatabase)(tpl.template, 'codec_b');
    dir = (0, upgrade_support_1.tempDir)('codec');
    env = { TEMPORAL_ADDRESS: temporal_1.TEMPORAL_ADDRESS, STP_TASK_QUEUE: (0, upgrade_support_1.randomQueue)('codec'), STP_DATABASE_URL_VAULT: qdb.url, STP_DATABASE_URL_VAULTB: bdb.url, STP_CODEC_KEYS: KEYS };
    worker = await (0, processes_1.startWorkerProcess)(env);
    connection = await client_1.Connection.connect({ address: temporal_1.TEMPORAL_ADDRESS });
    plainClient = new client_1.Client({ connection }); // no codec: what anyone with UI access sees
});
(0, node_test_1.after)(async () => {
    await worker?.stop();
    await connection?.close();
    await qdb?.drop();
    await bdb?.drop();
    await dropTemplate?.();
});
function planFile(name, database, policy) {
    return (0, upgrade_support_1.writePlan)(dir, name, {
        database,
        defects: { policy },
        embeddings: { defaultModel: MODEL, index: { kind: 'none' } },
        backup: { dir: BACKUP_DIR },
        steps: ['preflight', 'schema', 'copy', 'embeddings', 'verify'],
    });
}
async function rawHistory(workflowId) {
    const history = await plainClient.workflow.getHandle(workflowId).fetchHistory();
    return { bytes: Buffer.from(proto_1.temporal.api.history.v1.History.encode(history).finish()), history };
}
/**
 * Every payload of a history (inputs, results, heartbeats, failures' encoded attributes), except
 * the two the SDK keeps readable by design: search attributes (the server indexes them) and patch
 * markers (their id is a constant of our code, e.g. "stp-live-sync-v1").
 */
function payloadsOf(value, out = []) {
    if (!value || typeof value !== 'object' || value instanceof Uint8Array)
        return out;
    const v = value;
    if (v.metadata && typeof v.metadata === 'object' && 'data' in v)
        out.push(v);
    for (const [k, child] of Object.entries(v))
        if (k !== 'searchAttributes' && k !== 'patch-data')
            payloadsOf(child, out);
    return out;
}
async function decryptedText(history) {
    const codec = new codec_1.AesGcmCodec((0, codec_1.loadCodecKeys)({ STP_CODEC_KEYS: KEYS }));
    const payloads = payloadsOf(history);
    const decoded = await codec.decode(payloads);
    return decoded.map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('\n');
}
(0, node_test_1.test)('an encrypted run: no plan value, defect id or report field in the exported history; all there once decrypted', { timeout: 300_000 }, async () => {
    const run = await (0, processes_1.runCliProcess)(['start', '--plan', planFile('ok', 'vault', 'quarantine'), '--workflow-id', runs.ok, '--wait', '--json'], env, 280_000);
    strict_1.default.equal(run.code, 0, `${run.stdout}\n${run.stderr}\n${worker?.output().slice(-3000)}`);
    const out = JSON.parse(run.stdout);
    strict_1.default.equal(out.phase, 'completed', 'the CLI (with the key) reads the outcome');
    strict_1.default.equal(out.report.ok, true);
    const { bytes, history } = await rawHistory(runs.ok);
    const raw = bytes.toString('latin1');
    const defectIds = Object.values(summary.defects).flat().slice(0, 50);
    strict_1.default.ok(defectIds.length > 10);
    const needles = [MODEL, BACKUP_DIR, 'checksums', 'quarantined', 'chunks_legacy', ...defectIds];
    for (const n of needles)
        strict_1.default.ok(!raw.includes(n), `plaintext "${n}" in the stored history`);
    const payloads = payloadsOf(history);
    strict_1.default.ok(payloads.length > 10);
    for (const p of payloads)
        strict_1.default.equal(Buffer.from(p.metadata.encoding).toString(), codec_1.ENCRYPTED_ENCODING);
    // The needles are real: decrypted, the same history has them.
    const clear = await decryptedText(history);
    for (const n of [MODEL, BACKUP_DIR, 'checksums', 'quarantined'])
        strict_1.default.ok(clear.includes(n), `decrypted history has "${n}"`);
    strict_1.default.ok(defectIds.some((id) => clear.includes(id)), 'decrypted history has defect ids (preflight samples)');
    // A replayer with the key replays the encrypted history (the same data converter as the worker).
    await worker_1.Worker.runReplayHistory({ workflowsPath: require.resolve('../../workflows'), dataConverter: (0, codec_1.dataConverterFromEnv)(env) }, history, runs.ok);
});
(0, node_test_1.test)('an encrypted failure: the message (legacy ids) is encrypted too; the CLI with the key shows it', { timeout: 200_000 }, async () => {
    const run = await (0, processes_1.runCliProcess)(['start', '--plan', planFile('blocked', 'vaultb', 'block'), '--workflow-id', runs.blocked, '--wait', '--json'], env, 180_000);
    strict_1.default.notEqual(run.code, 0);
    const { bytes, history } = await rawHistory(runs.blocked);
    const raw = bytes.toString('latin1');
    const failed = history.events.filter((e) => e.activityTaskFailedEventAttributes || e.workflowExecutionFailedEventAttributes);
    strict_1.default.ok(failed.length > 0, 'the run failed');
    for (const e of failed) {
        const failure = e.activityTaskFailedEventAttributes?.failure ?? e.workflowExecutionFailedEventAttributes?.failure;
        strict_1.default.equal(failure?.message, 'Encoded failure', 'the message is replaced in clear');
        strict_1.default.ok(failure?.encodedAttributes, 'and kept in the encrypted attributes');
    }
    for (const id of Object.values(summary.defects).flat())
        strict_1.default.ok(!raw.includes(id), `defect id ${id} in clear`);
    const clear = await decryptedText(history);
    strict_1.default.match(clear, /defect/i, 'decrypted, the failure says why');
    strict_1.default.match(`${run.stdout}${run.stderr}`, /defect/i, 'the CLI with the key prints the reason');
});
(0, node_test_1.test)('the codec server decodes for the Web UI: CORS for its origin only, bearer token required', { timeout: 60_000 }, async () => {
    const port = await (0, ports_1.freePort)();
    const token = node_crypto_1.default.randomBytes(16).toString('hex');
    const origin = 'http://localhost:8233';
    const child = (0, node_child_process_1.spawn)(process.execPath, [node_path_1.default.join(processes_1.REPO_ROOT, 'bin', 'stp-upgrade.js'), 'codec-server', '--port', String(port), '--origin', origin], {
        env: { ...process.env, STP_CODEC_KEYS: KEYS, STP_CODEC_SERVER_TOKEN: token },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
        let output = '';
        await new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`codec-server did not start: ${output}`)), 30_000);
            child.stdout.on('data', (d) => ((output += d), output.includes('codec-server: http') && (clearTimeout(timer), resolve())));
            child.stderr.on('data', (d) => (output += d));
            child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`codec-server exited ${code}: ${output}`))));
        });
        strict_1.default.ok(!output.includes(token) && !output.includes(KEYS.split(':')[1]), 'no secret in its output');
        const url = `http://127.0.0.1:${port}`;
        const { history } = await rawHistory(runs.ok);
        const input = history.events[0].workflowExecutionStartedEventAttributes.input.payloads;
        const body = JSON.stringify({
            payloads: input.map((p) => ({
                metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
                data: Buffer.from(p.data ?? []).toString('base64'),
            })),
        });
        const preflight = await fetch(`${url}/decode`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-namespace,authorization' } });
        strict_1.default.equal(preflight.status, 204);
        strict_1.default.equal(preflight.headers.get('access-control-allow-origin'), origin);
        strict_1.default.match(preflight.headers.get('access-control-allow-headers') ?? '', /X-Namespace/i);
        const other = await fetch(`${url}/decode`, { method: 'OPTIONS', headers: { Origin: 'http://evil.example' } });
        strict_1.default.equal(other.headers.get('access-control-allow-origin'), null, 'another origin is not allowed');
        const headers = { 'Content-Type': 'application/json', 'X-Namespace': 'default', Origin: origin };
        strict_1.default.equal((await fetch(`${url}/decode`, { method: 'POST', headers, body })).status, 401, 'no token');
        strict_1.default.equal((await fetch(`${url}/decode`, { method: 'POST', headers: { ...headers, Authorization: 'Bearer wrong' }, body })).status, 401, 'wrong token');
        const res = await fetch(`${url}/decode`, { method: 'POST', headers: { ...headers, Authorization: `Bearer ${token}` }, body });
        strict_1.default.equal(res.status, 200);
        strict_1.default.equal(res.headers.get('access-control-allow-origin'), origin);
        const decoded = (await res.json());
        const plan = JSON.parse(Buffer.from(decoded.payloads[0].data, 'base64').toString('utf8'));
        strict_1.default.equal(plan.embeddings.defaultModel, MODEL, 'the plan, readable again');
        strict_1.default.equal(Buffer.from(decoded.payloads[0].metadata.encoding, 'base64').toString(), 'json/plain');
    }
    finally {
        child.kill('SIGTERM');
    }
});
//# sourceMappingURL=codec-history.test.js.map