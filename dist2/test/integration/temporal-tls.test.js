"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = __importDefault(require("node:fs"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const command_1 = require("../../client/command");
const connection_1 = require("../../client/connection");
const cleanup_1 = require("../../demo/cleanup");
const temporal_server_1 = require("../../demo/temporal-server");
const processes_1 = require("../helpers/processes");
const temporal_1 = require("../helpers/temporal");
const tls_1 = require("../helpers/tls");
// TLS, mTLS and API keys for real: our own Temporal dev server (start-dev has no TLS flags), fronted
// by a TLS-terminating gRPC proxy with certificates generated here. The proxy records the headers
// of every call, so the API key is seen on the wire. The CLI and the worker read the standard
// TEMPORAL_* variables and the TOML profile file (@temporalio/envconfig).
const cleanup = new cleanup_1.Cleanup();
let dir;
let pki;
let devAddress;
let tlsProxy;
let mtlsProxy;
// HOME points nowhere, so a developer's own ~/.config/temporalio/temporal.toml is not read.
const base = { HOME: '/nonexistent', STP_TASK_QUEUE: `tls-${process.pid}` };
(0, node_test_1.before)(async () => {
    dir = node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'stp-tls-'));
    pki = (0, tls_1.generatePki)(node_path_1.default.join(dir, 'pki'));
    const dev = await (0, temporal_server_1.startTemporalDevServer)(cleanup, { cli: (0, temporal_1.temporalCliPath)(), logDir: dir, ui: false });
    devAddress = dev.address;
    tlsProxy = await (0, tls_1.startGrpcTlsProxy)({ upstream: devAddress, pki });
    mtlsProxy = await (0, tls_1.startGrpcTlsProxy)({ upstream: devAddress, pki, clientCa: pki.caCert });
    cleanup.add('proxies', async () => {
        await tlsProxy.close();
        await mtlsProxy.close();
    });
});
(0, node_test_1.after)(async () => {
    await cleanup.run();
    node_fs_1.default.rmSync(dir, { recursive: true, force: true });
});
const mtlsEnv = () => ({
    ...base,
    TEMPORAL_ADDRESS: mtlsProxy.address,
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.caCert,
    TEMPORAL_TLS_CLIENT_CERT_PATH: pki.clientCert,
    TEMPORAL_TLS_CLIENT_KEY_PATH: pki.clientKey,
});
async function connectsWith(env) {
    const { client, close } = await (0, connection_1.connectClient)(env);
    try {
        await client.workflowService.getSystemInfo({});
    }
    finally {
        await close();
    }
}
async function failsWith(env, ...expected) {
    const err = await (0, connection_1.connectClient)(env).then(async (c) => (await c.close(), undefined), (e) => e);
    strict_1.default.ok(err instanceof command_1.CliError, `expected a CliError, got ${String(err)}`);
    const message = err.message;
    strict_1.default.doesNotMatch(message, /\n/, 'one paragraph');
    for (const re of expected)
        strict_1.default.match(message, re);
    return message;
}
(0, node_test_1.test)('TLS: the CLI connects with the CA of TEMPORAL_TLS_SERVER_CA_CERT_PATH, through the TLS proxy only', async () => {
    const before = tlsProxy.calls.length;
    await connectsWith({ ...base, TEMPORAL_ADDRESS: tlsProxy.address, TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.caCert });
    strict_1.default.ok(tlsProxy.calls.length > before, 'the calls went through the TLS proxy');
    strict_1.default.equal((0, connection_1.temporalSettings)({ ...base, TEMPORAL_ADDRESS: tlsProxy.address, TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.caCert }).security, 'TLS');
});
(0, node_test_1.test)('mTLS: the CLI connects with a client certificate; the server refuses a connection without one', async () => {
    await connectsWith(mtlsEnv());
    await failsWith({ ...base, TEMPORAL_ADDRESS: mtlsProxy.address, TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.caCert }, /TEMPORAL_TLS_CLIENT_CERT_PATH/, /TEMPORAL_TLS_CLIENT_KEY_PATH/);
});
(0, node_test_1.test)('API key: TEMPORAL_API_KEY is sent as the authorization header (and turns TLS on)', async () => {
    const key = `key-${process.pid}-${Date.now()}`;
    const before = tlsProxy.calls.length;
    await connectsWith({ ...base, TEMPORAL_ADDRESS: tlsProxy.address, TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.caCert, TEMPORAL_API_KEY: key });
    const seen = tlsProxy.calls.slice(before).map((h) => h.authorization);
    strict_1.default.ok(seen.length > 0);
    strict_1.default.ok(seen.every((a) => a === `Bearer ${key}`), `every call carries the key: ${JSON.stringify(seen)}`);
    strict_1.default.equal((0, connection_1.temporalSettings)({ ...base, TEMPORAL_ADDRESS: tlsProxy.address, TEMPORAL_API_KEY: key }).security, 'TLS + API key');
});
(0, node_test_1.test)('a TOML profile (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE) gives address, namespace and mTLS', async () => {
    const toml = node_path_1.default.join(dir, 'temporal.toml');
    node_fs_1.default.writeFileSync(toml, [
        '[profile.default]',
        'address = "127.0.0.1:1"',
        '[profile.secure]',
        `address = "${mtlsProxy.address}"`,
        'namespace = "default"',
        '[profile.secure.tls]',
        `server_ca_cert_path = "${pki.caCert}"`,
        `client_cert_path = "${pki.clientCert}"`,
        `client_key_path = "${pki.clientKey}"`,
        '',
    ].join('\n'));
    const env = { ...base, TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'secure' };
    const settings = (0, connection_1.temporalSettings)(env);
    strict_1.default.equal(settings.address, mtlsProxy.address);
    strict_1.default.equal(settings.security, 'mTLS');
    strict_1.default.match(settings.source, /profile "secure"/);
    await connectsWith(env);
    await failsWith({ ...env, TEMPORAL_PROFILE: 'nope' }, /TEMPORAL_PROFILE=nope/, /temporal\.toml/);
});
(0, node_test_1.test)('a wrong certificate or key: one paragraph naming the setting to fix', async () => {
    const tls = { ...base, TEMPORAL_ADDRESS: tlsProxy.address };
    await failsWith({ ...tls, TEMPORAL_TLS: 'true' }, /TEMPORAL_TLS_SERVER_CA_CERT_PATH/, /not signed by a CA/);
    await failsWith({ ...tls, TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.otherCaCert }, /TEMPORAL_TLS_SERVER_CA_CERT_PATH/);
    await failsWith({ ...tls, TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.caCert, TEMPORAL_TLS_SERVER_NAME: 'temporal.example.com' }, /TEMPORAL_TLS_SERVER_NAME/);
    await failsWith({ ...base, TEMPORAL_ADDRESS: tlsProxy.address }, /TEMPORAL_TLS=true/);
    await failsWith({ ...base, TEMPORAL_ADDRESS: devAddress, TEMPORAL_TLS: 'true' }, /does not speak TLS/, /unset TEMPORAL_TLS/);
    await failsWith({ ...mtlsEnv(), TEMPORAL_TLS_CLIENT_KEY_PATH: pki.otherClientKey }, /TEMPORAL_TLS_CLIENT_KEY_PATH/, /private key of/);
    await failsWith({ ...mtlsEnv(), TEMPORAL_TLS_CLIENT_CERT_PATH: pki.otherClientCert, TEMPORAL_TLS_CLIENT_KEY_PATH: pki.otherClientKey }, /refused the client certificate/);
    await failsWith({ ...mtlsEnv(), TEMPORAL_TLS_CLIENT_CERT_PATH: node_path_1.default.join(dir, 'missing.pem') }, /TEMPORAL_TLS_CLIENT_CERT_PATH/, /cannot be read/);
    await failsWith({ ...mtlsEnv(), TEMPORAL_TLS_CLIENT_KEY_PATH: undefined }, /TEMPORAL_TLS_CLIENT_KEY_PATH/, /both/);
});
(0, node_test_1.test)('the worker connects over mTLS with an API key and polls through the proxy; a wrong key stops it with the paragraph', async () => {
    const key = `worker-key-${process.pid}`;
    const before = mtlsProxy.calls.length;
    const worker = await (0, processes_1.startWorkerProcess)({ ...mtlsEnv(), TEMPORAL_API_KEY: key, STP_DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused' });
    try {
        strict_1.default.match(worker.output(), /\(mTLS \+ API key\)/);
        const deadline = Date.now() + 20_000;
        while (!mtlsProxy.calls.slice(before).some((h) => /PollWorkflowTaskQueue/.test(String(h[':path']))) && Date.now() < deadline)
            await new Promise((r) => setTimeout(r, 200));
        const calls = mtlsProxy.calls.slice(before);
        strict_1.default.ok(calls.some((h) => /PollWorkflowTaskQueue/.test(String(h[':path']))), 'the worker polls through the mTLS proxy');
        strict_1.default.ok(calls.every((h) => h.authorization === `Bearer ${key}`), 'the worker sends the API key on every call');
        strict_1.default.ok(!worker.output().includes(key), 'the key is not logged');
    }
    finally {
        await worker.stop();
    }
    const run = await (0, processes_1.runCliProcess)(['worker'], { ...mtlsEnv(), TEMPORAL_TLS_CLIENT_KEY_PATH: pki.otherClientKey }, 60_000);
    strict_1.default.equal(run.code, 1);
    strict_1.default.match(run.stderr, /TEMPORAL_TLS_CLIENT_KEY_PATH/);
});
//# sourceMappingURL=temporal-tls.test.js.map