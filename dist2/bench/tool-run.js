"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.peakRssMb = peakRssMb;
exports.benchEnv = benchEnv;
exports.writePlanFile = writePlanFile;
exports.temporalClient = temporalClient;
exports.runTool = runTool;
const node_fs_1 = __importDefault(require("node:fs"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const node_crypto_1 = require("node:crypto");
const client_1 = require("@temporalio/client");
const yaml_1 = __importDefault(require("yaml"));
const processes_1 = require("../test/helpers/processes");
const temporal_1 = require("../test/helpers/temporal");
const history_1 = require("./history");
/** Peak resident set of a process (VmHWM), in MB; null when /proc cannot tell. */
function peakRssMb(pid) {
    try {
        const m = /VmHWM:\s+(\d+) kB/.exec(node_fs_1.default.readFileSync(`/proc/${pid}/status`, 'utf8'));
        return m ? Math.round(Number(m[1]) / 1024) : null;
    }
    catch {
        return null;
    }
}
function benchEnv(url) {
    return { TEMPORAL_ADDRESS: temporal_1.TEMPORAL_ADDRESS, STP_TASK_QUEUE: `bench-${(0, node_crypto_1.randomUUID)().slice(0, 8)}`, STP_DATABASE_URL: url };
}
function writePlanFile(plan) {
    const file = node_path_1.default.join(node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'stp-bench-')), 'plan.yaml');
    node_fs_1.default.writeFileSync(file, yaml_1.default.stringify(plan));
    return file;
}
async function temporalClient() {
    const connection = await client_1.Connection.connect({ address: temporal_1.TEMPORAL_ADDRESS });
    return { client: new client_1.Client({ connection }), close: () => connection.close() };
}
/**
 * The data steps of `plan` as an operator runs them: a real worker process and `stp-upgrade start
 * --wait`. Returns the split of the run (from its history) and the worker's peak RSS.
 */
async function runTool(url, plan, label) {
    const env = benchEnv(url);
    const worker = await (0, processes_1.startWorkerProcess)(env);
    const workflowId = `bench-${label}-${Date.now()}`;
    try {
        const run = await (0, processes_1.runCliProcess)(['start', '--plan', writePlanFile(plan), '--workflow-id', workflowId, '--wait', '--json'], env, 4 * 3600_000);
        if (run.code !== 0)
            throw new Error(`the run ${workflowId} ended with exit code ${run.code}:\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}\n${worker.output().slice(-3000)}`);
        const rssMb = peakRssMb(worker.child.pid);
        const t = await temporalClient();
        try {
            return { ...(await (0, history_1.runSplit)(t.client, workflowId)), rssMb, workflowId };
        }
        finally {
            await t.close();
        }
    }
    finally {
        await worker.stop();
    }
}
//# sourceMappingURL=tool-run.js.map