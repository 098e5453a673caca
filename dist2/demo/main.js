"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_fs_1 = __importDefault(require("node:fs"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const node_util_1 = require("node:util");
const client_1 = require("@temporalio/client");
const worker_1 = require("@temporalio/worker");
const cleanup_1 = require("./cleanup");
const context_1 = require("./context");
const data_upgrade_1 = require("./data-upgrade");
const release_1 = require("./release");
const pglite_server_1 = require("./pglite-server");
const seed_1 = require("./seed");
const temporal_server_1 = require("./temporal-server");
const worker_2 = require("./worker");
const HELP = `npm run demo [-- OPTIONS]   (node dist/demo/main.js [OPTIONS])

A whole upgrade on embedded servers, nothing to install by hand: a Temporal dev server
(started here, in memory, on free loopback ports), PostgreSQL 18 with pgvector and Apache AGE
embedded (PGlite, over the wire protocol), legacy fixtures with every defect kind, a worker in
this process, and the upgrade workflow watched live: the data steps until the verify report,
then the release steps on the reference service: blue (v1) behind nginx, green (v2) deployed,
traffic switched under a small load, blue drained, green monitored for a short window, schema
version 2 recorded. Everything is stopped at the end (or on Ctrl-C). nginx is installed when
missing (bash scripts/install.sh nginx); without it the demo runs the data steps only.

  --keep           keep the servers up at the end to browse the Temporal UI (Ctrl-C stops)
  --chunks N       legacy chunks to generate (default 3000)
  --seed N         fixture seed (default 7)
  --batch-size N   copy batch size (default 500)
  --data-only      the data steps only (no services, no nginx)
  --monitor-seconds S  monitoring window of green (default 45)
  --timeout S      cancel (and roll back) the run after S seconds (default 300; the
                   monitoring window comes on top)
  --help`;
// Phases run in order on the same servers.
const PHASES = [{ name: 'upgrade: data and release steps', run: release_1.releasePhase }];
const DATA_ONLY = [{ name: 'data upgrade', run: data_upgrade_1.dataUpgradePhase }];
async function main(argv) {
    let values;
    try {
        ({ values } = (0, node_util_1.parseArgs)({
            args: argv,
            options: { keep: { type: 'boolean' }, chunks: { type: 'string' }, seed: { type: 'string' }, 'batch-size': { type: 'string' }, timeout: { type: 'string' }, 'data-only': { type: 'boolean' }, 'monitor-seconds': { type: 'string' }, help: { type: 'boolean' } },
        }));
    }
    catch (err) {
        throw new context_1.DemoFailure(`${err.message}\n\n${HELP}`, 2);
    }
    if (values.help) {
        console.log(HELP);
        return 0;
    }
    const opts = {
        chunks: positive(values.chunks, 3000, '--chunks'),
        dim: 64,
        seed: positive(values.seed, 7, '--seed'),
        batchSize: positive(values['batch-size'], 500, '--batch-size'),
        keep: values.keep === true,
        dataOnly: values['data-only'] === true,
        monitorSeconds: positive(values['monitor-seconds'], 45, '--monitor-seconds'),
        intervalMs: 500,
        timeoutMs: positive(values.timeout, 300, '--timeout') * 1000,
    };
    const t0 = Date.now();
    const log = (line) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${line}`);
    const cleanup = new cleanup_1.Cleanup(log);
    cleanup.onSignals((s) => log(`${s}: stopping everything`));
    const logDir = node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'stp-demo-'));
    worker_1.Runtime.install({ logger: (0, worker_2.fileLogger)(logDir, 'WARN') });
    console.log(`stp-upgrade demo: a whole ${opts.dataOnly ? 'data ' : ''}upgrade on embedded servers (Temporal dev server + PGlite${opts.dataOnly ? '' : ' + reference service behind nginx'})`);
    log(`server and worker logs in ${logDir} (removed when the demo passes)`);
    try {
        const cli = (0, temporal_server_1.temporalCli)(process.env, log);
        const bundle = (0, worker_2.bundleWorkflows)(logDir);
        bundle.catch(() => undefined);
        const temporalP = (0, temporal_server_1.startTemporalDevServer)(cleanup, { cli, logDir });
        const postgresP = (0, pglite_server_1.startEmbeddedPostgres)(cleanup, { env: process.env, maxConnections: 64 });
        temporalP.catch(() => undefined);
        const postgres = await postgresP;
        log(`embedded PostgreSQL (PGlite, with vector and age) on 127.0.0.1:${postgres.port}, ready in ${(postgres.startMs / 1000).toFixed(1)} s${postgres.fromSnapshot ? ' (cached data directory)' : ''}`);
        const seed = await (0, seed_1.seedLegacy)(postgres.url, opts, log);
        for (const line of (0, seed_1.describeSeed)(seed))
            log(line);
        const temporal = await temporalP;
        log(`Temporal dev server on ${temporal.address}, Web UI ${temporal.uiUrl}`);
        const taskQueue = 'stp-upgrade-demo';
        await (0, worker_2.startWorker)(cleanup, { address: temporal.address, taskQueue, databaseUrl: postgres.url, workflowBundle: await bundle, stateRoot: node_path_1.default.join(logDir, 'state') });
        log(`worker polling task queue "${taskQueue}" (database "primary" = the embedded PostgreSQL)`);
        // Not closed by cleanup: closing it under a pending query crashes the gRPC retry timer.
        const connection = await client_1.Connection.connect({ address: temporal.address });
        const ctx = {
            opts, cleanup, temporal, postgres, taskQueue, logDir, log,
            client: new client_1.Client({ connection, namespace: 'default' }),
            out: (text) => console.log(text),
            tty: process.stdout.isTTY === true && process.env.TERM !== 'dumb',
        };
        const summary = [];
        for (const phase of opts.dataOnly ? DATA_ONLY : PHASES) {
            log(`— ${phase.name} —`);
            summary.push(...(await phase.run(ctx)));
        }
        for (const line of summary)
            log(line);
        if (opts.keep) {
            log(`--keep: servers stay up. Temporal UI ${temporal.uiUrl}; PostgreSQL ${postgres.url}. Ctrl-C stops everything.`);
            cleanup.exitCodeOnSignal = 0;
            await new Promise(() => undefined); // the signal handler runs cleanup and exits
        }
        log('stopping servers');
        await connection.close();
        await cleanup.run();
        node_fs_1.default.rmSync(logDir, { recursive: true, force: true });
        log(`DEMO PASSED in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        return 0;
    }
    catch (err) {
        if (cleanup.signalExitCode !== undefined) {
            await cleanup.run();
            return cleanup.signalExitCode; // what failed after the signal is the shutdown itself
        }
        const code = err instanceof context_1.DemoFailure ? err.exitCode : 1;
        log(`DEMO FAILED: ${err.message}`);
        if (!(err instanceof context_1.DemoFailure))
            console.error(err.stack);
        log(`logs: ${logDir}`);
        await cleanup.run();
        return code;
    }
}
function positive(value, fallback, flag) {
    if (value === undefined)
        return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0)
        throw new context_1.DemoFailure(`${flag}: expected a positive integer, got ${JSON.stringify(value)}`, 2);
    return n;
}
if (require.main === module) {
    main(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
        console.error(`demo: ${err.message}`);
        process.exit(err instanceof context_1.DemoFailure ? err.exitCode : 1);
    });
}
//# sourceMappingURL=main.js.map