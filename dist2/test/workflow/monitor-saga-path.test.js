"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const names_1 = require("../../common/names");
const monitor_harness_1 = require("./monitor-harness");
// In a process of its own: after the other monitor tests in one process, this one's timers stop
// firing in the time-skipping server (it passes alone, and against the real server).
(0, monitor_harness_1.useMonitorEnvironment)();
(0, node_test_1.describe)('monitor workflow, saga path', () => {
    (0, node_test_1.test)('the saga path: operator pause and resume signals, then promote as a signal', async () => {
        const { result } = await (0, monitor_harness_1.monitor)({ plan: { intervalSeconds: 300 } }, () => monitor_harness_1.healthy, async (h) => {
            await monitor_harness_1.env.sleep('1 hour');
            await h.signal(names_1.SignalNames.pause, 'maintenance window');
            await monitor_harness_1.env.sleep('3 hours');
            const s = await (0, monitor_harness_1.status)(h);
            strict_1.default.equal(s.paused, true);
            strict_1.default.equal(s.pausedReason, 'maintenance window');
            strict_1.default.ok(s.checks >= 12 && s.checks <= 14, `checks while paused: ${s.checks}`);
            strict_1.default.ok(s.secondsLeft >= 22 * 3600, 'the paused hours do not count');
            await h.signal(names_1.SignalNames.resume);
            await monitor_harness_1.env.sleep('10 minutes');
            strict_1.default.equal((await (0, monitor_harness_1.status)(h)).paused, false);
            await h.signal(names_1.SignalNames.promoteMonitor, { reason: 'saga forwarded promote' });
        });
        strict_1.default.equal(result.outcome, 'promoted');
        strict_1.default.equal(result.reason, 'saga forwarded promote');
        strict_1.default.equal(result.failures, 0);
    });
});
//# sourceMappingURL=monitor-saga-path.test.js.map