"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const proto_1 = require("@temporalio/proto");
const node_crypto_1 = __importDefault(require("node:crypto"));
const worker_1 = require("@temporalio/worker");
const codec_1 = require("../../common/codec");
const env_1 = require("./env");
// A recorded happy-path history (test/workflow/record-history.ts) replayed against today's code:
// a change that alters the saga's command sequence fails here instead of breaking open runs.
const HISTORY = node_path_1.default.resolve(__dirname, '..', '..', '..', 'test', 'workflow', 'histories', 'upgrade-happy.json');
// A run recorded on the dev server with the stp search attributes registered (stp-upgrade start):
// the patched upserts of workflows/upgrade/search.ts and plan-validation-v2 replay too.
const SEARCH_HISTORY = node_path_1.default.resolve(HISTORY, '..', 'upgrade-search-attributes.json');
(0, node_test_1.test)('a run with search attribute upserts replays deterministically', async () => {
    const history = proto_1.temporal.api.history.v1.History.fromObject(JSON.parse(node_fs_1.default.readFileSync(SEARCH_HISTORY, 'utf8')));
    const upserts = (history.events ?? []).filter((e) => e.upsertWorkflowSearchAttributesEventAttributes).length;
    strict_1.default.ok(upserts > 5, `the history holds the run's upserts (${upserts})`);
    const workflowBundle = await (0, worker_1.bundleWorkflowCode)({ workflowsPath: require.resolve('../../workflows'), logger: new worker_1.DefaultLogger('ERROR') });
    await worker_1.Worker.runReplayHistory({ workflowBundle }, history, 'upgrade-search-attributes');
});
(0, node_test_1.test)('the recorded upgrade history replays deterministically', async () => {
    // fromObject rather than historyFromJSON: the latter trips over two protobufjs versions in node_modules.
    const history = proto_1.temporal.api.history.v1.History.fromObject(JSON.parse(node_fs_1.default.readFileSync(HISTORY, 'utf8')));
    strict_1.default.ok((history.events?.length ?? 0) > 50, 'the history holds a whole run');
    const workflowBundle = await (0, worker_1.bundleWorkflowCode)({ workflowsPath: require.resolve('../../workflows'), logger: new worker_1.DefaultLogger('ERROR') });
    await worker_1.Worker.runReplayHistory({ workflowBundle }, history, 'upgrade-happy');
});
// A run with plan.copy.parallelism 3 recorded before rules ran concurrently (stp-copy-rules-v1):
// it keeps its one-rule-after-another shape on replay.
const RANGES_HISTORY = node_path_1.default.resolve(HISTORY, '..', 'upgrade-ranges.json');
(0, node_test_1.test)('a run with key ranges from before concurrent rules replays deterministically', async () => {
    const history = proto_1.temporal.api.history.v1.History.fromObject(JSON.parse(node_fs_1.default.readFileSync(RANGES_HISTORY, 'utf8')));
    const planned = (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'planRanges').length;
    strict_1.default.equal(planned, 6, 'the history plans the ranges of every rule');
    const workflowBundle = await (0, worker_1.bundleWorkflowCode)({ workflowsPath: require.resolve('../../workflows'), logger: new worker_1.DefaultLogger('ERROR') });
    await worker_1.Worker.runReplayHistory({ workflowBundle }, history, 'upgrade-ranges');
});
(0, node_test_1.test)('an encrypted history (STP_CODEC_KEYS) replays with the codec, and only with it', async () => {
    const dataConverter = (0, codec_1.dataConverterFromEnv)({ STP_CODEC_KEYS: `replay:${node_crypto_1.default.randomBytes(32).toString('base64')}` });
    const t = await (0, env_1.startSagaEnv)('replay-encrypted', { dataConverter });
    try {
        const handle = await t.client.workflow.start('upgradeWorkflow', {
            taskQueue: t.taskQueue,
            workflowId: 'upgrade-encrypted',
            args: [{ database: 'primary', defects: { policy: 'quarantine' } }],
        });
        await handle.result();
        const history = await handle.fetchHistory();
        const input = history.events[0].workflowExecutionStartedEventAttributes.input.payloads[0];
        strict_1.default.equal(Buffer.from(input.metadata.encoding).toString(), codec_1.ENCRYPTED_ENCODING);
        await worker_1.Worker.runReplayHistory({ workflowBundle: t.workflowBundle, dataConverter }, history, 'upgrade-encrypted');
        await strict_1.default.rejects(worker_1.Worker.runReplayHistory({ workflowBundle: t.workflowBundle }, history, 'upgrade-encrypted'));
    }
    finally {
        await t.stop();
    }
});
//# sourceMappingURL=replay.test.js.map