import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { runCli } from '../../client/cli';
import { parseAppConfig, parseDuration } from '../../common/app-config';
import { readConfig } from '../../service/config';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stp-app-config-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string, mode = 0o644): string {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text, { mode });
  fs.chmodSync(p, mode);
  return p;
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: { TEMPORAL_ADDRESS: '127.0.0.1:1' } });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The file config_migration.sh writes, verbatim. */
const RUNBOOK = `server:
  port: "8080"
  read_timeout: "30s"
  write_timeout: "30s"
  idle_timeout: "120s"

database:
  max_open_connections: 25
  max_idle_connections: 5
  connection_lifetime: "5m"

features:
  use_unified_handlers: true
  use_enhanced_search: true
  enable_batch_operations: true

cache:
  enabled: true
  max_size: 1000
  default_ttl: "1h"

performance:
  metrics_enabled: true
  monitoring_enabled: true
  slow_query_threshold: "500ms"

logging:
  level: "info"
  format: "json"
  output: "/var/log/semantic-text-processor.log"
`;

test('durations: Go-style strings in milliseconds; anything else is not one', () => {
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('5m'), 300_000);
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('1.5s'), 1500);
  for (const bad of ['30', '5 m', 'm', '1d', '', '-5s']) assert.equal(parseDuration(bad), undefined, bad);
});

test("config check: the runbook's own config.yaml is valid, and its values are the defaults", async () => {
  const r = await cli('config', 'check', file('runbook/config.yaml', RUNBOOK), '--json');
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  const resolved = JSON.parse(r.out);
  const defaults = parseAppConfig({});
  assert.ok(defaults.ok);
  assert.deepEqual(resolved, defaults.config);
  assert.deepEqual(resolved, YAML.parse(RUNBOOK));
});

test('config check: a directory means its config.yaml', async () => {
  const r = await cli('config', 'check', path.dirname(file('etc/config.yaml', RUNBOOK)));
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /etc\/config\.yaml: valid/);
});

test('config check: every problem with its path, exit 2', async () => {
  const bad = file('bad.yaml', `server:
  port: "80x"
  read_timeout: 30
database:
  max_open_connections: 2
  max_idle_connections: 5
  lifetime: 5m
cache:
  default_ttl: 0s
logging:
  level: verbose
extra: 1
`);
  const r = await cli('config', 'check', bad);
  assert.equal(r.code, 2);
  const lines = r.err.split('\n').map((l) => l.trim());
  assert.ok(lines.includes('config.server.port: expected a TCP port (1-65535), e.g. "8080", got "80x"'), r.err);
  assert.ok(lines.some((l) => l.startsWith('config.server.read_timeout: expected a duration') && l.endsWith('got 30')), r.err);
  assert.ok(lines.includes('config.database.lifetime: unknown field'), r.err);
  assert.ok(lines.includes('config.database.max_idle_connections: max_idle_connections must not exceed max_open_connections, got 5'), r.err);
  assert.ok(lines.includes('config.cache.default_ttl: expected a duration above zero, got "0s"'), r.err);
  assert.ok(lines.includes('config.logging.level: expected one of debug, info, warn, error, got "verbose"'), r.err);
  assert.ok(lines.includes('config.extra: unknown field'), r.err);
});

test('config check: a missing file and broken YAML are bad input; features off is a warning', async () => {
  assert.equal((await cli('config', 'check', path.join(dir, 'nope.yaml'))).code, 2);
  assert.equal((await cli('config', 'check', file('broken.yaml', 'server: [\n'))).code, 2);
  const off = await cli('config', 'check', file('off.yaml', 'features:\n  use_unified_handlers: false\n'));
  assert.equal(off.code, 0);
  assert.match(off.err, /warning: config\.features\.use_unified_handlers is off/);
});

