"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const plan_1 = require("../../common/plan");
(0, node_test_1.test)('an empty plan gets every default', () => {
    const r = (0, plan_1.parsePlan)({});
    strict_1.default.ok(r.ok);
    strict_1.default.equal(r.plan.database, 'primary');
    strict_1.default.equal(r.plan.legacy.chunks, 'chunks_legacy');
    strict_1.default.equal(r.plan.copy.batchSize, 5000);
    strict_1.default.equal(r.plan.defects.policy, 'block');
    strict_1.default.deepEqual(r.plan.graph.source, { kind: 'age', graph: 'knowledge_graph' });
    strict_1.default.deepEqual(r.plan.steps, ['preflight', 'backup', 'schema', 'copy', 'embeddings', 'graph', 'verify']);
});
(0, node_test_1.test)('every problem is reported at once, with its path', () => {
    const r = (0, plan_1.parsePlan)({ copy: { batchSize: 'abc' }, legacy: { chunks: 'x; drop table t' }, database: 'postgres://u:p@h/d', bogus: 1 });
    strict_1.default.ok(!r.ok);
    strict_1.default.ok(r.errors.includes('plan.copy.batchSize: expected a positive integer, got "abc"'), r.errors.join('\n'));
    strict_1.default.ok(r.errors.some((e) => e.startsWith('plan.legacy.chunks: expected a lowercase SQL identifier')));
    strict_1.default.ok(r.errors.some((e) => e.startsWith('plan.database:')));
    strict_1.default.ok(r.errors.some((e) => e.includes('bogus')));
    strict_1.default.equal(r.errors.length, 4);
});
//# sourceMappingURL=plan.test.js.map