"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * `npm test`: brings up the real servers (or uses what dev:up started), then runs every test
 * layer with node:test and ends with `N passed, N failed`.
 *   --only unit|workflow|integration|release   run one layer
 */
const node_child_process_1 = require("node:child_process");
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const root = node_path_1.default.resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const layers = only ? [only] : ['unit', 'workflow', 'integration', 'release'];
function files(layer) {
    const dir = node_path_1.default.join(root, 'dist', 'test', layer);
    if (!node_fs_1.default.existsSync(dir))
        return [];
    return node_fs_1.default
        .readdirSync(dir)
        .filter((f) => f.endsWith('.test.js'))
        .sort()
        .map((f) => node_path_1.default.join(dir, f));
}
if (layers.some((l) => l !== 'unit')) {
    const up = (0, node_child_process_1.spawnSync)('bash', [node_path_1.default.join(root, 'scripts', 'dev-up.sh')], { stdio: 'inherit' });
    if (up.status !== 0) {
        console.error('could not bring up the dev servers (see above); 0 passed, 1 failed');
        process.exit(1);
    }
}
const testFiles = layers.flatMap(files);
const reporter = node_path_1.default.join(root, 'dist', 'test', 'summary-reporter.js');
const result = (0, node_child_process_1.spawnSync)(process.execPath, [
    '--test',
    '--test-concurrency=2',
    // a test that hangs fails on its own after 8 minutes instead of stalling the run (and CI)
    '--test-timeout=480000',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${reporter}`,
    '--test-reporter-destination=stdout',
    ...testFiles,
], { stdio: 'inherit', cwd: root, env: { ...process.env, STP_REPO_ROOT: root } });
process.exit(result.status ?? 1);
//# sourceMappingURL=run.js.map