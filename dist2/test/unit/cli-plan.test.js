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
const start_1 = require("../../client/commands/start");
const dir = node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'stp-cli-plan-'));
(0, node_test_1.after)(() => node_fs_1.default.rmSync(dir, { recursive: true, force: true }));
function file(name, text) {
    const p = node_path_1.default.join(dir, name);
    node_fs_1.default.writeFileSync(p, text);
    return p;
}
async function cli(...argv) {
    const out = [];
    const err = [];
    // An address nobody listens on: a command that validated badly must never get this far.
    const env = { TEMPORAL_ADDRESS: '127.0.0.1:1' };
    const code = await (0, cli_1.runCli)(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
    return { code, out: out.join('\n'), err: err.join('\n') };
}
const GOOD_YAML = `# a plan
database: primary
copy:
  batchSize: 1000
defects:
  policy: quarantine
steps: [preflight, schema, copy, verify]
`;
(0, node_test_1.test)('plan check: a good YAML plan prints the resolved plan as JSON', async () => {
    const r = await cli('plan', 'check', file('good.yaml', GOOD_YAML));
    strict_1.default.equal(r.code, 0, r.err);
    const plan = JSON.parse(r.out);
    strict_1.default.equal(plan.copy.batchSize, 1000);
    strict_1.default.equal(plan.copy.throttleMs, 0);
    strict_1.default.equal(plan.defects.policy, 'quarantine');
    strict_1.default.equal(plan.legacy.chunks, 'chunks_legacy');
    strict_1.default.deepEqual(plan.steps, ['preflight', 'schema', 'copy', 'verify']);
});
(0, node_test_1.test)('plan check --yaml: a good JSON plan prints YAML with defaults', async () => {
    const r = await cli('plan', 'check', file('good.json', JSON.stringify({ database: 'reporting' })), '--yaml');
    strict_1.default.equal(r.code, 0, r.err);
    const plan = yaml_1.default.parse(r.out);
    strict_1.default.equal(plan.database, 'reporting');
    strict_1.default.equal(plan.embeddings.index.kind, 'ivfflat');
    strict_1.default.equal(plan.steps.length, 7);
});
(0, node_test_1.test)('plan check: every error of a bad YAML plan, one per line, exit 2', async () => {
    const bad = file('bad.yaml', 'database: "postgres://u:p@h/db"\ncopy:\n  batchSize: abc\nsteps: [copy, fly]\nextra: 1\n');
    const r = await cli('plan', 'check', bad);
    strict_1.default.equal(r.code, 2);
    strict_1.default.equal(r.out, '');
    strict_1.default.match(r.err, /plan\.copy\.batchSize: expected a positive integer, got "abc"/);
    strict_1.default.match(r.err, /plan\.database: expected a database name/);
    strict_1.default.match(r.err, /plan\.steps\.1: .*got "fly"/);
    strict_1.default.match(r.err, /extra/);
});
(0, node_test_1.test)('plan check: a bad JSON plan and unparsable files exit 2', async () => {
    let r = await cli('plan', 'check', file('bad.json', JSON.stringify({ copy: { batchSize: -5 } })));
    strict_1.default.equal(r.code, 2);
    strict_1.default.match(r.err, /plan\.copy\.batchSize: expected a positive integer, got -5/);
    r = await cli('plan', 'check', file('broken.json', '{"database": '));
    strict_1.default.equal(r.code, 2);
    strict_1.default.match(r.err, /not valid JSON/);
    r = await cli('plan', 'check', file('broken.yaml', 'copy: [1, 2\n'));
    strict_1.default.equal(r.code, 2);
    strict_1.default.match(r.err, /not valid YAML/);
    r = await cli('plan', 'check', file('list.yaml', '- 1\n- 2\n'));
    strict_1.default.equal(r.code, 2);
    strict_1.default.match(r.err, /expected one mapping/);
    r = await cli('plan', 'check', node_path_1.default.join(dir, 'missing.yaml'));
    strict_1.default.equal(r.code, 2);
    strict_1.default.match(r.err, /cannot read the plan file/);
});
(0, node_test_1.test)('flag and argument errors exit 2 before contacting Temporal', async () => {
    const cases = [
        [['plan', 'check'], /expected exactly one plan file/],
        [['plan', 'check', 'a.yaml', 'b.yaml'], /expected exactly one plan file/],
        [['plan', 'check', 'a.yaml', '--bogus'], /unknown option --bogus/],
        [['start'], /missing --plan/],
        [['start', '--plan', node_path_1.default.join(dir, 'bad.yaml')], /plan\.copy\.batchSize/],
        [['start', '--plan', node_path_1.default.join(dir, 'good.yaml'), 'extra'], /unexpected argument "extra"/],
        [['verify', '--plan', node_path_1.default.join(dir, 'bad.json')], /plan\.copy\.batchSize/],
        [['status'], /expected one run id/],
        [['watch', 'x', '--interval', 'soon'], /--interval/],
        [['pause'], /expected one run id/],
        [['resume', 'a', 'b'], /expected one run id/],
        [['abort', '--reason'], /argument missing|requires an argument|--reason/],
    ];
    for (const [argv, re] of cases) {
        const r = await cli(...argv);
        strict_1.default.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
        strict_1.default.match(r.err, re, argv.join(' '));
    }
});
(0, node_test_1.test)('help of each command documents the exit codes with an example', async () => {
    for (const name of ['plan check', 'start', 'status', 'watch', 'pause', 'resume', 'abort', 'verify']) {
        const r = await cli('help', ...name.split(' '));
        strict_1.default.equal(r.code, 0);
        strict_1.default.match(r.out, /Example/, name);
        strict_1.default.match(r.out, /3 rollback failed/, name);
    }
});
(0, node_test_1.test)('default workflow id: database and UTC timestamp', () => {
    strict_1.default.equal((0, start_1.defaultWorkflowId)('primary', new Date('2025-01-02T03:04:05.678Z')), 'stp-upgrade-primary-20250102T030405Z');
});
//# sourceMappingURL=cli-plan.test.js.map