"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const copy_plan_1 = require("../../common/copy-plan");
const plan_1 = require("../../common/plan");
const copyOf = (copy) => {
    const r = (0, plan_1.parsePlan)({ copy });
    if (!r.ok)
        throw new Error(r.errors.join('\n'));
    return r.plan.copy;
};
(0, node_test_1.test)('no targetBatchMs: the batch size stays as it is', () => {
    strict_1.default.equal((0, copy_plan_1.nextBatchSize)(copyOf({}), 5000, 10), 5000);
    strict_1.default.equal((0, copy_plan_1.nextBatchSize)(copyOf({}), 5000, 100_000), 5000);
});
(0, node_test_1.test)('adaptive: proportional to the target, at most doubled or halved per batch, within min and max', () => {
    const c = copyOf({ targetBatchMs: 1000, minBatchSize: 100, maxBatchSize: 8000 });
    strict_1.default.equal((0, copy_plan_1.nextBatchSize)(c, 2000, 1000), 2000);
    strict_1.default.equal((0, copy_plan_1.nextBatchSize)(c, 2000, 800), 2500);
    strict_1.default.equal((0, copy_plan_1.nextBatchSize)(c, 2000, 100), 4000); // capped at double
    strict_1.default.equal((0, copy_plan_1.nextBatchSize)(c, 2000, 60_000), 1000); // capped at half
    strict_1.default.equal((0, copy_plan_1.nextBatchSize)(c, 6000, 100), 8000); // max
    strict_1.default.equal((0, copy_plan_1.nextBatchSize)(c, 150, 60_000), 100); // min
});
(0, node_test_1.test)('plan.copy: defaults unchanged, the new fields optional, bad values named with their path', () => {
    strict_1.default.deepEqual(copyOf({}), { batchSize: 5000, throttleMs: 0 });
    const r = (0, plan_1.parsePlan)({ copy: { targetBatchMs: -1, maxLoad: { activeBackends: 'many', bogus: 1 } } });
    strict_1.default.equal(r.ok, false);
    const errors = r.ok ? '' : r.errors.join('\n');
    strict_1.default.match(errors, /plan\.copy\.targetBatchMs: expected a positive integer/);
    strict_1.default.match(errors, /plan\.copy\.maxLoad\.activeBackends: expected a positive integer/);
    strict_1.default.match(errors, /plan\.copy\.maxLoad/);
});
(0, node_test_1.test)('plan.copy.parallelism: absent by default (one range), a positive integer up to 64, else named with the fix', () => {
    strict_1.default.equal(copyOf({}).parallelism, undefined);
    strict_1.default.equal(copyOf({ parallelism: 4 }).parallelism, 4);
    for (const bad of [0, 2.5, 65, 'two']) {
        const r = (0, plan_1.parsePlan)({ copy: { parallelism: bad } });
        strict_1.default.equal(r.ok, false, `parallelism ${JSON.stringify(bad)} is refused`);
        strict_1.default.match(r.ok ? '' : r.errors.join('\n'), /plan\.copy\.parallelism: /);
    }
});
//# sourceMappingURL=copy-plan.test.js.map