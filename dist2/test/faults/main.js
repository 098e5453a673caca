"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * `npm run test:faults`: the fault matrix of issue 8 on real servers of its own (PostgreSQL on
 * STP_FAULTS_PG_PORT, a Temporal dev server on free ports), worker processes it kills, runs
 * started through the CLI. Prints `case | outcome | recover s | data` and exits 1 when a case failed.
 *   --fast        only the CI subset: kill-copy and pg-restart-fast-copy
 *   --only NAME   one case (or several, comma-separated)
 *   --list        the case names
 * Environment: STP_FAULTS_STUCK_SECONDS (default 150), STP_FAULTS_RECOVER_BUDGET (default 25),
 * STP_FAULTS_KEEP=1 keeps the case databases.
 */
const node_fs_1 = __importDefault(require("node:fs"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const pg_1 = __importDefault(require("pg"));
const generate_1 = require("../../fixtures/generate");
const cases_1 = require("./cases");
const harness_1 = require("./harness");
const servers_1 = require("./servers");
const FIXTURE = { chunks: 40_000, dim: 64, defects: true, seed: 7, graph: true };
const TEMPLATE = 'stp_faults_fixture_v1';
/** The fixture, generated once into a template database and kept (marked complete by a comment). */
async function ensureTemplate() {
    const done = await (0, harness_1.admin)(async (c) => {
        const { rows } = await c.query(`select shobj_description(oid, 'pg_database') as d from pg_database where datname = $1`, [TEMPLATE]);
        return rows[0]?.d === JSON.stringify(FIXTURE);
    });
    if (done)
        return TEMPLATE;
    const started = Date.now();
    await (0, harness_1.admin)(async (c) => {
        await c.query(`drop database if exists "${TEMPLATE}" with (force)`);
        await c.query(`create database "${TEMPLATE}"`);
    });
    const pool = new pg_1.default.Pool({ connectionString: (0, servers_1.dbUrl)(TEMPLATE), max: 4 });
    try {
        await pool.query(`set client_min_messages = warning; create extension if not exists vector; create extension if not exists age`);
        await (0, generate_1.generateFixtures)(pool, FIXTURE);
    }
    finally {
        await pool.end();
    }
    await (0, harness_1.admin)((c) => c.query(`comment on database "${TEMPLATE}" is '${JSON.stringify(FIXTURE)}'`));
    console.log(`fixture ${TEMPLATE}: ${FIXTURE.chunks} chunks with every defect kind, generated in ${Math.round((Date.now() - started) / 1000)} s`);
    return TEMPLATE;
}
function pickCases(args) {
    if (args.includes('--fast'))
        return cases_1.CASES.filter((c) => c.fast);
    const i = args.indexOf('--only');
    if (i >= 0) {
        const names = (args[i + 1] ?? '').split(',').filter(Boolean);
        const unknown = names.filter((n) => !cases_1.CASES.some((c) => c.name === n));
        if (names.length === 0 || unknown.length > 0) {
            console.error(`--only: unknown case ${unknown.join(', ') || '(none given)'}; cases: ${cases_1.CASES.map((c) => c.name).join(', ')}`);
            process.exit(2);
        }
        return cases_1.CASES.filter((c) => names.includes(c.name));
    }
    return cases_1.CASES;
}
/** The case running now: an error nobody handled (a cut connection of the suite's own) is its problem, not a crash. */
let current;
process.on('uncaughtException', (err) => {
    console.log(`  ! uncaught in the suite: ${err.message}`);
    current?.problem(`fault suite error: ${err.message}`);
});
async function runCase(suite, c) {
    const r = new harness_1.CaseRun(suite, c.name);
    current = r;
    const started = Date.now();
    console.log(`\n== ${c.name}: ${c.what}`);
    let timer;
    const deadline = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`case deadline of ${c.deadlineS} s passed`)), c.deadlineS * 1000);
    });
    try {
        await Promise.race([c.run(r), deadline]);
    }
    catch (err) {
        r.problem(err.message);
        if (r.result.outcome === '-')
            r.result.outcome = 'error';
    }
    finally {
        clearTimeout(timer);
        await r.dispose();
    }
    for (const p of r.result.problems)
        console.log(`  ✗ ${p}`);
    console.log(`  ${r.result.problems.length === 0 ? 'PASS' : 'FAIL'} ${c.name} in ${Math.round((Date.now() - started) / 1000)} s`);
    return r.result;
}
function matrix(rows) {
    const table = [['case', 'outcome', 'recover s', 'data', 'result'], ...rows.map(({ name, r }) => [
            name, r.outcome, r.recoverS === undefined ? '-' : String(r.recoverS), r.data, r.problems.length === 0 ? 'pass' : `FAIL: ${r.problems[0].slice(0, 110)}`,
        ])];
    const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
    return table.map((row) => row.map((cell, i) => (i === 4 ? cell : cell.padEnd(widths[i]))).join(' | ')).join('\n');
}
async function main() {
    const args = process.argv.slice(2);
    if (args.includes('--list')) {
        for (const c of cases_1.CASES)
            console.log(`${c.name.padEnd(28)} ${c.fast ? '[fast] ' : ''}${c.what}`);
        return;
    }
    const cases = pickCases(args);
    const started = Date.now();
    servers_1.postgres.up();
    const tmp = node_path_1.default.join(node_os_1.default.tmpdir(), 'stp-faults');
    node_fs_1.default.mkdirSync(tmp, { recursive: true });
    const [template, temporal] = await Promise.all([ensureTemplate(), servers_1.TemporalServer.start()]);
    const suite = {
        temporal, template, tmp,
        stuckSeconds: Number(process.env.STP_FAULTS_STUCK_SECONDS ?? 150),
        recoverBudget: Number(process.env.STP_FAULTS_RECOVER_BUDGET ?? 25),
    };
    console.log(`fault suite: ${cases.length} case(s); PostgreSQL ${(0, servers_1.dbUrl)('')}, Temporal ${temporal.address}; recovery budget ${suite.recoverBudget} s, stuck after ${suite.stuckSeconds} s`);
    const rows = [];
    const stop = () => {
        temporal.stop();
        process.exit(130);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
        for (const c of cases)
            rows.push({ name: c.name, r: await runCase(suite, c) });
    }
    finally {
        temporal.stop();
    }
    const failed = rows.filter((x) => x.r.problems.length > 0);
    console.log(`\n${matrix(rows)}\n`);
    console.log(`${rows.length - failed.length} passed, ${failed.length} failed (fault suite, ${Math.round((Date.now() - started) / 1000)} s)`);
    process.exitCode = failed.length > 0 ? 1 : 0;
}
main().then(() => process.exit(process.exitCode ?? 0), (err) => {
    console.error(`fault suite: ${err.stack ?? String(err)}`);
    process.exit(1);
});
//# sourceMappingURL=main.js.map