"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const defect_list_1 = require("../../activities/defect-list");
const plan_1 = require("../../common/plan");
const generate_1 = require("../../fixtures/generate");
const pg_1 = require("../helpers/pg");
// `stp-upgrade defects` on a database without the AGE extension (a plan whose graph step is
// optional): looking for the legacy graph must not abort the listing's read-only transaction.
let db;
let plan;
(0, node_test_1.before)(async () => {
    db = await (0, pg_1.createTestDatabase)('defects_no_age', { extensions: ['vector'] });
    await (0, generate_1.generateFixtures)(db.pool, { chunks: 600, dim: 4, defects: true, graph: false, seed: 5 });
    const parsed = (0, plan_1.parsePlan)({ database: 'primary', graph: { optional: true } });
    if (!parsed.ok)
        throw new Error(parsed.errors.join('\n'));
    plan = parsed.plan;
});
(0, node_test_1.after)(async () => db?.drop());
(0, node_test_1.test)('defects are listed on a database without AGE', async () => {
    const { listDefects } = (0, defect_list_1.createDefectListActivities)({ pools: { get: () => db.pool } });
    const page = await listDefects({ plan, limit: 10_000 });
    strict_1.default.ok(page.defects.length > 0, 'the fixture has defects');
    strict_1.default.ok(page.defects.some((d) => d.kind === 'orphan_text'));
    strict_1.default.equal(page.next, null);
});
//# sourceMappingURL=defects-no-age.test.js.map