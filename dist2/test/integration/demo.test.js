"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_path_1 = __importDefault(require("node:path"));
const node_test_1 = require("node:test");
const ports_1 = require("../../demo/ports");
const processes_1 = require("../helpers/processes");
const DEMO = node_path_1.default.join(processes_1.REPO_ROOT, 'dist', 'demo', 'main.js');
/**
 * Runs `node dist/demo/main.js` (what `npm run demo` runs after building). `interruptWhen`: send
 * SIGINT once the output matches it.
 */
function runDemo(args, timeoutMs, interruptWhen) {
    return new Promise((resolve, reject) => {
        const child = (0, node_child_process_1.spawn)(process.execPath, [DEMO, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TERM: 'dumb' } });
        let out = '';
        let interrupted = false;
        const onData = (d) => {
            out += d;
            if (interruptWhen && !interrupted && interruptWhen.test(out)) {
                interrupted = true;
                child.kill('SIGINT');
            }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.on('error', reject);
        child.on('close', (code, signal) => {
            clearTimeout(timer);
            resolve({ code, signal, out });
        });
    });
}
function temporalPorts(out) {
    const m = /Temporal dev server on 127\.0\.0\.1:(\d+), Web UI http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
    strict_1.default.ok(m, `no Temporal dev server line in:\n${out}`);
    return [Number(m[1]), Number(m[2])];
}
/** The loopback ports of blue, green and nginx the demo printed. */
function releasePorts(out) {
    const lb = /nginx on http:\/\/127\.0\.0\.1:(\d+) → blue v1 \(reference service pid \d+ on :(\d+)/.exec(out);
    const green = /green v2 on :(\d+)/.exec(out);
    strict_1.default.ok(lb && green, `no release ports in:\n${out}`);
    return [Number(lb[1]), Number(lb[2]), Number(green[1])];
}
async function assertAllStopped(out, ports) {
    for (const port of ports)
        strict_1.default.ok(await (0, ports_1.portIsFree)(port), `port ${port} still listening after the demo:\n${out}`);
}
function assertDataBalanced(out) {
    strict_1.default.match(out, /Verification passed/);
    const balance = /data upgrade completed in [\d.]+ s: ([\d,]+) legacy rows = ([\d,]+) migrated \+ ([\d,]+) quarantined/.exec(out);
    strict_1.default.ok(balance, out);
    const [rows, migrated, quarantined] = balance.slice(1).map((n) => Number(n.replace(/,/g, '')));
    strict_1.default.equal(migrated + quarantined, rows);
    strict_1.default.ok(quarantined > 0, 'the fixtures carry defects, so some rows are quarantined');
    const sums = /checksums per rule: (\d+)\/(\d+) match/.exec(out);
    strict_1.default.ok(sums && sums[1] === sums[2] && Number(sums[1]) > 0, out);
    strict_1.default.match(out, /backup step skipped/);
}
(0, node_test_1.test)('npm run demo: data and release steps, green serving through nginx, everything stopped', { timeout: 240_000 }, async () => {
    const run = await runDemo(['--monitor-seconds', '15'], 220_000);
    strict_1.default.equal(run.code, 0, run.out);
    strict_1.default.match(run.out, /Result: completed, phase completed/);
    assertDataBalanced(run.out);
    strict_1.default.match(run.out, /Steps: preflight done · schema done · copy done · embeddings done · graph done · verify done · deploy done · smoke done · approval skipped · switch done · drain done · monitor done · finalize done/);
    strict_1.default.match(run.out, /release completed \(whole run [\d.]+ s\): traffic on green — X-STP-Version 2 through nginx http:\/\/127\.0\.0\.1:\d+; blue stopped/);
    const mon = /schema version 2; monitoring green: (\d+) checks, (\d+) failed, outcome passed/.exec(run.out);
    strict_1.default.ok(mon, run.out);
    strict_1.default.ok(Number(mon[1]) >= 3, `only ${mon[1]} monitoring checks`);
    const load = /load through nginx during the switch: ([\d,]+) requests: (\d+) ok, (\d+) failed \(served by blue v1 (\d+), green v2 (\d+)\)/.exec(run.out);
    strict_1.default.ok(load, run.out);
    strict_1.default.equal(Number(load[3]), 0, 'no request failed while traffic moved');
    strict_1.default.ok(Number(load[4]) > 0 && Number(load[5]) > 0, 'the load saw blue, then green');
    strict_1.default.match(run.out, /DEMO PASSED in [\d.]+ s/);
    await assertAllStopped(run.out, [...temporalPorts(run.out), ...releasePorts(run.out)]);
});
(0, node_test_1.test)('demo --data-only: the data steps alone, no service and no nginx', { timeout: 180_000 }, async () => {
    const run = await runDemo(['--data-only'], 170_000);
    strict_1.default.equal(run.code, 0, run.out);
    strict_1.default.match(run.out, /Result: completed, phase completed/);
    assertDataBalanced(run.out);
    strict_1.default.doesNotMatch(run.out, /release completed|nginx on http/);
    strict_1.default.match(run.out, /DEMO PASSED in [\d.]+ s/);
    await assertAllStopped(run.out, temporalPorts(run.out));
});
(0, node_test_1.test)('demo: SIGINT during the release stops services, nginx and the Temporal dev server, exits 130', { timeout: 180_000 }, async () => {
    const run = await runDemo([], 170_000, /load through nginx started.*\n/);
    strict_1.default.equal(run.code, 130, run.out);
    strict_1.default.match(run.out, /SIGINT: stopping everything/);
    await assertAllStopped(run.out, [...temporalPorts(run.out), ...releasePorts(run.out)]);
});
(0, node_test_1.test)('demo: a bad option exits 2 before starting anything', async () => {
    const run = await runDemo(['--chunks', 'many'], 30_000);
    strict_1.default.equal(run.code, 2, run.out);
    strict_1.default.match(run.out, /--chunks: expected a positive integer/);
});
//# sourceMappingURL=demo.test.js.map