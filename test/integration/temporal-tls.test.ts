import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CliError } from '../../client/command';
import { connectClient, temporalSettings } from '../../client/connection';
import { Cleanup } from '../../demo/cleanup';
import { startTemporalDevServer } from '../../demo/temporal-server';
import { runCliProcess, startWorkerProcess } from '../helpers/processes';
import { temporalCliPath } from '../helpers/temporal';
import { generatePki, startGrpcTlsProxy, type GrpcProxy, type TestPki } from '../helpers/tls';

// TLS, mTLS and API keys for real: our own Temporal dev server (start-dev has no TLS flags), fronted
// by a TLS-terminating gRPC proxy with certificates generated here. The proxy records the headers
// of every call, so the API key is seen on the wire. The CLI and the worker read the standard
// TEMPORAL_* variables and the TOML profile file (@temporalio/envconfig).

const cleanup = new Cleanup();
let dir: string;
let pki: TestPki;
let devAddress: string;
let tlsProxy: GrpcProxy;
let mtlsProxy: GrpcProxy;
// HOME points nowhere, so a developer's own ~/.config/temporalio/temporal.toml is not read.
const base = { HOME: '/nonexistent', STP_TASK_QUEUE: `tls-${process.pid}` };

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stp-tls-'));
  pki = generatePki(path.join(dir, 'pki'));
  const dev = await startTemporalDevServer(cleanup, { cli: temporalCliPath(), logDir: dir, ui: false });
  devAddress = dev.address;
  tlsProxy = await startGrpcTlsProxy({ upstream: devAddress, pki });
  mtlsProxy = await startGrpcTlsProxy({ upstream: devAddress, pki, clientCa: pki.caCert });
  cleanup.add('proxies', async () => {
    await tlsProxy.close();
    await mtlsProxy.close();
  });
});

after(async () => {
  await cleanup.run();
  fs.rmSync(dir, { recursive: true, force: true });
});

const mtlsEnv = () => ({
  ...base,
  TEMPORAL_ADDRESS: mtlsProxy.address,
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.caCert,
  TEMPORAL_TLS_CLIENT_CERT_PATH: pki.clientCert,
  TEMPORAL_TLS_CLIENT_KEY_PATH: pki.clientKey,
});

async function connectsWith(env: NodeJS.ProcessEnv): Promise<void> {
  const { client, close } = await connectClient(env);
  try {
    await client.workflowService.getSystemInfo({});
  } finally {
    await close();
  }
}

async function failsWith(env: NodeJS.ProcessEnv, ...expected: RegExp[]): Promise<string> {
  const err = await connectClient(env).then(
    async (c) => (await c.close(), undefined),
    (e: unknown) => e,
  );
  assert.ok(err instanceof CliError, `expected a CliError, got ${String(err)}`);
  const message = err.message;
  assert.doesNotMatch(message, /\n/, 'one paragraph');
  for (const re of expected) assert.match(message, re);
  return message;
}

test('TLS: the CLI connects with the CA of TEMPORAL_TLS_SERVER_CA_CERT_PATH, through the TLS proxy only', async () => {
  const before = tlsProxy.calls.length;
  await connectsWith({ ...base, TEMPORAL_ADDRESS: tlsProxy.address, TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.caCert });
  assert.ok(tlsProxy.calls.length > before, 'the calls went through the TLS proxy');
  assert.equal(temporalSettings({ ...base, TEMPORAL_ADDRESS: tlsProxy.address, TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.caCert }).security, 'TLS');
});

test('mTLS: the CLI connects with a client certificate; the server refuses a connection without one', async () => {
  await connectsWith(mtlsEnv());
  await failsWith({ ...base, TEMPORAL_ADDRESS: mtlsProxy.address, TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.caCert }, /TEMPORAL_TLS_CLIENT_CERT_PATH/, /TEMPORAL_TLS_CLIENT_KEY_PATH/);
});

test('API key: TEMPORAL_API_KEY is sent as the authorization header (and turns TLS on)', async () => {
  const key = `key-${process.pid}-${Date.now()}`;
  const before = tlsProxy.calls.length;
  await connectsWith({ ...base, TEMPORAL_ADDRESS: tlsProxy.address, TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.caCert, TEMPORAL_API_KEY: key });
  const seen = tlsProxy.calls.slice(before).map((h) => h.authorization);
  assert.ok(seen.length > 0);
  assert.ok(seen.every((a) => a === `Bearer ${key}`), `every call carries the key: ${JSON.stringify(seen)}`);
  assert.equal(temporalSettings({ ...base, TEMPORAL_ADDRESS: tlsProxy.address, TEMPORAL_API_KEY: key }).security, 'TLS + API key');
});

