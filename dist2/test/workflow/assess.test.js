"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const testing_1 = require("@temporalio/testing");
const worker_1 = require("@temporalio/worker");
const client_1 = require("@temporalio/client");
const common_1 = require("@temporalio/common");
const names_1 = require("../../common/names");
const temporal_1 = require("../helpers/temporal");
let env;
(0, node_test_1.before)(async () => {
    env = await testing_1.TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: (0, temporal_1.testServerPath)() } } });
});
(0, node_test_1.after)(async () => {
    await env?.teardown();
});
const report = {
    database: 'primary', serverVersion: '17.12', serverVersionNum: 170012, extensions: { vector: '0.8.0' },
    availableExtensions: ['age', 'vector'], tables: { texts: 3 }, databaseSizeBytes: 1, legacySizeBytes: 1,
    requiredFreeBytes: 3, freeBytes: null, warnings: [],
};
async function run(activities, database) {
    const worker = await worker_1.Worker.create({
        connection: env.nativeConnection,
        taskQueue: 'assess-test',
        workflowsPath: require.resolve('../../workflows'),
        activities,
    });
    return worker.runUntil(env.client.workflow.execute(names_1.WorkflowTypes.assess, { taskQueue: 'assess-test', workflowId: `assess-${database}-${Date.now()}`, args: [{ database }] }));
}
(0, node_test_1.test)('the assess workflow returns the activity report for the named database', async () => {
    const seen = [];
    const result = await run({ assess: async ({ database }) => (seen.push(database), report) }, 'primary');
    strict_1.default.deepEqual(result, report);
    strict_1.default.deepEqual(seen, ['primary']);
});
(0, node_test_1.test)('an unknown database is not retried', async () => {
    let calls = 0;
    const failing = {
        assess: async () => {
            calls++;
            throw common_1.ApplicationFailure.create({ type: 'UnknownDatabaseError', message: 'unknown database "x"' });
        },
    };
    await strict_1.default.rejects(run(failing, 'x'), (err) => err instanceof client_1.WorkflowFailedError);
    strict_1.default.equal(calls, 1);
});
//# sourceMappingURL=assess.test.js.map