"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const plan_1 = require("../../common/plan");
const release_1 = require("../../common/release");
(0, node_test_1.test)('plan.release: defaults for every field, absent section included', () => {
    const r = (0, release_1.releasePlanOf)({});
    strict_1.default.equal(r.deployer.kind, 'process');
    strict_1.default.deepEqual(r.deployer.blue, { instance: 'blue', port: 8080, version: '1' });
    strict_1.default.deepEqual(r.deployer.green, { instance: 'green', port: 8081, version: '2' });
    strict_1.default.deepEqual(r.health, { consecutive: 3, deadlineSeconds: 60, intervalMs: 1000 });
    strict_1.default.equal(r.traffic.nginx.listenPort, 8088);
    strict_1.default.deepEqual(r.finalize, { legacyTables: 'keep', archiveSuffix: '_archived' });
    strict_1.default.equal(r.blueAfterSwitch, 'stop');
    strict_1.default.equal(r.drainSeconds, 60);
    strict_1.default.equal(r.approval.required, false);
    strict_1.default.equal(r.monitoring, undefined);
    const parsed = (0, plan_1.parsePlan)({ release: { monitoring: {} } });
    strict_1.default.ok(parsed.ok && parsed.plan.release?.monitoring?.intervalSeconds === 60);
});
(0, node_test_1.test)('plan.release: every problem reported with its path', () => {
    const r = (0, plan_1.parsePlan)({
        release: { traffic: { kind: 'command' }, deployer: { env: ['lower'], green: { port: 0 } }, bogus: 1 },
    });
    strict_1.default.equal(r.ok, false);
    const errors = r.ok ? [] : r.errors.join('\n');
    strict_1.default.match(errors, /plan\.release\.traffic\.command: required when kind is "command"/);
    strict_1.default.match(errors, /plan\.release\.traffic\.lbUrl: required/);
    strict_1.default.match(errors, /plan\.release\.deployer\.env\.0: expected an environment variable name/);
    strict_1.default.match(errors, /plan\.release\.deployer\.green\.port/);
    strict_1.default.match(errors, /plan\.release\.bogus: unknown field/);
});
//# sourceMappingURL=release-plan.test.js.map