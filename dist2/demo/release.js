"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.releasePhase = releasePhase;
const node_child_process_1 = require("node:child_process");
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const release_1 = require("../activities/release");
const proc_1 = require("../activities/release/proc");
const switch_1 = require("../activities/release/switch");
const databases_1 = require("../workers/databases");
const context_1 = require("./context");
const data_upgrade_1 = require("./data-upgrade");
const load_1 = require("./load");
const writer_1 = require("./writer");
const ports_1 = require("./ports");
const temporal_server_1 = require("./temporal-server");
/**
 * Phase 1 with the release half: production before the upgrade is blue (the reference service v1
 * on the legacy tables) behind the project's nginx; one upgrade run then copies the data, deploys
 * green (v2), switches nginx to it under a small load, stops blue after a short drain, monitors
 * green for a short window and finalizes. Without nginx it falls back to the data steps only.
 */
async function releasePhase(ctx) {
    if (!ensureNginx(ctx)) {
        ctx.log('NOTE: nginx is not installed and could not be installed (bash scripts/install.sh nginx): running the data steps only, as with --data-only');
        return (0, data_upgrade_1.dataUpgradePhase)(ctx);
    }
    const dir = node_path_1.default.join(ctx.logDir, 'release');
    const ports = { blue: await (0, ports_1.freePort)(), green: await (0, ports_1.freePort)(), lb: await (0, ports_1.freePort)() };
    const nginxDir = node_path_1.default.join(dir, 'nginx');
    const release = {
        deployer: { kind: 'process', stateDir: node_path_1.default.join(dir, 'deploy'), blue: { port: ports.blue }, green: { port: ports.green } },
        traffic: { kind: 'nginx', nginx: { stateDir: nginxDir, listenPort: ports.lb } },
        health: { consecutive: 2, deadlineSeconds: 30, intervalMs: 250 },
        approval: { required: false },
        drainSeconds: 2,
        blueAfterSwitch: 'stop',
        // The embedded PostgreSQL answers one query at a time, so green's p95 swings by a few hundred ms
        // whenever the machine is busy (the live writer, a parallel test run): a wider slack keeps the
        // demo about the flow. The breach path itself is shown by the monitoring tests.
        monitoring: { durationSeconds: ctx.opts.monitorSeconds, intervalSeconds: 3, baselineSamples: 3, baselineIntervalSeconds: 1, thresholds: { p95SlackMs: 400 } },
    };
    const plan = (0, data_upgrade_1.demoPlan)(ctx.opts, release);
    const lb = `http://127.0.0.1:${ports.lb}`;
    // The same deployer kind and state directory as the worker's, so the run can stop blue later.
    const pools = new databases_1.EnvPools({ STP_DATABASE_URL: ctx.postgres.url });
    const acts = (0, release_1.createReleaseActivities)({ pools, resolveUrl: (db) => pools.url(db), stateRoot: node_path_1.default.join(ctx.logDir, 'state'), env: process.env });
    ctx.cleanup.add('release pools', () => pools.close());
    const nginx = new switch_1.NginxControl((0, switch_1.nginxLayout)(nginxDir));
    startWatchdog(ctx, node_path_1.default.join(dir, 'deploy'), nginx.layout.pidFile);
    ctx.cleanup.add('nginx', () => nginx.stop(2000), () => killPidFile(nginx.layout.pidFile));
    ctx.cleanup.add('blue and green services', async () => {
        for (const which of ['green', 'blue'])
            await acts.stopInstance({ runId: 'demo-cleanup', plan, which }).catch(() => undefined);
    }, () => ['green', 'blue'].forEach((i) => killPidFile(node_path_1.default.join(dir, 'deploy', `${i}.json`))));
    const blue = await acts.startBlue({ runId: 'demo-setup', plan });
    await (0, switch_1.startNginx)({ stateDir: nginxDir, listenPort: ports.lb, upstream: { instance: 'blue', port: ports.blue, version: '1' } });
    const before = await (0, load_1.request)(lb, 'GET', '/api/v1/health');
    ctx.log(`production before the upgrade: nginx on ${lb} → ${before.instance} v${before.version} (reference service pid ${blue.pid} on :${ports.blue}, legacy tables)`);
    ctx.log(`release: green v2 on :${ports.green}, drain ${release.drainSeconds} s, approval off, monitoring ${ctx.opts.monitorSeconds} s every 3 s`);
    let load;
    let loadReport;
    let writer;
    let dataSeconds;
    const started = Date.now();
    const onProgress = async (p) => {
        if (dataSeconds === undefined && p.steps.verify === 'done')
            dataSeconds = (Date.now() - started) / 1000;
        // From before the switch until blue is stopped and green is being monitored.
        // A live writer from the release on: blue's writes are carried forward and through the
        // cut-over, green's back to the legacy tables until finalize (contract section 6).
        if (!writer && p.step && ['deploy', 'smoke', 'approval', 'switch'].includes(p.step)) {
            writer = (0, writer_1.startWriter)(lb, { ratePerSec: 4, maxMs: 10 * 60_000 });
            ctx.log('live writer through nginx started (texts, deletes, templates)');
        }
        if (!load && p.step && ['smoke', 'approval', 'switch'].includes(p.step)) {
            load = (0, load_1.startLoad)(lb, { concurrency: 2, maxMs: 90_000, maxRequests: 5000 });
            ctx.log('load through nginx started (2 clients: health checks and semantic searches)');
        }
        if (load && !loadReport && (p.phase === 'monitoring' || p.phase === 'rolling_back')) {
            loadReport = await load.stop();
            ctx.log(`load stopped (green monitored, blue stopped): ${(0, load_1.describeLoad)(loadReport)}`);
        }
    };
    let result;
    try {
        const lines = () => (load && !loadReport ? [`Load through nginx: ${(0, load_1.describeLoad)(load.report)}`] : []);
        // --timeout bounds the work; the monitoring window comes on top of it.
        const timeoutMs = ctx.opts.timeoutMs + ctx.opts.monitorSeconds * 1000;
        result = await (0, data_upgrade_1.runUpgrade)({ ...ctx, opts: { ...ctx.opts, timeoutMs } }, plan, { onProgress, lines });
    }
    finally {
        loadReport ??= await load?.stop();
    }
    const ledger = await writer?.stop();
    const lost = ledger ? await (0, writer_1.auditWrites)(lb, ledger) : [];
    if (!ledger || ledger.writes === 0)
        throw new context_1.DemoFailure('the live writer acknowledged no write', 1);
    if (ledger.failed > 0 || lost.length > 0) {
        throw new context_1.DemoFailure(`live writes: ${ledger.failed} failed, ${lost.length} lost: ${[...ledger.failures, ...lost].slice(0, 5).join('; ')}`, 1);
    }
    const holds = result.outcome.progress?.sync?.cutover?.holdsMs ?? [];
    return [
        ...(0, data_upgrade_1.summariseData)(result.outcome.report, `data upgrade completed in ${(dataSeconds ?? result.seconds).toFixed(1)} s`),
        ...(await releaseSummary({ lb, ports, pools, progress: result.outcome.progress, load: loadReport, seconds: result.seconds })),
        `live writes through nginx: ${ledger.writes} writes, 0 lost (blue and green; cut-over hold ${holds.join('/') || '-'} ms)`,
    ];
}
/** The end state, checked from outside: green serves through nginx, blue is gone, schema version 2. */
async function releaseSummary(r) {
    const problems = [];
    const after = await (0, load_1.request)(r.lb, 'GET', '/api/v1/health');
    if (after.status !== 200 || after.version !== '2')
        problems.push(`nginx answers HTTP ${after.status} from ${after.instance} v${after.version}, not green v2`);
    const blueGone = await (0, load_1.request)(`http://127.0.0.1:${r.ports.blue}`, 'GET', '/api/v1/health', undefined, 2000).then(() => false, () => true);
    if (!blueGone)
        problems.push('blue still answers after the drain');
    const client = await r.pools.get('primary').connect();
    const schemaVersion = await (0, release_1.readSchemaVersion)(client).finally(() => client.release());
    if (schemaVersion !== 2)
        problems.push(`schema version is ${schemaVersion}, not 2`);
    const m = r.progress?.monitoring;
    if (m?.outcome !== 'passed')
        problems.push(`monitoring ended ${m?.outcome ?? 'never'}${m?.reason ? `: ${m.reason}` : ''}`);
    const load = r.load;
    if (!load || load.ok === 0)
        problems.push('no request went through nginx during the switch');
    else if (load.failed > 0)
        problems.push(`${load.failed} requests failed during the switch: ${load.failures.join('; ')}`);
    if (problems.length > 0)
        throw new context_1.DemoFailure(`the release did not end as it should: ${problems.join('; ')}`, 1);
    return [
        `release completed (whole run ${r.seconds.toFixed(1)} s): traffic on ${after.instance} — X-STP-Version ${after.version} through nginx ${r.lb}; blue stopped`,
        `schema version ${schemaVersion}; monitoring green: ${m.checks} checks, ${m.failures} failed, outcome ${m.outcome}`,
        `load through nginx during the switch: ${(0, load_1.describeLoad)(load)}`,
    ];
}
/** nginx from PATH or /usr/sbin; when missing, `bash scripts/install.sh nginx` (Debian package). */
function ensureNginx(ctx) {
    const runnable = () => (0, node_child_process_1.spawnSync)((0, switch_1.nginxBinary)(), ['-v'], { stdio: 'ignore' }).status === 0;
    if (runnable())
        return true;
    ctx.log('nginx not found: installing it (bash scripts/install.sh nginx)');
    const r = (0, node_child_process_1.spawnSync)('bash', [node_path_1.default.join(temporal_server_1.REPO_ROOT, 'scripts', 'install.sh'), 'nginx'], { stdio: 'inherit' });
    return r.status === 0 && runnable();
}
// Blocks on its stdin, a pipe from this process: when the demo dies in any way (even SIGKILL) the
// pipe closes and it kills the service and nginx process groups still recorded in their pid files.
const WATCHDOG = 'read -r _; for f in "$1"/*.pid "$2"; do [ -f "$f" ] && p=$(cat "$f") && [ -n "$p" ] && kill -KILL -- "-$p" 2>/dev/null; done; exit 0';
/** Services and nginx daemonize, so no process of theirs outlives the demo unless this one is gone too. */
function startWatchdog(ctx, deployDir, nginxPidFile) {
    const child = (0, node_child_process_1.spawn)('bash', ['-c', WATCHDOG, 'stp-demo-watchdog', deployDir, nginxPidFile], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    child.on('error', () => undefined);
    child.unref();
    // Registered before the services: it ends after they were stopped, with nothing left to kill.
    ctx.cleanup.add('watchdog', async () => void child.stdin.end());
}
/**
 * Exit-time last resort (the async stops did not run): kills the process group recorded in a pid
 * file (nginx) or a deployer state file ({pid, start}), only when it is still that process.
 */
function killPidFile(file) {
    let pid;
    let start = null;
    try {
        const text = node_fs_1.default.readFileSync(file, 'utf8');
        if (file.endsWith('.json'))
            ({ pid, start } = JSON.parse(text));
        else
            pid = Number(text.trim());
    }
    catch {
        return;
    }
    if (pid > 0 && (0, proc_1.isSameProcess)(pid, start))
        (0, proc_1.killGroup)(pid, 'SIGKILL');
}
//# sourceMappingURL=release.js.map