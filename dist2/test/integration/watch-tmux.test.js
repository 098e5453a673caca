"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_path_1 = __importDefault(require("node:path"));
const node_test_1 = require("node:test");
const processes_1 = require("../helpers/processes");
const upgrade_support_1 = require("./upgrade-support");
/**
 * `stp-upgrade watch` in a real terminal (tmux) at 80 and 200 columns, on a real run: no line is
 * wider than the terminal (a wrapped line would leave stale lines behind on the next redraw), the
 * frame is redrawn in place (nothing scrolls into tmux's history), the bar of the rule being
 * copied moves from one second to the next, and watch exits with the run's code.
 */
const SOCKET = `stp-watch-${process.pid}`;
const tmux = (...args) => (0, node_child_process_1.execFileSync)('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
(0, node_test_1.describe)('watch in tmux', () => {
    let tpl;
    const dbs = [];
    let worker;
    const queue = (0, upgrade_support_1.randomQueue)('stp-watch');
    const env = { STP_TASK_QUEUE: queue };
    const dir = (0, upgrade_support_1.tempDir)('watch');
    (0, node_test_1.before)(async () => {
        strict_1.default.equal((0, node_child_process_1.spawnSync)('tmux', ['-V']).status, 0, 'tmux is needed: scripts/install.sh installs it (apt-get install tmux)');
        tpl = await (0, upgrade_support_1.fixtureTemplate)('watch_tpl', { chunks: 12_000, dim: 8, seed: 5, graph: false });
        for (const w of [80, 200]) {
            const db = await (0, upgrade_support_1.cloneDatabase)(tpl.template, `watch_${w}`);
            dbs.push(db);
            env[`STP_DATABASE_URL_W${w}`] = db.url;
        }
        worker = await (0, processes_1.startWorkerProcess)(env);
    });
    (0, node_test_1.after)(async () => {
        (0, node_child_process_1.spawnSync)('tmux', ['-L', SOCKET, 'kill-server']);
        await worker?.stop();
        for (const db of dbs)
            await db.drop();
        await tpl?.drop();
    });
    for (const columns of [80, 200]) {
        (0, node_test_1.test)(`${columns} columns: fits, redraws in place, bars move every second`, async () => {
            const id = `${queue}-w${columns}`;
            // Small, throttled batches: the copy lasts long enough to watch several redraws.
            const plan = (0, upgrade_support_1.writePlan)(dir, `w${columns}`, {
                database: `w${columns}`, steps: ['preflight', 'schema', 'copy', 'verify'], graph: { optional: true },
                copy: { batchSize: 50, throttleMs: 60 }, defects: { policy: 'quarantine' }, embeddings: { index: { kind: 'none' } },
            });
            const started = await (0, processes_1.runCliProcess)(['start', '--plan', plan, '--workflow-id', id], env);
            strict_1.default.equal(started.code, 0, started.stderr);
            const session = `w${columns}`;
            const cmd = `env ${Object.entries(env).map(([k, v]) => `${k}='${v}'`).join(' ')} ${process.execPath} ${node_path_1.default.join(processes_1.REPO_ROOT, 'bin', 'stp-upgrade.js')} watch ${id}; echo EXIT=$?; sleep 120`;
            tmux('new-session', '-d', '-s', session, '-x', String(columns), '-y', '50', cmd);
            const frames = [];
            const final = await (0, upgrade_support_1.waitFor)('watch to end', async () => {
                const pane = tmux('capture-pane', '-p', '-t', session);
                frames.push(pane);
                return pane.includes('EXIT=') ? pane : undefined;
            }, 180_000, 1000);
            for (const f of frames) {
                for (const line of f.split('\n'))
                    strict_1.default.ok(line.length < columns, `a line of ${line.length} columns in a ${columns}-column terminal:\n${line}`);
            }
            const history = Number(tmux('display-message', '-p', '-t', session, '#{history_size}').trim());
            strict_1.default.ok(history <= 1, `watch scrolled ${history} lines into the history instead of redrawing in place`);
            const chunkCounts = frames.map((f) => /chunks\s+\[[#-]+\]\s+[\d.]+%\s+([\d,]+)\//.exec(f)?.[1]).filter((c) => c !== undefined);
            const moves = chunkCounts.filter((c, i) => i > 0 && c !== chunkCounts[i - 1]).length;
            strict_1.default.ok(moves >= 3, `the chunks bar moved ${moves} times over ${chunkCounts.length} one-second frames: ${chunkCounts.join(' ')}`);
            strict_1.default.match(final, /Result: completed, phase completed: done\. \(exit 0\)/);
            strict_1.default.match(final, /EXIT=0/);
            strict_1.default.match(final, /ETA .* \(whole copy\)|Started .* took/);
        });
    }
});
//# sourceMappingURL=watch-tmux.test.js.map