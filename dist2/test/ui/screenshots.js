"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * `npm run test:ui`: the Temporal UI as the operator's console, checked for real. On its own
 * Temporal dev server (search attributes registered at start, UI on a free port) and a fresh
 * database, it runs three upgrades through the CLI — one refused (defects under policy block), one
 * aborted and rolled back, one completed — then
 *  - checks each run's typed search attributes through the API (phase, outcome, database, rows),
 *    and that `stp-upgrade list --phase` finds them by phase, with outcomes told apart;
 *  - takes screenshots of the workflow list filtered by StpPhase and of the completed run's page
 *    in headless Chromium (Debian's package), checks the list's DOM holds the three runs, and
 *    writes docs/ui-list-by-phase.png and docs/ui-run-page.png.
 * Kept out of `npm test`: it starts a Temporal server, a worker and Chromium (about a minute).
 * Prints one line per check and ends with `N passed, N failed`.
 */
const node_child_process_1 = require("node:child_process");
const node_fs_1 = __importDefault(require("node:fs"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const client_1 = require("@temporalio/client");
const cli_1 = require("../../client/cli");
const search_attributes_1 = require("../../common/search-attributes");
const cleanup_1 = require("../../demo/cleanup");
const temporal_server_1 = require("../../demo/temporal-server");
const worker_1 = require("../../demo/worker");
const generate_1 = require("../../fixtures/generate");
const chromium_1 = require("../helpers/chromium");
const pg_1 = require("../helpers/pg");
const ROOT = node_path_1.default.resolve(__dirname, '..', '..', '..');
const DOCS = node_path_1.default.join(ROOT, 'docs');
let passed = 0;
let failed = 0;
function check(what, ok, detail = '') {
    if (ok)
        passed++;
    else
        failed++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${!ok && detail ? `: ${detail}` : ''}`);
}
async function cli(argv, env) {
    const out = [];
    const err = [];
    const code = await (0, cli_1.runCli)(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env });
    return { code, out: out.join('\n'), err: err.join('\n') };
}
/** Opens url, waits (up to 20 s) until its HTML holds every needle, writes a screenshot; returns the HTML. */
async function shoot(browser, url, needles, png) {
    const page = await browser.open(url);
    const decode = (s) => {
        try {
            return decodeURIComponent(s);
        }
        catch {
            return s; // a stray % in the page: the needles are plain text anyway
        }
    };
    // the page's HTML and, for the iframes the UI renders Markdown in, their text or source
    const expression = `document.documentElement.outerHTML + [...document.querySelectorAll('iframe')]
    .map((f) => (f.contentDocument?.body?.innerText ?? '') + ' ' + (f.getAttribute('src') || '') + ' ' + (f.srcdoc || '')).join(' ')`;
    const html = async () => decode(String(await browser.evaluate(page, expression)).replace(/&amp;/g, '&'));
    let dom = await html();
    for (let i = 0; i < 40 && !needles.every((n) => dom.includes(n)); i++) {
        await new Promise((r) => setTimeout(r, 500));
        dom = await html();
    }
    node_fs_1.default.writeFileSync(png, await browser.screenshot(page));
    return dom;
}
async function main() {
    const cleanup = new cleanup_1.Cleanup();
    const logDir = node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'stp-ui-'));
    try {
        if ((0, node_child_process_1.spawnSync)('chromium', ['--version']).status !== 0)
            throw new Error('chromium is missing: bash scripts/install.sh chromium');
        const server = await (0, temporal_server_1.startTemporalDevServer)(cleanup, { cli: (0, temporal_server_1.temporalCli)(process.env, console.log), logDir, ui: true });
        const db = await (0, pg_1.createTestDatabase)('ui_shots');
        cleanup.add('database', () => db.drop());
        await (0, generate_1.generateFixtures)(db.pool, { chunks: 3000, dim: 8, defects: true, seed: 9, graph: false });
        const taskQueue = 'stp-ui';
        await (0, worker_1.startWorker)(cleanup, { address: server.address, taskQueue, databaseUrl: db.url, workflowBundle: await (0, worker_1.bundleWorkflows)(logDir), stateRoot: logDir });
        const env = { ...process.env, TEMPORAL_ADDRESS: server.address, STP_TASK_QUEUE: taskQueue };
        const plan = (name, extra) => {
            const file = node_path_1.default.join(logDir, `${name}.json`);
            node_fs_1.default.writeFileSync(file, JSON.stringify({ database: 'primary', steps: ['preflight', 'schema', 'copy', 'embeddings', 'verify'], graph: { optional: true }, ...extra }));
            return file;
        };
        const refused = await cli(['start', '--plan', plan('refused', { defects: { policy: 'block' } }), '--workflow-id', 'ui-refused', '--wait'], env);
        check('a run refused by defects exits 2', refused.code === 2, refused.err);
        await cli(['start', '--plan', plan('aborted', { defects: { policy: 'quarantine' }, copy: { batchSize: 20, throttleMs: 300 } }), '--workflow-id', 'ui-rolled-back'], env);
        for (let i = 0; i < 60 && !/step copy/.test((await cli(['status', 'ui-rolled-back'], env)).out); i++)
            await new Promise((r) => setTimeout(r, 500));
        await cli(['abort', 'ui-rolled-back', '--reason', 'screenshot'], env);
        const aborted = await cli(['watch', 'ui-rolled-back'], env);
        check('an aborted run is rolled back (exit 1)', aborted.code === 1, aborted.err);
        const done = await cli(['start', '--plan', plan('completed', { defects: { policy: 'quarantine' } }), '--workflow-id', 'ui-completed', '--wait'], env);
        check('a run completes (exit 0)', done.code === 0, done.err + done.out.slice(-400));
        const client = new client_1.Client({ connection: await client_1.Connection.connect({ address: server.address }) });
        cleanup.add('client', () => client.connection.close());
        const expect = {
            'ui-refused': { phase: 'blocked', outcome: 'refused' },
            'ui-rolled-back': { phase: 'rolled_back', outcome: 'rolled_back' },
            'ui-completed': { phase: 'completed', outcome: 'completed' },
        };
        for (const [id, want] of Object.entries(expect)) {
            const sa = (await client.workflow.getHandle(id).describe()).typedSearchAttributes;
            check(`${id}: StpPhase ${want.phase}, StpOutcome ${want.outcome}, StpDatabase primary`, sa.get(search_attributes_1.StpPhase) === want.phase && sa.get(search_attributes_1.StpOutcome) === want.outcome && sa.get(search_attributes_1.StpDatabase) === 'primary', `${sa.get(search_attributes_1.StpPhase)} ${sa.get(search_attributes_1.StpOutcome)} ${sa.get(search_attributes_1.StpDatabase)}`);
        }
        const rows = (await client.workflow.getHandle('ui-completed').describe()).typedSearchAttributes.get(search_attributes_1.StpRowsCopied) ?? 0;
        check('ui-completed: StpRowsCopied counts the copied rows', rows > 3000, String(rows));
        // Visibility is eventually consistent: the list may lag the last upsert by a moment.
        let listed = '';
        for (let i = 0; i < 20 && !listed.includes('ui-completed'); i++) {
            listed = (await cli(['list', '--phase', 'completed', '--json'], env)).out;
            if (!listed.includes('ui-completed'))
                await new Promise((r) => setTimeout(r, 500));
        }
        const list = JSON.parse(listed || '[]');
        check('stp-upgrade list --phase completed finds only the completed run', list.length === 1 && list[0].workflowId === 'ui-completed', listed);
        const all = JSON.parse((await cli(['list', '--json'], env)).out);
        check('list tells refused, rolled back and completed apart', Object.entries(expect).every(([id, w]) => all.find((r) => r.workflowId === id)?.outcome === w.outcome), JSON.stringify(all.map((r) => [r.workflowId, r.outcome])));
        node_fs_1.default.mkdirSync(DOCS, { recursive: true });
        const query = 'WorkflowType="upgradeWorkflow" AND StpPhase IN ("completed","rolled_back","blocked")';
        const listUrl = `${server.uiUrl}/namespaces/default/workflows?query=${encodeURIComponent(query)}`;
        const browser = chromium_1.HeadlessChromium.launch(undefined, '1600,900');
        cleanup.add('chromium', () => browser.close());
        const runs = ['ui-refused', 'ui-rolled-back', 'ui-completed'];
        const listShot = node_path_1.default.join(DOCS, 'ui-list-by-phase.png');
        const dom = await shoot(browser, listUrl, runs, listShot);
        check('the UI list filtered by StpPhase shows the three runs', runs.every((id) => dom.includes(id)), `${dom.length} bytes of DOM`);
        check('screenshot of the list written', node_fs_1.default.existsSync(listShot) && node_fs_1.default.statSync(listShot).size > 20_000, listShot);
        const runId = (await client.workflow.getHandle('ui-completed').describe()).runId;
        const runShot = node_path_1.default.join(DOCS, 'ui-run-page.png');
        const runUrl = `${server.uiUrl}/namespaces/default/workflows/ui-completed/${runId}/user-metadata`;
        // The UI renders the Markdown of the summary and details in iframes: their src carries the text.
        const summary = ['STP upgrade of database primary', 'policy', 'quarantine', 'embeddings_v2'];
        const dom2 = await shoot(browser, runUrl, summary, runShot);
        check('the run page shows its summary and details', summary.every((n) => dom2.includes(n)), `${dom2.length} bytes of DOM, missing ${summary.filter((n) => !dom2.includes(n)).join(', ')}`);
        check('screenshot of the run page written', node_fs_1.default.existsSync(runShot) && node_fs_1.default.statSync(runShot).size > 20_000, runShot);
    }
    catch (err) {
        check('the UI test ran to its end', false, err.stack ?? String(err));
    }
    finally {
        await cleanup.run().catch(() => undefined);
        node_fs_1.default.rmSync(logDir, { recursive: true, force: true });
    }
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
}
void main();
//# sourceMappingURL=screenshots.js.map