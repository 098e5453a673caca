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
const node_path_1 = __importDefault(require("node:path"));
const backup_1 = require("../../activities/backup");
const plan_1 = require("../../common/plan");
const generate_1 = require("../../fixtures/generate");
const databases_1 = require("../../workers/databases");
const pg_1 = require("../helpers/pg");
const upgrade_support_1 = require("./upgrade-support");
// The runbook's Backup Procedures beyond the dump: the configuration directory and the binary, in
// the run's backup directory with sha256 and modes; performance_baseline.json; and the restore
// the emergency rollback does. Real files, a real pg_dump.
let db;
const env = {};
const pools = new databases_1.EnvPools(env);
const dir = (0, upgrade_support_1.tempDir)('backup-artifacts');
const etc = node_path_1.default.join(dir, 'etc', 'semantic-text-processor');
const bin = node_path_1.default.join(dir, 'bin', 'semantic-text-processor');
const acts = (0, backup_1.createBackupActivities)({ pools, resolveUrl: (n) => pools.url(n) });
const sha = (f) => node_crypto_1.default.createHash('sha256').update(node_fs_1.default.readFileSync(f)).digest('hex');
const mode = (f) => node_fs_1.default.statSync(f).mode & 0o7777;
function write(file, text, m) {
    node_fs_1.default.mkdirSync(node_path_1.default.dirname(file), { recursive: true });
    node_fs_1.default.writeFileSync(file, text);
    node_fs_1.default.chmodSync(file, m);
}
function plan(backup) {
    const tools = (0, upgrade_support_1.pgTools)();
    const p = (0, plan_1.parsePlan)({ database: 'artifacts', backup: { dir: node_path_1.default.join(dir, 'backups'), pgDump: tools.pgDump, pgRestore: tools.pgRestore, testRestore: false, ...backup } });
    strict_1.default.ok(p.ok, p.ok ? '' : p.errors.join('\n'));
    return p.plan;
}
(0, node_test_1.before)(async () => {
    db = await (0, pg_1.createTestDatabase)('backup_artifacts', { extensions: ['vector'] });
    await (0, generate_1.generateFixtures)(db.pool, { chunks: 40, dim: 3, seed: 3, graph: false });
    env.STP_DATABASE_URL_ARTIFACTS = db.url;
    write(node_path_1.default.join(etc, 'config.yaml'), 'server:\n  port: "8080"\n', 0o640);
    write(node_path_1.default.join(etc, 'conf.d', 'secrets.yaml'), 'database:\n  max_open_connections: 10\n', 0o600);
    write(bin, '#!/bin/sh\necho stp v1\n', 0o755);
});
(0, node_test_1.after)(async () => {
    await pools.close();
    await db?.drop();
    node_fs_1.default.rmSync(dir, { recursive: true, force: true });
});
(0, node_test_1.test)('backup: configuration directory and binary with sha256 and modes; SHA256SUMS checks; restore puts back what changed', async () => {
    const p = plan({ config: etc, binary: bin });
    const runId = 'h11-artifacts-1';
    const r = await acts.backup({ runId, plan: p });
    const runDir = r.dir;
    const manifest = JSON.parse(node_fs_1.default.readFileSync(node_path_1.default.join(runDir, 'manifest.json'), 'utf8'));
    strict_1.default.deepEqual(manifest.artifacts?.map((a) => [a.kind, a.file, a.mode, a.source]), [
        ['config', 'config/conf.d/secrets.yaml', '0600', node_path_1.default.join(etc, 'conf.d', 'secrets.yaml')],
        ['config', 'config/config.yaml', '0640', node_path_1.default.join(etc, 'config.yaml')],
        ['binary', 'binary/semantic-text-processor', '0755', bin],
    ]);
    for (const a of manifest.artifacts ?? []) {
        strict_1.default.equal(a.sha256, sha(a.source), a.file);
        strict_1.default.equal(sha(node_path_1.default.join(runDir, a.file)), a.sha256);
        strict_1.default.equal(mode(node_path_1.default.join(runDir, a.file)), parseInt(a.mode, 8), `${a.file} keeps its mode`);
        strict_1.default.equal(a.bytes, node_fs_1.default.statSync(a.source).size);
    }
    strict_1.default.deepEqual(r.artifacts, manifest.artifacts);
    // the runbook's own check works on the backup directory
    const checked = (0, node_child_process_1.execFileSync)('sha256sum', ['-c', 'SHA256SUMS'], { cwd: runDir, encoding: 'utf8' });
    strict_1.default.match(checked, /artifacts\.dump: OK/);
    strict_1.default.match(checked, /binary\/semantic-text-processor: OK/);
    strict_1.default.match(checked, /config\/config\.yaml: OK/);
    // a retry finds the finished backup and returns it as it is
    strict_1.default.deepEqual((await acts.backup({ runId, plan: p })).artifacts, manifest.artifacts);
    // the release replaced the configuration and the binary, and lost a file
    write(node_path_1.default.join(etc, 'config.yaml'), 'server:\n  port: "9090"\nfeatures:\n  use_unified_handlers: true\n', 0o644);
    write(bin, '#!/bin/sh\necho stp v2\n', 0o700);
    node_fs_1.default.rmSync(node_path_1.default.join(etc, 'conf.d', 'secrets.yaml'));
    write(node_path_1.default.join(etc, 'new.yaml'), 'x: 1\n', 0o644);
    const restored = await acts.restoreArtifacts({ runId, plan: p });
    strict_1.default.deepEqual(restored.restored.sort(), [bin, node_path_1.default.join(etc, 'conf.d', 'secrets.yaml'), node_path_1.default.join(etc, 'config.yaml')].sort());
    strict_1.default.equal(node_fs_1.default.readFileSync(node_path_1.default.join(etc, 'config.yaml'), 'utf8'), 'server:\n  port: "8080"\n');
    strict_1.default.equal(mode(node_path_1.default.join(etc, 'config.yaml')), 0o640);
    strict_1.default.equal(node_fs_1.default.readFileSync(bin, 'utf8'), '#!/bin/sh\necho stp v1\n');
    strict_1.default.equal(mode(bin), 0o755);
    strict_1.default.equal(mode(node_path_1.default.join(etc, 'conf.d', 'secrets.yaml')), 0o600);
    strict_1.default.ok(node_fs_1.default.existsSync(node_path_1.default.join(etc, 'new.yaml')), 'a file the backup does not know is left alone');
    // idempotent
    const again = await acts.restoreArtifacts({ runId, plan: p });
    strict_1.default.deepEqual(again.restored, []);
    strict_1.default.equal(again.unchanged.length, 3);
    // a damaged backup is refused, never half restored
    node_fs_1.default.appendFileSync(node_path_1.default.join(runDir, 'binary', 'semantic-text-processor'), 'tampered');
    write(node_path_1.default.join(etc, 'config.yaml'), 'changed again\n', 0o640);
    await strict_1.default.rejects(acts.restoreArtifacts({ runId, plan: p }), (e) => e.name === 'PreconditionError' && /missing or damaged/.test(e.message));
    strict_1.default.equal(node_fs_1.default.readFileSync(node_path_1.default.join(etc, 'config.yaml'), 'utf8'), 'changed again\n');
});
(0, node_test_1.test)('performance_baseline.json: blue\'s figures at the runbook\'s jq paths, in the run\'s backup directory (0600)', async () => {
    const p = plan({});
    const { file } = await acts.writeBaseline({
        runId: 'h11-baseline', plan: p, url: 'http://127.0.0.1:8080',
        baseline: { p95Ms: 120, memoryBytes: 300_000_000, hitRate: 0.7, samples: 5, window: { seconds: 60, requests: 900, errors: 0, p95Ms: 110, hitRate: 0.75, lookups: 400 } },
    });
    strict_1.default.equal(file, node_path_1.default.join(dir, 'backups', 'h11-baseline', 'performance_baseline.json'));
    const json = JSON.parse(node_fs_1.default.readFileSync(file, 'utf8'));
    strict_1.default.equal(json.histograms.http_request_duration.p95, 110);
    strict_1.default.equal(json.gauges.memory_usage_bytes, 300_000_000);
    strict_1.default.equal(json.cache.hit_rate, 0.75);
    strict_1.default.equal(json.source.side, 'blue');
    strict_1.default.equal(mode(file), 0o600);
});
(0, node_test_1.test)('a configured path that does not exist is refused before anything is dumped', async () => {
    const relative = (0, plan_1.parsePlan)({ backup: { config: 'relative/dir' } });
    strict_1.default.ok(!relative.ok && relative.errors.some((e) => /^plan\.backup\.config: expected an absolute path/.test(e)));
    const p2 = plan({ binary: node_path_1.default.join(dir, 'bin', 'missing') });
    await strict_1.default.rejects(acts.backup({ runId: 'h11-missing', plan: p2 }), (e) => e.name === 'PreconditionError' && /plan\.backup\.binary: .*missing does not exist/.test(e.message));
    strict_1.default.equal(node_fs_1.default.existsSync(node_path_1.default.join(dir, 'backups', 'h11-missing')), false);
    // a plan without the files restores nothing and needs no backup
    strict_1.default.deepEqual(await acts.restoreArtifacts({ runId: 'h11-none', plan: plan({}) }), { restored: [], unchanged: [], backupDir: node_path_1.default.join(dir, 'backups', 'h11-none') });
});
//# sourceMappingURL=backup-artifacts.test.js.map