"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_crypto_1 = __importDefault(require("node:crypto"));
const node_fs_1 = __importDefault(require("node:fs"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const client_1 = require("@temporalio/client");
const proto_1 = require("@temporalio/proto");
const codec_1 = require("../../common/codec");
const ports_1 = require("../../demo/ports");
const chromium_1 = require("../helpers/chromium");
const processes_1 = require("../helpers/processes");
const temporal_1 = require("../helpers/temporal");
// The Web UI shows an encrypted run's plan through `stp-upgrade codec-server`: a dev server whose
// UI is given the codec endpoint (--ui-codec-endpoint), the real codec-server command on loopback,
// a workflow started with the key, and headless Chromium (Debian's, scripts/install.sh) reading the
// page. The history itself holds the plan only as ciphertext. The screenshot is kept in the test's
// directory (its path is printed).
const KEYS = `ui-${process.pid}:${node_crypto_1.default.randomBytes(32).toString('base64')}`;
const MODEL = `model-shown-in-ui-${node_crypto_1.default.randomBytes(3).toString('hex')}`;
const children = [];
let dir;
let address;
let uiUrl;
function startChild(cmd, args, env, ready) {
    const child = (0, node_child_process_1.spawn)(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    if (!ready)
        return Promise.resolve(child);
    let out = '';
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${cmd} did not start: ${out}`)), 30_000);
        const onData = (d) => {
            out += d;
            if (ready.test(out))
                (clearTimeout(timer), resolve(child));
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`${cmd} exited ${code}: ${out}`))));
    });
}
(0, node_test_1.before)(async () => {
    dir = node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'stp-codec-ui-'));
    const [port, uiPort, codecPort] = [await (0, ports_1.freePort)(), await (0, ports_1.freePort)(), await (0, ports_1.freePort)()];
    address = `127.0.0.1:${port}`;
    uiUrl = `http://127.0.0.1:${uiPort}`;
    await startChild(process.execPath, [node_path_1.default.join(processes_1.REPO_ROOT, 'bin', 'stp-upgrade.js'), 'codec-server', '--port', String(codecPort), '--origin', uiUrl], { STP_CODEC_KEYS: KEYS }, /codec-server: http/);
    const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort), '--ui-codec-endpoint', `http://127.0.0.1:${codecPort}`, '--log-level', 'warn', '--ui-disable-news-fetch'];
    await startChild((0, temporal_1.temporalCliPath)(), args, {}, undefined);
});
(0, node_test_1.after)(() => {
    for (const c of children.reverse())
        if (c.exitCode === null)
            c.kill('SIGTERM');
});
async function connect() {
    const deadline = Date.now() + 60_000;
    for (;;) {
        try {
            const c = await client_1.Connection.connect({ address, connectTimeout: '2s' });
            await c.workflowService.describeNamespace({ namespace: 'default' });
            return c;
        }
        catch (err) {
            if (Date.now() > deadline)
                throw err;
            await new Promise((r) => setTimeout(r, 500));
        }
    }
}
(0, node_test_1.test)('the Web UI shows the plan of an encrypted run through the codec server (headless Chromium)', { timeout: 120_000 }, async () => {
    const connection = await connect();
    const browser = chromium_1.HeadlessChromium.launch('chromium', '1400,1000');
    try {
        const client = new client_1.Client({ connection, dataConverter: (0, codec_1.dataConverterFromEnv)({ STP_CODEC_KEYS: KEYS }) });
        // No worker: the run waits, and its input (the plan) is what the page shows.
        const handle = await client.workflow.start('upgradeWorkflow', { taskQueue: `ui-${process.pid}`, workflowId: `codec-ui-${Date.now()}`, args: [{ database: 'primary', embeddings: { defaultModel: MODEL } }] });
        const history = await new client_1.Client({ connection }).workflow.getHandle(handle.workflowId).fetchHistory();
        strict_1.default.ok(!Buffer.from(proto_1.temporal.api.history.v1.History.encode(history).finish()).toString('latin1').includes(MODEL), 'the stored plan is ciphertext');
        const page = await browser.open(`${uiUrl}/namespaces/default/workflows/${handle.workflowId}`);
        const text = await browser.waitForText(page, MODEL, 60_000);
        const shot = node_path_1.default.join(dir, 'ui-plan-through-codec-server.png');
        node_fs_1.default.writeFileSync(shot, await browser.screenshot(page));
        console.log(`screenshot: ${shot}`);
        strict_1.default.ok(text.includes(handle.workflowId), 'the run\'s page loaded');
        strict_1.default.ok(text.includes(`"defaultModel": "${MODEL}"`), `the UI shows the decrypted plan:\n${text.slice(0, 2000)}`);
        strict_1.default.ok(node_fs_1.default.statSync(shot).size > 10_000, 'a screenshot');
        await handle.terminate('test done');
    }
    finally {
        await browser.close();
        await connection.close();
    }
});
//# sourceMappingURL=codec-ui.test.js.map