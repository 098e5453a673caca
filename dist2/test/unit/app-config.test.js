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
const yaml_1 = __importDefault(require("yaml"));
const cli_1 = require("../../client/cli");
const app_config_1 = require("../../common/app-config");
const config_1 = require("../../service/config");
const dir = node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'stp-app-config-'));
(0, node_test_1.after)(() => node_fs_1.default.rmSync(dir, { recursive: true, force: true }));
function file(name, text, mode = 0o644) {
    const p = node_path_1.default.join(dir, name);
    node_fs_1.default.mkdirSync(node_path_1.default.dirname(p), { recursive: true });
    node_fs_1.default.writeFileSync(p, text, { mode });
    node_fs_1.default.chmodSync(p, mode);
    return p;
}
async function cli(...argv) {
    const out = [];
    const err = [];
    const code = await (0, cli_1.runCli)(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: { TEMPORAL_ADDRESS: '127.0.0.1:1' } });
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
(0, node_test_1.test)('durations: Go-style strings in milliseconds; anything else is not one', () => {
    strict_1.default.equal((0, app_config_1.parseDuration)('500ms'), 500);
    strict_1.default.equal((0, app_config_1.parseDuration)('30s'), 30_000);
    strict_1.default.equal((0, app_config_1.parseDuration)('5m'), 300_000);
    strict_1.default.equal((0, app_config_1.parseDuration)('1h30m'), 5_400_000);
    strict_1.default.equal((0, app_config_1.parseDuration)('1.5s'), 1500);
    for (const bad of ['30', '5 m', 'm', '1d', '', '-5s'])
        strict_1.default.equal((0, app_config_1.parseDuration)(bad), undefined, bad);
});
(0, node_test_1.test)("config check: the runbook's own config.yaml is valid, and its values are the defaults", async () => {
    const r = await cli('config', 'check', file('runbook/config.yaml', RUNBOOK), '--json');
    strict_1.default.equal(r.code, 0, r.err);
    strict_1.default.equal(r.err, '');
    const resolved = JSON.parse(r.out);
    const defaults = (0, app_config_1.parseAppConfig)({});
    strict_1.default.ok(defaults.ok);
    strict_1.default.deepEqual(resolved, defaults.config);
    strict_1.default.deepEqual(resolved, yaml_1.default.parse(RUNBOOK));
});
(0, node_test_1.test)('config check: a directory means its config.yaml', async () => {
    const r = await cli('config', 'check', node_path_1.default.dirname(file('etc/config.yaml', RUNBOOK)));
    strict_1.default.equal(r.code, 0, r.err);
    strict_1.default.match(r.out, /etc\/config\.yaml: valid/);
});
(0, node_test_1.test)('config check: every problem with its path, exit 2', async () => {
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
    strict_1.default.equal(r.code, 2);
    const lines = r.err.split('\n').map((l) => l.trim());
    strict_1.default.ok(lines.includes('config.server.port: expected a TCP port (1-65535), e.g. "8080", got "80x"'), r.err);
    strict_1.default.ok(lines.some((l) => l.startsWith('config.server.read_timeout: expected a duration') && l.endsWith('got 30')), r.err);
    strict_1.default.ok(lines.includes('config.database.lifetime: unknown field'), r.err);
    strict_1.default.ok(lines.includes('config.database.max_idle_connections: max_idle_connections must not exceed max_open_connections, got 5'), r.err);
    strict_1.default.ok(lines.includes('config.cache.default_ttl: expected a duration above zero, got "0s"'), r.err);
    strict_1.default.ok(lines.includes('config.logging.level: expected one of debug, info, warn, error, got "verbose"'), r.err);
    strict_1.default.ok(lines.includes('config.extra: unknown field'), r.err);
});
(0, node_test_1.test)('config check: a missing file and broken YAML are bad input; features off is a warning', async () => {
    strict_1.default.equal((await cli('config', 'check', node_path_1.default.join(dir, 'nope.yaml'))).code, 2);
    strict_1.default.equal((await cli('config', 'check', file('broken.yaml', 'server: [\n'))).code, 2);
    const off = await cli('config', 'check', file('off.yaml', 'features:\n  use_unified_handlers: false\n'));
    strict_1.default.equal(off.code, 0);
    strict_1.default.match(off.err, /warning: config\.features\.use_unified_handlers is off/);
});
(0, node_test_1.test)('config migrate: keeps every old setting and comment, turns the unified features on, says what changed', async () => {
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
    const out = node_path_1.default.join(dir, 'new/config.yaml');
    node_fs_1.default.mkdirSync(node_path_1.default.dirname(out), { recursive: true });
    const r = await cli('config', 'migrate', '--from', node_path_1.default.dirname(from), '--out', out);
    strict_1.default.equal(r.code, 0, r.err);
    const text = node_fs_1.default.readFileSync(out, 'utf8');
    strict_1.default.match(text, /# production/);
    strict_1.default.match(text, /# tuned for the proxy/);
    const cfg = yaml_1.default.parse(text);
    strict_1.default.equal(cfg.server.port, '9090');
    strict_1.default.equal(cfg.server.read_timeout, '15s');
    strict_1.default.equal(cfg.server.write_timeout, '30s');
    strict_1.default.equal(cfg.database.max_open_connections, 40);
    strict_1.default.equal(cfg.cache.max_size, 5000);
    strict_1.default.deepEqual(cfg.features, { use_unified_handlers: true, use_enhanced_search: true, enable_batch_operations: true });
    strict_1.default.equal(cfg.legacy_mode, undefined);
    strict_1.default.equal(cfg.features.use_legacy_chunks, undefined);
    strict_1.default.equal(node_fs_1.default.statSync(out).mode & 0o777, 0o640);
    strict_1.default.match(r.out, /features\.use_unified_handlers: false -> true/);
    strict_1.default.match(r.out, /removed legacy_mode/);
    strict_1.default.match(r.out, /removed features\.use_legacy_chunks/);
    strict_1.default.match(r.out, /added server\.write_timeout: 30s/);
    strict_1.default.doesNotMatch(r.out, /server\.port/);
    strict_1.default.equal((await cli('config', 'check', out)).code, 0);
    strict_1.default.equal(node_fs_1.default.readFileSync(from, 'utf8').includes('use_unified_handlers: false'), true, 'the old file is untouched');
});
(0, node_test_1.test)('config migrate: refuses an existing --out, the same file, and an old file with invalid values (nothing written)', async () => {
    const from = file('m/old.yaml', 'server:\n  port: "8080"\n');
    const exists = file('m/exists.yaml', 'x');
    const r1 = await cli('config', 'migrate', '--from', from, '--out', exists);
    strict_1.default.equal(r1.code, 2);
    strict_1.default.match(r1.err, /exists; pass --force/);
    strict_1.default.equal(node_fs_1.default.readFileSync(exists, 'utf8'), 'x');
    strict_1.default.equal((await cli('config', 'migrate', '--from', from, '--out', exists, '--force')).code, 0);
    strict_1.default.equal((await cli('config', 'migrate', '--from', from, '--out', from)).code, 2);
    const bad = file('m/bad.yaml', 'server:\n  read_timeout: soon\n');
    const r2 = await cli('config', 'migrate', '--from', bad, '--out', node_path_1.default.join(dir, 'm/never.yaml'));
    strict_1.default.equal(r2.code, 2);
    strict_1.default.match(r2.err, /config\.server\.read_timeout: expected a duration/);
    strict_1.default.equal(node_fs_1.default.existsSync(node_path_1.default.join(dir, 'm/never.yaml')), false);
    strict_1.default.equal((await cli('config', 'migrate', '--out', 'x')).code, 2);
});
(0, node_test_1.test)('the reference service refuses a bad STP_CONFIG_FILE at start and applies a good one', () => {
    const bad = file('service/bad.yaml', 'cache:\n  max_size: lots\n');
    strict_1.default.throws(() => (0, config_1.readConfig)({ DATABASE_URL: 'postgres://x@127.0.0.1/x', STP_CONFIG_FILE: bad }), (e) => e.name === 'ConfigError' && /STP_CONFIG_FILE .*bad\.yaml:\n {2}config\.cache\.max_size: expected a non-negative integer/.test(e.message));
    const good = file('service/config.yaml', 'cache:\n  enabled: false\n');
    const c = (0, config_1.readConfig)({ DATABASE_URL: 'postgres://x@127.0.0.1/x', STP_CONFIG_FILE: node_path_1.default.dirname(good) });
    strict_1.default.equal(c.cacheSize, 0);
    strict_1.default.equal(c.appConfig?.file, good);
    strict_1.default.equal(c.appConfig?.unifiedHandlers, true);
    strict_1.default.equal((0, config_1.readConfig)({ DATABASE_URL: 'postgres://x@127.0.0.1/x' }).cacheSize, 1000, 'no file: as before');
});
//# sourceMappingURL=app-config.test.js.map