"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = __importDefault(require("node:fs"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const cli_1 = require("../../client/cli");
const plan_validation_1 = require("../../common/plan-validation");
/**
 * The operator's bad inputs of issue 10, as a table: each gets a clear answer (exit code, the
 * field, what is wrong, what to do), no stack trace and no password. Database states (a missing
 * legacy column, mixed embedding dimensions, a busy database) are in
 * test/integration/legacy-columns.test.ts and preflight.test.ts; a Temporal that cannot be reached
 * is here (an address nobody listens on), its namespace and worker cases in
 * test/integration/no-worker.test.ts.
 */
const dir = node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'stp-bad-input-'));
(0, node_test_1.after)(() => node_fs_1.default.rmSync(dir, { recursive: true, force: true }));
let n = 0;
function planFile(text, ext = 'yaml') {
    const p = node_path_1.default.join(dir, `plan-${++n}.${ext}`);
    node_fs_1.default.writeFileSync(p, text);
    return p;
}
async function cli(argv, env = {}) {
    const out = [];
    const err = [];
    const code = await (0, cli_1.runCli)(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: { TEMPORAL_ADDRESS: '127.0.0.1:1', ...env } });
    return { code, out: out.join('\n'), err: err.join('\n') };
}
const NO_STACK = /\n\s+at [^\n]+:\d+:\d+/;
/** [case, plan file (YAML), what the answer must say]: every one is refused with exit 2. */
const BAD_PLANS = [
    // accepted before, refused now (plan check == the workflow's validation)
    ['release steps without a release section', 'steps: [preflight, schema, copy, verify, deploy, smoke, switch]', /plan\.release: missing, but plan\.steps has release steps \(deploy, smoke, switch\); add a release: section/],
    ['no preflight', 'steps: [schema, copy, verify]', /plan\.steps: "preflight" is missing; every run starts with it .*add it first, e\.g\. \[preflight, schema, copy, verify\]/],
    ['target chunks is the legacy chunks table', 'target: {chunks: chunks_legacy}', /plan\.target\.chunks: "chunks_legacy" is the legacy table plan\.legacy\.chunks; the target must be a new table/],
    ['target embeddings is a legacy table', 'target: {embeddings: embeddings_legacy}', /plan\.target\.embeddings: "embeddings_legacy" is the legacy table plan\.legacy\.embeddings/],
    ['steps out of order', 'steps: [preflight, copy, schema]', /plan\.steps: "schema" comes after "copy".*suggested: \[preflight, schema, copy\]/],
    ['a step twice', 'steps: [preflight, schema, copy, copy]', /plan\.steps: "copy" listed more than once/],
    ['switch without deploy', 'steps: [preflight, switch]\nrelease: {}', /plan\.steps: "switch" needs the "deploy" step/],
    ['monitor without switch', 'steps: [preflight, deploy, monitor]\nrelease: {}', /plan\.steps: "monitor" needs the "switch" step/],
    ['target chunks and embeddings the same', 'target: {chunks: t1, embeddings: t1}', /plan\.target\.embeddings: "t1" is also plan\.target\.chunks/],
    ['two legacy roles on one table', 'legacy: {templates: chunks_legacy}', /plan\.legacy\.templates: "chunks_legacy" is also plan\.legacy\.chunks/],
    ['graph target is the legacy graph', 'graph: {target: knowledge_graph}', /plan\.graph\.target: "knowledge_graph" is the legacy graph/],
    ['archive without drain', 'steps: [preflight, deploy, switch, finalize]\nrelease: {finalize: {legacyTables: archive}}', /plan\.release\.finalize\.legacyTables: "archive" renames the tables blue reads/],
    // raw wording before, plain now
    ['a number in quotes', 'copy: {throttleMs: "100"}', /plan\.copy\.throttleMs: expected a number \(write it without quotes\), got "100"/],
    ['no steps', 'steps: []', /plan\.steps: expected at least 1 item, got \[\]/],
    ['batch size over the limit', 'copy: {batchSize: 100000000000}', /plan\.copy\.batchSize: expected at most 1,000,000, got 100000000000/],
    ['graph batch over the limit', 'graph: {batchSize: 200000}', /plan\.graph\.batchSize: expected at most 100,000, got 200000/],
    ['misspelt step', 'steps: [preflight, shema]', /plan\.steps\.1: expected one of preflight, .* \(did you mean "schema"\?\), got "shema"/],
    ['misspelt field', 'copy: {batchsize: 10}', /plan\.copy\.batchsize: unknown field \(did you mean "batchSize"\?\); known fields: batchSize, throttleMs/],
    ['misspelt section', 'defect: {policy: block}', /plan\.defect: unknown field \(did you mean "defects"\?\)/],
    ['misspelt policy', 'defects: {policy: quarantin}', /plan\.defects\.policy: expected one of block, quarantine \(did you mean "quarantine"\?\)/],
    ['empty backup dir', 'backup: {dir: ""}', /plan\.backup\.dir: must not be empty, got ""/],
    ['backup dir a number', 'backup: {dir: 5}', /plan\.backup\.dir: expected a string, got 5/],
    ['a URL with its password as database', 'database: "postgres://stp:s3cr3tpw@db.internal/stp"', /plan\.database: expected a database name such as "primary" .*not a URL, got "postgres:\/\/stp:\*\*\*@db\.internal\/stp"/],
    ['a libpq string with its password as database', 'database: "host=db password=s3cr3tpw"', /plan\.database: .*got "host=db password=\*\*\*"/],
    ['negative throttle', 'copy: {throttleMs: -1}', /plan\.copy\.throttleMs: expected at least 0, got -1/],
    ['zero batch size', 'copy: {batchSize: 0}', /plan\.copy\.batchSize: expected a positive integer/],
    ['fractional batch size', 'copy: {batchSize: 2.5}', /plan\.copy\.batchSize: expected a positive integer, got 2\.5/],
    ['unknown graph source kind', 'graph: {source: {kind: agee}}', /plan\.graph\.source\.kind: expected one of age, csv \(did you mean "age"\?\)/],
    ['csv graph without files', 'graph: {source: {kind: csv}}', /plan\.graph\.source\.nodesFile: required \(expected a string\)/],
    ['SQL in a table name', 'legacy: {chunks: "x; drop table t"}', /plan\.legacy\.chunks: expected a lowercase SQL identifier/],
    ['upper-case schema', 'schema: Public', /plan\.schema: expected a lowercase SQL identifier .*got "Public"/],
    ['unknown index kind', 'embeddings: {index: {kind: hnws}}', /plan\.embeddings\.index\.kind: expected one of ivfflat, hnsw, none \(did you mean "hnsw"\?\)/],
    ['section not a mapping', 'copy: 5', /plan\.copy: expected a mapping \(key: value, \.\.\.\), got 5/],
    ['steps not a list', 'steps: preflight', /plan\.steps: expected a list \(\[a, b, \.\.\.\]\), got "preflight"/],
    ['optional not a boolean', 'graph: {optional: "yes"}', /plan\.graph\.optional: expected a boolean, got "yes"/],
    ['release port out of range', 'steps: [preflight, deploy]\nrelease: {deployer: {green: {port: 70000}}}', /plan\.release\.deployer\.green\.port: expected a TCP port \(1-65535\)|plan\.release\.deployer\.green\.port: expected at most 65,535/],
    ['command traffic without a command', 'steps: [preflight, deploy, switch]\nrelease: {traffic: {kind: command}}', /plan\.release\.traffic\.command: required when kind is "command"/],
    ['approval timeout zero', 'steps: [preflight, deploy, approval]\nrelease: {approval: {required: true, timeoutMinutes: 0}}', /plan\.release\.approval\.timeoutMinutes: expected a positive integer/],
    ['unknown top-level field', 'databse: primary', /plan\.databse: unknown field \(did you mean "database"\?\)/],
    ['a list instead of a plan', '- preflight\n- copy', /plan: expected one mapping \(database:, copy:, steps: \.\.\.\), got a list/],
];
/** [case, argv (PLAN and BAD are replaced by plan files), exit code, what the answer must say]. */
const BAD_COMMANDS = [
    ['unknown command close to start', ['strat'], 2, /unknown command "strat" \(did you mean "start"\?\)/],
    ['unknown command close to status', ['stauts', 'x'], 2, /did you mean "status"\?/],
    ['unknown option close to --plan', ['start', '--plna', 'x.yaml'], 2, /unknown option --plna \(did you mean "--plan"\?\); its options: --plan/],
    ['a negative value without =', ['throttle', 'x', '--throttle-ms', '-5'], 2, /--throttle-ms: a value starting with "-" must be written as --throttle-ms=VALUE/],
    ['unknown option without a match', ['status', 'x', '--frobnicate'], 2, /unknown option --frobnicate; its options: --json, --help/],
    ['option without its value', ['start', '--plan'], 2, /--plan needs a value/],
    ['a value given to a switch', ['status', 'x', '--json=yes'], 2, /--json takes no value \(it is a switch\)/],
    ['group help', ['plan', '--help'], 0, /Usage: stp-upgrade plan <check>/],
    ['group without its command', ['plan'], 2, /Usage: stp-upgrade plan <check>/],
    ['misspelt sub-command', ['plan', 'chek', 'x.yaml'], 2, /unknown command "plan chek" \(did you mean "plan check"\?\)/],
    ['an empty plan file', ['plan', 'check', 'EMPTY'], 2, /the plan file .* is empty: write at least `database: NAME`/],
    ['a comment-only plan file', ['plan', 'check', 'COMMENT'], 2, /is empty/],
    ['start of a bad plan', ['start', '--plan', 'BAD'], 2, /plan\.target\.chunks: "chunks_legacy" is the legacy table/],
    ['verify of a bad plan', ['verify', '--plan', 'BAD'], 2, /plan\.target\.chunks/],
    ['missing plan file', ['plan', 'check', 'NOFILE'], 2, /cannot read the plan file/],
    ['broken YAML', ['plan', 'check', 'BROKEN'], 2, /is not valid YAML/],
    ['watch interval not a number', ['watch', 'x', '--interval', 'soon'], 2, /--interval: expected milliseconds, at least 50, got "soon"/],
    ['status without an id', ['status'], 2, /expected one run id/],
    ['Temporal unreachable: status', ['status', 'some-run'], 4, /cannot reach the Temporal server at 127\.0\.0\.1:1 .*npm run dev:up/],
    ['Temporal unreachable: start', ['start', '--plan', 'GOOD'], 4, /cannot reach the Temporal server/],
    ['Temporal unreachable: list', ['list'], 4, /cannot reach the Temporal server/],
    ['throttle without a change', ['throttle', 'x'], 2, /throttle: give --batch-size N, --throttle-ms N or both/],
    ['throttle batch over the limit', ['throttle', 'x', '--batch-size', '100000000000'], 2, /--batch-size: expected an integer from 1 to 1,000,000, got "100000000000"/],
    ['throttle negative pause', ['throttle', 'x', '--throttle-ms=-5'], 2, /--throttle-ms: expected an integer from 0 to 600,000/],
    ['list with an unknown phase', ['list', '--phase', 'runing'], 2, /--phase: expected one of .* \(did you mean "running"\?\)/],
    ['defects without a database or id', ['defects'], 2, /defects: give a run id or --database NAME/],
    ['defects with a bad format', ['defects', '--database', 'primary', '--format', 'xml'], 2, /--format: expected csv, json or text/],
    ['defects with a URL as database', ['defects', '--database', 'postgres://stp:s3cr3tpw@db/stp'], 2, /--database: expected a database name .*postgres:\/\/stp:\*\*\*@db\/stp/],
];
(0, node_test_1.describe)('bad inputs get a clear answer (issue 10)', () => {
    for (const [name, yaml, re] of BAD_PLANS) {
        (0, node_test_1.test)(`plan: ${name}`, async () => {
            const r = await cli(['plan', 'check', planFile(yaml)]);
            strict_1.default.equal(r.code, 2, `${name}: ${r.err}`);
            strict_1.default.equal(r.out, '');
            strict_1.default.match(r.err, re);
            strict_1.default.doesNotMatch(r.err, NO_STACK);
            strict_1.default.doesNotMatch(r.err, /s3cr3tpw|Invalid input|Too (small|big)|Unrecognized key/);
        });
    }
    const files = {
        EMPTY: planFile(''),
        COMMENT: planFile('# nothing here\n'),
        BAD: planFile('target: {chunks: chunks_legacy}'),
        GOOD: planFile('database: primary'),
        NOFILE: node_path_1.default.join(dir, 'nope.yaml'),
        BROKEN: planFile('copy: [1, 2\n'),
    };
    for (const [name, argv, code, re] of BAD_COMMANDS) {
        (0, node_test_1.test)(`cli: ${name}`, async () => {
            const r = await cli(argv.map((a) => files[a] ?? a));
            strict_1.default.equal(r.code, code, `${name}: ${r.err}`);
            strict_1.default.match(code === 0 ? r.out : r.err, re);
            strict_1.default.doesNotMatch(r.err, NO_STACK);
            strict_1.default.doesNotMatch(r.err + r.out, /s3cr3tpw/);
        });
    }
    (0, node_test_1.test)('plan check runs exactly the workflow\'s validation', async () => {
        for (const [, yaml] of BAD_PLANS) {
            const r = await cli(['plan', 'check', planFile(yaml)]);
            const v = (0, plan_validation_1.validatePlan)(yaml.startsWith('-') ? ['x'] : (await Promise.resolve().then(() => __importStar(require('yaml')))).parse(yaml));
            strict_1.default.ok(!v.ok);
            for (const e of v.errors)
                strict_1.default.ok(r.err.includes(e), `${e}\nnot in\n${r.err}`);
        }
    });
});
/** Plans that must stay valid: the examples, every default, each step set the saga supports. */
const GOOD_PLANS = [
    ['every default ({})', '{}'],
    ['database only', 'database: primary'],
    ['another database', 'database: reporting'],
    ['data steps', 'steps: [preflight, backup, schema, copy, embeddings, graph, verify]'],
    ['preflight alone (a dry run)', 'steps: [preflight]'],
    ['without backup', 'steps: [preflight, schema, copy, embeddings, verify]'],
    ['without graph', 'steps: [preflight, backup, schema, copy, embeddings, verify]'],
    ['copy without embeddings', 'steps: [preflight, schema, copy, verify]'],
    ['quarantine policy', 'defects: {policy: quarantine}'],
    ['block policy', 'defects: {policy: block}'],
    ['batch size at the limit', 'copy: {batchSize: 1000000}'],
    ['batch size 1', 'copy: {batchSize: 1}'],
    ['throttle', 'copy: {throttleMs: 250}'],
    ['hnsw index', 'embeddings: {index: {kind: hnsw, m: 32, efConstruction: 128}}'],
    ['no index', 'embeddings: {index: {kind: none}}'],
    ['ivfflat lists', 'embeddings: {index: {kind: ivfflat, lists: 100}}'],
    ['default model', 'embeddings: {defaultModel: text-embedding-3-small}'],
    ['optional graph', 'graph: {optional: true}'],
    ['csv graph', 'graph: {source: {kind: csv, nodesFile: /data/nodes.csv, edgesFile: /data/edges.csv}}'],
    ['other legacy graph', 'graph: {source: {kind: age, graph: legacy_kg}, target: kg_v2}'],
    ['other schema', 'schema: stp'],
    ['other legacy names', 'legacy: {chunks: chunks_old, embeddings: embeddings_old}'],
    ['other target names', 'target: {chunks: chunks_v3, embeddings: embeddings_v3}'],
    ['backup settings', 'backup: {dir: /var/backups/stp, pgDump: /usr/lib/postgresql/17/bin/pg_dump, testRestore: false}'],
    ['full release', 'steps: [preflight, backup, schema, copy, embeddings, graph, verify, deploy, smoke, approval, switch, drain, monitor, finalize]\nrelease: {}'],
    ['release without approval', 'steps: [preflight, schema, copy, embeddings, verify, deploy, smoke, switch, drain, monitor, finalize]\nrelease: {}'],
    ['release with approval', 'steps: [preflight, schema, copy, verify, deploy, approval, switch]\nrelease: {approval: {required: true, timeoutMinutes: 30}}'],
    ['deploy and smoke only', 'steps: [preflight, deploy, smoke]\nrelease: {}'],
    ['archive with drain', 'steps: [preflight, deploy, switch, drain, finalize]\nrelease: {finalize: {legacyTables: archive}}'],
    ['keep-warm blue', 'steps: [preflight, deploy, switch, drain]\nrelease: {blueAfterSwitch: keep-warm}'],
    ['docker deployer', 'steps: [preflight, deploy]\nrelease: {deployer: {kind: docker, green: {image: "stp:2"}}}'],
    ['command traffic', 'steps: [preflight, deploy, switch]\nrelease: {traffic: {kind: command, command: {argv: [/usr/local/bin/switch]}, lbUrl: "http://lb:80"}}'],
    ['other ports', 'steps: [preflight, deploy, switch]\nrelease: {deployer: {blue: {port: 9080}, green: {port: 9081}}, traffic: {nginx: {listenPort: 9088}}}'],
    ['drain 0', 'steps: [preflight, deploy, switch, drain]\nrelease: {drainSeconds: 0}'],
    ['monitoring', 'steps: [preflight, deploy, switch, monitor]\nrelease: {monitoring: {}}'],
    ['sync disabled', 'sync: {enabled: false}'],
    ['JSON in YAML', '{"database": "primary", "copy": {"batchSize": 500}}'],
    ['comments', '# a plan\ndatabase: primary # the default\n'],
    ['one legacy role renamed', 'legacy: {texts: texts_v1}'],
    ['graph batch', 'graph: {batchSize: 100000}'],
];
(0, node_test_1.describe)('good plans stay valid', () => {
    for (const [name, yaml] of GOOD_PLANS) {
        (0, node_test_1.test)(`plan: ${name}`, async () => {
            const r = await cli(['plan', 'check', planFile(yaml)]);
            strict_1.default.equal(r.code, 0, `${name}: ${r.err}`);
            strict_1.default.ok(JSON.parse(r.out).steps.includes('preflight'));
        });
    }
    (0, node_test_1.test)('examples/plan.yaml is valid', async () => {
        const example = node_path_1.default.resolve(__dirname, '..', '..', '..', 'examples', 'plan.yaml');
        const r = await cli(['plan', 'check', example]);
        strict_1.default.equal(r.code, 0, r.err);
    });
});
//# sourceMappingURL=bad-input.test.js.map