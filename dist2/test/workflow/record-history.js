"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.HISTORY_FILE = void 0;
/**
 * Regenerates test/workflow/histories/upgrade-happy.json, the history the replay test replays:
 *   npx tsc -p . && node dist/test/workflow/record-history.js
 * `... record-history.js ranges` records upgrade-ranges.json instead: the same run with
 * plan.copy.parallelism 3 (recorded before rules ran concurrently, stp-copy-rules-v1).
 * Re-record only for an intended change of the saga's commands (and version the workflow first
 * if runs of the old shape may still be open in production).
 */
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const proto_1 = require("@temporalio/proto");
const env_1 = require("./env");
exports.HISTORY_FILE = node_path_1.default.resolve(__dirname, '..', '..', '..', 'test', 'workflow', 'histories', 'upgrade-happy.json');
async function main(variant = 'happy') {
    const t = await (0, env_1.startSagaEnv)('record-history');
    const file = node_path_1.default.resolve(exports.HISTORY_FILE, '..', `upgrade-${variant}.json`);
    const copy = variant === 'ranges' ? { copy: { parallelism: 3 } } : {};
    try {
        const handle = await t.client.workflow.start('upgradeWorkflow', {
            taskQueue: t.taskQueue,
            workflowId: `upgrade-${variant}`,
            args: [{ database: 'primary', defects: { policy: 'quarantine' }, ...copy }],
        });
        await handle.result();
        const history = await handle.fetchHistory();
        node_fs_1.default.mkdirSync(node_path_1.default.dirname(file), { recursive: true });
        // protobufjs JSON (ids as strings, enums by name): the form Worker.runReplayHistory reads back.
        const json = proto_1.temporal.api.history.v1.History.fromObject(history).toJSON();
        node_fs_1.default.writeFileSync(file, JSON.stringify(json, null, 1) + '\n');
        console.log(`wrote ${file} (${history.events?.length} events)`);
    }
    finally {
        await t.stop();
    }
}
if (require.main === module) {
    main(process.argv[2]).catch((err) => {
        console.error(err);
        process.exit(1);
    });
}
//# sourceMappingURL=record-history.js.map