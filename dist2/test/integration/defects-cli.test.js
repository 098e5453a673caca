"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const preflight_1 = require("../../activities/preflight");
const plan_1 = require("../../common/plan");
const generate_1 = require("../../fixtures/generate");
const pg_1 = require("../helpers/pg");
const processes_1 = require("../helpers/processes");
const upgrade_support_1 = require("./upgrade-support");
/**
 * `stp-upgrade defects`: every legacy defect, however many (the run's progress lists 20), through
 * a real worker, in text, CSV and JSON; the count per kind equals preflight's complete counts.
 */
let db;
let worker;
const env = { STP_TASK_QUEUE: (0, upgrade_support_1.randomQueue)('stp-defects') };
(0, node_test_1.before)(async () => {
    db = await (0, pg_1.createTestDatabase)('defects_cli');
    await (0, generate_1.generateFixtures)(db.pool, { chunks: 4000, dim: 8, defects: true, seed: 17, graph: true });
    worker = await (0, processes_1.startWorkerProcess)({ ...env, STP_DATABASE_URL: db.url });
});
(0, node_test_1.after)(async () => {
    await worker?.stop();
    await db?.drop();
});
(0, node_test_1.test)('defects --format csv lists every defect preflight counts, one row each', async () => {
    const plan = (0, plan_1.parsePlan)({});
    strict_1.default.ok(plan.ok);
    const pre = await (0, preflight_1.createPreflightActivities)({ pools: { get: () => db.pool } }).preflight({ runId: 'count', plan: plan.plan, defectLimit: 1 });
    const total = Object.values(pre.defectCounts).reduce((a, b) => a + (b ?? 0), 0);
    strict_1.default.ok(total > 100, `the fixture has ${total} defects`);
    const r = await (0, processes_1.runCliProcess)(['defects', '--database', 'primary', '--format', 'csv'], env, 120_000);
    strict_1.default.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    strict_1.default.equal(lines[0], 'kind,table,id,reason');
    strict_1.default.equal(lines.length - 1, total, r.stderr);
    for (const [kind, n] of Object.entries(pre.defectCounts)) {
        strict_1.default.equal(lines.filter((l) => l.startsWith(`${kind},`)).length, n, kind);
    }
    strict_1.default.match(r.stderr, new RegExp(`^${total} defect\\(s\\) in database primary: `));
});
(0, node_test_1.test)('defects --format json is one JSON array of every defect; text has a line each', async () => {
    const json = await (0, processes_1.runCliProcess)(['defects', '--database', 'primary', '--format', 'json'], env, 120_000);
    strict_1.default.equal(json.code, 0, json.stderr);
    const list = JSON.parse(json.stdout);
    const csv = await (0, processes_1.runCliProcess)(['defects', '--database', 'primary'], env, 120_000);
    strict_1.default.equal(csv.stdout.trim().split('\n').length - 1, list.length);
    strict_1.default.equal(new Set(list.map((d) => `${d.kind} ${d.table} ${d.id}`)).size, list.length, 'no defect listed twice');
});
//# sourceMappingURL=defects-cli.test.js.map