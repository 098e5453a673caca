"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.migrationChecklist = migrationChecklist;
exports.formatChecklist = formatChecklist;
const release_1 = require("./release");
function migrationChecklist(plan, facts = {}) {
    const has = (s) => plan.steps.includes(s);
    const release = plan.release ? (0, release_1.releasePlanOf)(plan) : undefined;
    const hooks = plan.alerts?.webhooks ?? [];
    const hears = (e) => hooks.some((w) => w.events.includes(e));
    const files = [plan.backup.config && 'configuration', plan.backup.binary && 'binary'].filter(Boolean).join(' and ');
    const items = [];
    const add = (item, status, note) => items.push({ item, status, note });
    if (!has('backup'))
        add('Full system backup completed', 'todo', 'the plan has no backup step');
    else {
        const what = `pg_dump of the touched tables${files ? ` + ${files}` : ' (no backup.config / backup.binary: the application files are not backed up)'}`;
        const restorable = plan.backup.testRestore ? 'restore tested into a scratch database' : 'restore NOT tested (backup.testRestore: false)';
        add('Full system backup completed', facts.backupDone ? 'done' : plan.backup.testRestore ? 'info' : 'todo', `${facts.backupDone ? 'done' : 'configured'}: ${what}; ${restorable}`);
    }
    add('Migration scripts tested in staging', 'manual', 'run the same plan against a staging database first (--database staging)');
    const releaseUndo = release ? ', blue back and proven serving' : '';
    add('Rollback procedures verified', 'done', `every step registers its undo before it acts${releaseUndo}; emergency: stp-upgrade rollback ID` +
        (files ? ` (restores the ${files} from the backup)` : ''));
    add('Maintenance window scheduled', 'manual', release ? 'blue serves throughout; the cut-over holds writes for at most plan.sync.cutover.maxHoldMs' : 'the data steps run online; blue keeps serving');
    add('Monitoring alerts configured', hears('monitoring_breach') && hears('rollback_failed') ? 'done' : 'todo', hooks.length === 0 ? 'no plan.alerts.webhooks' : `${hooks.length} webhook(s)${hears('monitoring_breach') ? '' : '; none hears monitoring_breach'}${hears('rollback_failed') ? '' : '; none hears rollback_failed'}`);
    add('Team notification sent', hears('run_started') ? 'done' : 'todo', hears('run_started') ? 'the webhooks hear run_started' : 'no webhook hears run_started');
    const validation = [has('verify') && 'verify report', has('smoke') && release?.smoke.enabled && 'smoke tests on green', has('monitor') && 'monitoring of green'].filter(Boolean);
    add('Post-migration validation plan ready', validation.length > 0 ? 'done' : 'todo', validation.length > 0 ? validation.join(', ') : 'no verify, smoke or monitor step');
    add('Approval gate', 'info', release?.approval.required ? `on: the switch waits for stp-upgrade approve (timeout ${release.approval.timeoutMinutes} min)` : 'off (release.approval.required: false)');
    return items;
}
const MARK = { done: '[x]', todo: '[ ]', manual: '[?]', info: '[i]' };
function formatChecklist(items) {
    return items.map((i) => `  ${MARK[i.status]} ${i.item}: ${i.note}`);
}
//# sourceMappingURL=checklist.js.map