test('a TOML profile (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE) gives address, namespace and mTLS', async () => {
  const toml = path.join(dir, 'temporal.toml');
  fs.writeFileSync(
    toml,
    [
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
    ].join('\n'),
  );
  const env = { ...base, TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'secure' };
  const settings = temporalSettings(env);
  assert.equal(settings.address, mtlsProxy.address);
  assert.equal(settings.security, 'mTLS');
  assert.match(settings.source, /profile "secure"/);
  await connectsWith(env);
  await failsWith({ ...env, TEMPORAL_PROFILE: 'nope' }, /TEMPORAL_PROFILE=nope/, /temporal\.toml/);
});

test('a wrong certificate or key: one paragraph naming the setting to fix', async () => {
  const tls = { ...base, TEMPORAL_ADDRESS: tlsProxy.address };
  await failsWith({ ...tls, TEMPORAL_TLS: 'true' }, /TEMPORAL_TLS_SERVER_CA_CERT_PATH/, /not signed by a CA/);
  await failsWith({ ...tls, TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.otherCaCert }, /TEMPORAL_TLS_SERVER_CA_CERT_PATH/);
  await failsWith({ ...tls, TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.caCert, TEMPORAL_TLS_SERVER_NAME: 'temporal.example.com' }, /TEMPORAL_TLS_SERVER_NAME/);
  await failsWith({ ...base, TEMPORAL_ADDRESS: tlsProxy.address }, /TEMPORAL_TLS=true/);
  await failsWith({ ...base, TEMPORAL_ADDRESS: devAddress, TEMPORAL_TLS: 'true' }, /does not speak TLS/, /unset TEMPORAL_TLS/);
  await failsWith({ ...mtlsEnv(), TEMPORAL_TLS_CLIENT_KEY_PATH: pki.otherClientKey }, /TEMPORAL_TLS_CLIENT_KEY_PATH/, /private key of/);
  await failsWith({ ...mtlsEnv(), TEMPORAL_TLS_CLIENT_CERT_PATH: pki.otherClientCert, TEMPORAL_TLS_CLIENT_KEY_PATH: pki.otherClientKey }, /refused the client certificate/);
  await failsWith({ ...mtlsEnv(), TEMPORAL_TLS_CLIENT_CERT_PATH: path.join(dir, 'missing.pem') }, /TEMPORAL_TLS_CLIENT_CERT_PATH/, /cannot be read/);
  await failsWith({ ...mtlsEnv(), TEMPORAL_TLS_CLIENT_KEY_PATH: undefined }, /TEMPORAL_TLS_CLIENT_KEY_PATH/, /both/);
});

test('the worker connects over mTLS with an API key and polls through the proxy; a wrong key stops it with the paragraph', async () => {
  const key = `worker-key-${process.pid}`;
  const before = mtlsProxy.calls.length;
  const worker = await startWorkerProcess({ ...mtlsEnv(), TEMPORAL_API_KEY: key, STP_DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused' });
  try {
    assert.match(worker.output(), /\(mTLS \+ API key\)/);
    const deadline = Date.now() + 20_000;
    while (!mtlsProxy.calls.slice(before).some((h) => /PollWorkflowTaskQueue/.test(String(h[':path']))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const calls = mtlsProxy.calls.slice(before);
    assert.ok(calls.some((h) => /PollWorkflowTaskQueue/.test(String(h[':path']))), 'the worker polls through the mTLS proxy');
    assert.ok(calls.every((h) => h.authorization === `Bearer ${key}`), 'the worker sends the API key on every call');
    assert.ok(!worker.output().includes(key), 'the key is not logged');
  } finally {
    await worker.stop();
  }
  const run = await runCliProcess(['worker'], { ...mtlsEnv(), TEMPORAL_TLS_CLIENT_KEY_PATH: pki.otherClientKey }, 60_000);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /TEMPORAL_TLS_CLIENT_KEY_PATH/);
});
