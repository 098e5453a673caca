"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const checklist_1 = require("../../common/checklist");
const plan_1 = require("../../common/plan");
function plan(input) {
    const p = (0, plan_1.parsePlan)(input);
    strict_1.default.ok(p.ok, p.ok ? '' : p.errors.join('\n'));
    return p.plan;
}
const byItem = (items) => Object.fromEntries(items.map((i) => [i.item, i]));
(0, node_test_1.test)('checklist of a bare data-only plan: backup configured, alerts and notification to do, people items manual', () => {
    const c = byItem((0, checklist_1.migrationChecklist)(plan({})));
    strict_1.default.equal(c['Full system backup completed'].status, 'info');
    strict_1.default.match(c['Full system backup completed'].note, /configured: pg_dump .*no backup\.config \/ backup\.binary.*restore tested/);
    strict_1.default.equal(c['Migration scripts tested in staging'].status, 'manual');
    strict_1.default.equal(c['Rollback procedures verified'].status, 'done');
    strict_1.default.equal(c['Monitoring alerts configured'].status, 'todo');
    strict_1.default.match(c['Monitoring alerts configured'].note, /no plan\.alerts\.webhooks/);
    strict_1.default.equal(c['Team notification sent'].status, 'todo');
    strict_1.default.equal(c['Post-migration validation plan ready'].status, 'done');
    strict_1.default.match(c['Approval gate'].note, /^off/);
});
(0, node_test_1.test)('checklist of a full plan: files backed up, alerts heard, approval on; the backup ticks once done', () => {
    const p = plan({
        steps: [...plan_1.ALL_STEPS],
        backup: { config: '/etc/semantic-text-processor', binary: '/usr/local/bin/semantic-text-processor' },
        release: { approval: { required: true, timeoutMinutes: 30 } },
        alerts: { webhooks: [{ urlEnv: 'SLACK_URL', format: 'slack' }] },
    });
    const c = byItem((0, checklist_1.migrationChecklist)(p));
    strict_1.default.match(c['Full system backup completed'].note, /\+ configuration and binary/);
    strict_1.default.match(c['Rollback procedures verified'].note, /blue back and proven serving.*restores the configuration and binary/);
    strict_1.default.equal(c['Monitoring alerts configured'].status, 'done');
    strict_1.default.equal(c['Team notification sent'].status, 'done');
    strict_1.default.match(c['Post-migration validation plan ready'].note, /verify report, smoke tests on green, monitoring of green/);
    strict_1.default.match(c['Approval gate'].note, /^on: .*timeout 30 min/);
    strict_1.default.equal(byItem((0, checklist_1.migrationChecklist)(p, { backupDone: true }))['Full system backup completed'].status, 'done');
    const lines = (0, checklist_1.formatChecklist)((0, checklist_1.migrationChecklist)(p, { backupDone: true }));
    strict_1.default.equal(lines[0].slice(0, 6), '  [x] ');
    strict_1.default.ok(lines.some((l) => l.startsWith('  [?] Migration scripts tested in staging')));
});
(0, node_test_1.test)('checklist: no backup step, an untested restore, alerts that miss the breach', () => {
    strict_1.default.equal(byItem((0, checklist_1.migrationChecklist)(plan({ steps: ['preflight', 'schema', 'copy'] })))['Full system backup completed'].status, 'todo');
    const untested = byItem((0, checklist_1.migrationChecklist)(plan({ backup: { testRestore: false } })));
    strict_1.default.equal(untested['Full system backup completed'].status, 'todo');
    strict_1.default.match(untested['Full system backup completed'].note, /restore NOT tested/);
    const partial = byItem((0, checklist_1.migrationChecklist)(plan({ alerts: { webhooks: [{ url: 'https://alerts.example.com/x', events: ['run_started'] }] } })));
    strict_1.default.equal(partial['Monitoring alerts configured'].status, 'todo');
    strict_1.default.match(partial['Monitoring alerts configured'].note, /none hears monitoring_breach; none hears rollback_failed/);
    strict_1.default.equal(partial['Team notification sent'].status, 'done');
});
//# sourceMappingURL=checklist.test.js.map