test('config migrate: keeps every old setting and comment, turns the unified features on, says what changed', async () => {
  const from = file('old/config.yaml', `# production
server:
  port: "9090"
  read_timeout: "15s" # tuned for the proxy
database:
  max_open_connections: 40
features:
  use_unified_handlers: false
  use_legacy_chunks: true
cache:
  max_size: 5000
legacy_mode: true
`, 0o640);
  const out = path.join(dir, 'new/config.yaml');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const r = await cli('config', 'migrate', '--from', path.dirname(from), '--out', out);
  assert.equal(r.code, 0, r.err);
  const text = fs.readFileSync(out, 'utf8');
  assert.match(text, /# production/);
  assert.match(text, /# tuned for the proxy/);
  const cfg = YAML.parse(text);
  assert.equal(cfg.server.port, '9090');
  assert.equal(cfg.server.read_timeout, '15s');
  assert.equal(cfg.server.write_timeout, '30s');
  assert.equal(cfg.database.max_open_connections, 40);
  assert.equal(cfg.cache.max_size, 5000);
  assert.deepEqual(cfg.features, { use_unified_handlers: true, use_enhanced_search: true, enable_batch_operations: true });
  assert.equal(cfg.legacy_mode, undefined);
  assert.equal(cfg.features.use_legacy_chunks, undefined);
  assert.equal(fs.statSync(out).mode & 0o777, 0o640);
  assert.match(r.out, /features\.use_unified_handlers: false -> true/);
  assert.match(r.out, /removed legacy_mode/);
  assert.match(r.out, /removed features\.use_legacy_chunks/);
  assert.match(r.out, /added server\.write_timeout: 30s/);
  assert.doesNotMatch(r.out, /server\.port/);
  assert.equal((await cli('config', 'check', out)).code, 0);
  assert.equal(fs.readFileSync(from, 'utf8').includes('use_unified_handlers: false'), true, 'the old file is untouched');
});

test('config migrate: refuses an existing --out, the same file, and an old file with invalid values (nothing written)', async () => {
  const from = file('m/old.yaml', 'server:\n  port: "8080"\n');
  const exists = file('m/exists.yaml', 'x');
  const r1 = await cli('config', 'migrate', '--from', from, '--out', exists);
  assert.equal(r1.code, 2);
  assert.match(r1.err, /exists; pass --force/);
  assert.equal(fs.readFileSync(exists, 'utf8'), 'x');
  assert.equal((await cli('config', 'migrate', '--from', from, '--out', exists, '--force')).code, 0);
  assert.equal((await cli('config', 'migrate', '--from', from, '--out', from)).code, 2);
  const bad = file('m/bad.yaml', 'server:\n  read_timeout: soon\n');
  const r2 = await cli('config', 'migrate', '--from', bad, '--out', path.join(dir, 'm/never.yaml'));
  assert.equal(r2.code, 2);
  assert.match(r2.err, /config\.server\.read_timeout: expected a duration/);
  assert.equal(fs.existsSync(path.join(dir, 'm/never.yaml')), false);
  assert.equal((await cli('config', 'migrate', '--out', 'x')).code, 2);
});

test('the reference service refuses a bad STP_CONFIG_FILE at start and applies a good one', () => {
  const bad = file('service/bad.yaml', 'cache:\n  max_size: lots\n');
  assert.throws(() => readConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/x', STP_CONFIG_FILE: bad }),
    (e: Error) => e.name === 'ConfigError' && /STP_CONFIG_FILE .*bad\.yaml:\n {2}config\.cache\.max_size: expected a non-negative integer/.test(e.message));
  const good = file('service/config.yaml', 'cache:\n  enabled: false\n');
  const c = readConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/x', STP_CONFIG_FILE: path.dirname(good) });
  assert.equal(c.cacheSize, 0);
  assert.equal(c.appConfig?.file, good);
  assert.equal(c.appConfig?.unifiedHandlers, true);
  assert.equal(readConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/x' }).cacheSize, 1000, 'no file: as before');
});
