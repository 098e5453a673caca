"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const client_1 = require("@temporalio/client");
const pg_1 = require("../helpers/pg");
const processes_1 = require("../helpers/processes");
const temporal_1 = require("../helpers/temporal");
const upgrade_support_1 = require("./upgrade-support");
/**
 * A step whose activity fails and is retried shows its last error in `status` (and `watch`),
 * instead of `running` with no word: here preflight against a database that does not exist, with
 * a password in the worker's connection string that must not appear anywhere.
 */
const queue = (0, upgrade_support_1.randomQueue)('stp-retrying');
const env = { TEMPORAL_ADDRESS: temporal_1.TEMPORAL_ADDRESS, STP_TASK_QUEUE: queue };
const id = `${queue}-run`;
let worker;
let connection;
(0, node_test_1.before)(async () => {
    const url = new URL(pg_1.ADMIN_URL);
    url.password = 's3cr3tpw';
    url.pathname = '/stp_no_such_database_h10';
    worker = await (0, processes_1.startWorkerProcess)({ ...env, STP_DATABASE_URL: url.toString() });
    connection = await client_1.Connection.connect({ address: temporal_1.TEMPORAL_ADDRESS });
});
(0, node_test_1.after)(async () => {
    await new client_1.Client({ connection }).workflow.getHandle(id).terminate('test over').catch(() => undefined);
    await connection?.close();
    await worker?.stop();
});
(0, node_test_1.test)('status shows the retrying step, its attempt and its last error, without the password', { timeout: 120_000 }, async () => {
    const plan = (0, upgrade_support_1.writePlan)((0, upgrade_support_1.tempDir)('retrying'), 'plan', { database: 'primary' });
    strict_1.default.equal((await (0, processes_1.runCliProcess)(['start', '--plan', plan, '--workflow-id', id], env)).code, 0);
    const status = await (0, upgrade_support_1.waitFor)('a RETRYING line in status', async () => {
        const r = await (0, processes_1.runCliProcess)(['status', id], env);
        return /RETRYING/.test(r.stdout) ? r : undefined;
    }, 90_000, 1000);
    strict_1.default.equal(status.code, 0, status.stderr);
    // "next at" while the attempt waits for its backoff; absent while an attempt is running (a loaded machine may catch that)
    strict_1.default.match(status.stdout, /RETRYING preflight \(attempt \d+\/20(, next at [^)]+)?\): database "primary" is not reachable .*STP_DATABASE_URL/);
    strict_1.default.match(status.stdout, /Started \S+ · running for /);
    const json = JSON.parse((await (0, processes_1.runCliProcess)(['status', id, '--json'], env)).stdout);
    strict_1.default.equal(json.retrying[0].activity, 'preflight');
    strict_1.default.ok(json.retrying[0].attempt >= 2);
    strict_1.default.ok(json.startedAt);
    strict_1.default.doesNotMatch(status.stdout + JSON.stringify(json) + worker.output(), /s3cr3tpw/);
});
//# sourceMappingURL=status-retrying.test.js.map